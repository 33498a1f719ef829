import { describe, expect, it } from 'vitest';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from '../../../../src/controllers/runtime/expectations.js';
import { expectationsObserver } from '../../../../src/controllers/replicaset/setup.js';
import type { KubeObject } from '../../../../src/controllers/runtime/types.js';

type Step = (e: ControllerExpectations, clock: { t: number }) => void;

describe('ControllerExpectations', () => {
  it.each<[string, Step[], boolean]>([
    ['nothing expected', [], true],
    ['creations not yet seen', [(e) => e.expectCreations('ns/rs', 2), (e) => e.creationObserved('ns/rs')], false],
    ['every creation seen', [(e) => e.expectCreations('ns/rs', 2), (e) => e.creationObserved('ns/rs'), (e) => e.creationObserved('ns/rs')], true],
    ['a creation seen twice counts down to zero, not below', [(e) => e.expectCreations('ns/rs', 1), (e) => e.creationObserved('ns/rs'), (e) => e.creationObserved('ns/rs'), (e) => e.expectCreations('ns/rs', 1)], false],
    ['the rest of a failed batch lowered', [(e) => e.expectCreations('ns/rs', 5), (e) => e.creationObserved('ns/rs'), (e) => e.lowerCreations('ns/rs', 4)], true],
    ['deletions pending', [(e) => e.expectDeletions('ns/rs', ['ns/a', 'ns/b']), (e) => e.deletionObserved('ns/rs', 'ns/a')], false],
    ['a deletion seen twice still leaves the other pending', [(e) => e.expectDeletions('ns/rs', ['ns/a', 'ns/b']), (e) => e.deletionObserved('ns/rs', 'ns/a'), (e) => e.deletionObserved('ns/rs', 'ns/a')], false],
    ['every deletion seen', [(e) => e.expectDeletions('ns/rs', ['ns/a', 'ns/b']), (e) => e.deletionObserved('ns/rs', 'ns/b'), (e) => e.deletionObserved('ns/rs', 'ns/a')], true],
    ['another owner\'s observations do not count', [(e) => e.expectCreations('ns/rs', 1), (e) => e.creationObserved('ns/other')], false],
    ['pending past the timeout counts as met', [(e) => e.expectCreations('ns/rs', 3), (_e, c) => (c.t += EXPECTATIONS_TIMEOUT_MS + 1)], true],
    ['pending just under the timeout is not met', [(e) => e.expectCreations('ns/rs', 3), (_e, c) => (c.t += EXPECTATIONS_TIMEOUT_MS)], false],
    ['forgotten with the owner', [(e) => e.expectCreations('ns/rs', 3), (e) => e.forget('ns/rs')], true],
  ])('%s', (_name, steps, want) => {
    const clock = { t: 1_000 };
    const e = new ControllerExpectations(() => clock.t);
    for (const step of steps) step(e, clock);
    expect(e.satisfied('ns/rs')).toBe(want);
  });
});

const pod = (name: string, opts: { owner?: string; kind?: string; deleting?: boolean } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'ns',
    ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    ...(opts.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: opts.kind ?? 'ReplicaSet', name: opts.owner, uid: 'u', controller: true }] } : {}),
  },
});

describe('the ReplicaSet controller\'s pod event observer', () => {
  it.each<[string, (h: ReturnType<typeof expectationsObserver>) => void, boolean]>([
    ['an added pod of the ReplicaSet is a creation seen', (h) => h.onAdd!(pod('a', { owner: 'rs' })), true],
    ['an added pod of another kind of owner is not', (h) => h.onAdd!(pod('a', { owner: 'rs', kind: 'Job' })), false],
    ['an added orphan is not', (h) => h.onAdd!(pod('a')), false],
    ['an added pod already being deleted is not a creation', (h) => h.onAdd!(pod('a', { owner: 'rs', deleting: true })), false],
  ])('%s', (_name, act, want) => {
    const e = new ControllerExpectations();
    e.expectCreations('ns/rs', 1);
    act(expectationsObserver(e));
    expect(e.satisfied('ns/rs')).toBe(want);
  });

  it.each<[string, (h: ReturnType<typeof expectationsObserver>) => void, boolean]>([
    ['a pod gaining its deletionTimestamp is a deletion seen', (h) => h.onUpdate!(pod('a', { owner: 'rs' }), pod('a', { owner: 'rs', deleting: true })), true],
    ['an update of a pod still being deleted is not seen again', (h) => h.onUpdate!(pod('a', { owner: 'rs', deleting: true }), pod('a', { owner: 'rs', deleting: true })), false],
    ['a plain update is not', (h) => h.onUpdate!(pod('a', { owner: 'rs' }), pod('a', { owner: 'rs' })), false],
    ['a pod leaving the cache is a deletion seen', (h) => h.onDelete!(pod('a', { owner: 'rs' })), true],
    ['another pod leaving is not', (h) => h.onDelete!(pod('b', { owner: 'rs' })), false],
  ])('%s', (_name, act, want) => {
    const e = new ControllerExpectations();
    e.expectDeletions('ns/rs', ['ns/a']);
    act(expectationsObserver(e));
    expect(e.satisfied('ns/rs')).toBe(want);
  });
});
