// The deletion decisions as tables: DeleteOptions validation, which garbage-collector
// finalizers a delete leaves (shouldOrphanDependents / shouldDeleteDependents), and whether the
// object goes now or is marked (BeforeDelete, markAsDeleting), as the generic store decides.
import { describe, expect, it } from 'vitest';
import {
  deletionFinalizers,
  planDelete,
  shouldDeleteDuringUpdate,
  validateDeleteOptions,
  type DeleteDecisionInput,
  type GarbageCollectionPolicy,
} from '../../../src/apiserver/registry/deletion.js';
import { formatFieldErrors } from '../../../src/apiserver/validation/field-errors.js';

describe('validateDeleteOptions', () => {
  it.each([
    [{}, ''],
    [{ propagationPolicy: 'Foreground' }, ''],
    [{ propagationPolicy: 'Background' }, ''],
    [{ propagationPolicy: 'Orphan' }, ''],
    [{ orphanDependents: true }, ''],
    [{ orphanDependents: false, propagationPolicy: 'Background' }, 'propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set'],
    [{ propagationPolicy: 'orphan' }, 'propagationPolicy: Unsupported value: "orphan": supported values: "Foreground", "Background", "Orphan", "nil"'],
    [
      { orphanDependents: true, propagationPolicy: 'Later' },
      '[propagationPolicy: Invalid value: "Later": orphanDependents and deletionPropagation cannot be both set, propagationPolicy: Unsupported value: "Later": supported values: "Foreground", "Background", "Orphan", "nil"]',
    ],
  ])('%j -> %s', (opts, message) => {
    const errs = validateDeleteOptions(opts);
    expect(errs.length ? formatFieldErrors(errs) : '').toBe(message);
  });
});

describe('deletionFinalizers', () => {
  type Row = [string, string[], { propagationPolicy?: string; orphanDependents?: boolean }, GarbageCollectionPolicy, string[], boolean];
  const rows: Row[] = [
    ['no policy, default background: nothing', [], {}, 'DeleteDependents', [], false],
    ['no policy, default orphan (batch/v1 Job)', [], {}, 'OrphanDependents', ['orphan'], true],
    ['Orphan', [], { propagationPolicy: 'Orphan' }, 'DeleteDependents', ['orphan'], true],
    ['Foreground', [], { propagationPolicy: 'Foreground' }, 'DeleteDependents', ['foregroundDeletion'], true],
    ['Background overrides an orphaning default', [], { propagationPolicy: 'Background' }, 'OrphanDependents', [], false],
    ['orphanDependents=true', [], { orphanDependents: true }, 'DeleteDependents', ['orphan'], true],
    ['orphanDependents=false is not foreground', [], { orphanDependents: false }, 'OrphanDependents', [], false],
    ['other finalizers stay, first', ['example.com/x'], { propagationPolicy: 'Foreground' }, 'DeleteDependents', ['example.com/x', 'foregroundDeletion'], true],
    ['Orphan replaces foregroundDeletion', ['foregroundDeletion', 'example.com/x'], { propagationPolicy: 'Orphan' }, 'DeleteDependents', ['example.com/x', 'orphan'], true],
    ['Foreground replaces orphan', ['orphan'], { propagationPolicy: 'Foreground' }, 'DeleteDependents', ['foregroundDeletion'], true],
    ['Background removes orphan', ['orphan'], { propagationPolicy: 'Background' }, 'DeleteDependents', [], true],
    ['no policy keeps the finalizer there over the default', ['foregroundDeletion'], {}, 'OrphanDependents', ['foregroundDeletion'], false],
    ['no policy keeps orphan', ['orphan'], {}, 'DeleteDependents', ['orphan'], false],
    ['Unsupported (Events) ignores the options', [], { propagationPolicy: 'Foreground' }, 'Unsupported', [], false],
    ['Unsupported strips a finalizer', ['orphan', 'example.com/x'], {}, 'Unsupported', ['example.com/x'], true],
  ];
  it.each(rows)('%s', (_name, finalizers, opts, policy, want, changed) => {
    expect(deletionFinalizers(finalizers, opts, policy)).toEqual({ finalizers: want, changed });
  });
});

const NOW = Date.parse('2026-01-02T03:04:05Z');
const at = (offsetSeconds: number) => new Date(NOW + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const podGrace = (requested: number | undefined) => requested ?? 30;

describe('planDelete', () => {
  type Row = [string, Partial<DeleteDecisionInput> & Pick<DeleteDecisionInput, 'metadata'>, ReturnType<typeof planDelete>];
  const rows: Row[] = [
    ['a ConfigMap goes at once', { metadata: {} }, { action: 'delete' }],
    [
      'finalizers hold it: deletionTimestamp now, grace 0',
      { metadata: { finalizers: ['example.com/x'] } },
      { action: 'mark', metadata: { deletionTimestamp: at(0), deletionGracePeriodSeconds: 0, finalizers: ['example.com/x'], generation: undefined } },
    ],
    [
      'Foreground marks it and bumps generation',
      { metadata: { generation: 3 }, options: { propagationPolicy: 'Foreground' } },
      { action: 'mark', metadata: { deletionTimestamp: at(0), deletionGracePeriodSeconds: 0, finalizers: ['foregroundDeletion'], generation: 4 } },
    ],
    [
      'a Job with no policy gets orphan',
      { metadata: {}, policy: 'OrphanDependents' },
      { action: 'mark', metadata: { deletionTimestamp: at(0), deletionGracePeriodSeconds: 0, finalizers: ['orphan'], generation: undefined } },
    ],
    [
      'a second delete switches Foreground to Orphan, keeping the first deletionTimestamp and generation',
      { metadata: { deletionTimestamp: at(-60), deletionGracePeriodSeconds: 0, finalizers: ['foregroundDeletion'], generation: 4 }, options: { propagationPolicy: 'Orphan' } },
      { action: 'mark', metadata: { deletionTimestamp: at(-60), deletionGracePeriodSeconds: 0, finalizers: ['orphan'], generation: 4 } },
    ],
    [
      'a second Background delete of an orphan-held object removes it now',
      { metadata: { deletionTimestamp: at(-60), deletionGracePeriodSeconds: 0, finalizers: ['orphan'] }, options: { propagationPolicy: 'Background' } },
      { action: 'delete' },
    ],
    [
      'a pod a node runs: its grace period, generation bumped',
      { metadata: { generation: 1 }, gracefulPeriod: podGrace },
      { action: 'mark', metadata: { deletionTimestamp: at(30), deletionGracePeriodSeconds: 30, finalizers: [], generation: 2 } },
    ],
    ['a pod whose strategy answers 0 goes at once', { metadata: {}, gracefulPeriod: () => 0 }, { action: 'delete' }],
    [
      'a pod answered 0 but held by a finalizer: marked with grace 0',
      { metadata: { finalizers: ['example.com/x'] }, gracefulPeriod: () => 0 },
      { action: 'mark', metadata: { deletionTimestamp: at(0), deletionGracePeriodSeconds: 0, finalizers: ['example.com/x'], generation: undefined } },
    ],
    [
      'a pending graceful deletion is not lengthened, and its finalizers do not change',
      { metadata: { deletionTimestamp: at(30), deletionGracePeriodSeconds: 30 }, gracefulPeriod: podGrace, options: { gracePeriodSeconds: 60, propagationPolicy: 'Orphan' } },
      { action: 'keep' },
    ],
    [
      'a shorter period moves deletionTimestamp earlier',
      { metadata: { deletionTimestamp: at(30), deletionGracePeriodSeconds: 30 }, gracefulPeriod: podGrace, options: { gracePeriodSeconds: 10 } },
      { action: 'mark', metadata: { deletionTimestamp: at(10), deletionGracePeriodSeconds: 10, finalizers: [], generation: undefined } },
    ],
    [
      'a shorter period already run out keeps 1 s, from now',
      { metadata: { deletionTimestamp: at(-5), deletionGracePeriodSeconds: 30 }, gracefulPeriod: podGrace, options: { gracePeriodSeconds: 10 } },
      { action: 'mark', metadata: { deletionTimestamp: at(0), deletionGracePeriodSeconds: 1, finalizers: [], generation: undefined } },
    ],
    [
      'shortened to 0 with nothing holding it: gone',
      { metadata: { deletionTimestamp: at(30), deletionGracePeriodSeconds: 30 }, gracefulPeriod: podGrace, options: { gracePeriodSeconds: 0 } },
      { action: 'delete' },
    ],
    [
      'a negative period counts as 1 s',
      { metadata: { deletionTimestamp: at(30), deletionGracePeriodSeconds: 30 }, gracefulPeriod: podGrace, options: { gracePeriodSeconds: -5 } },
      { action: 'mark', metadata: { deletionTimestamp: at(1), deletionGracePeriodSeconds: 1, finalizers: [], generation: undefined } },
    ],
    [
      'a CRD first delete: its own finalizer, no propagation finalizer',
      { metadata: {}, options: { propagationPolicy: 'Foreground' }, finalizersOnFirstDelete: () => ['customresourcecleanup.apiextensions.k8s.io'] },
      { action: 'mark', metadata: { deletionTimestamp: at(0), deletionGracePeriodSeconds: undefined, finalizers: ['customresourcecleanup.apiextensions.k8s.io'], generation: undefined } },
    ],
  ];
  it.each(rows)('%s', (_name, input, want) => {
    expect(planDelete({ options: {}, now: NOW, ...input })).toEqual(want);
  });
});

describe('shouldDeleteDuringUpdate', () => {
  it.each([
    ['last finalizer removed after a delete', { finalizers: [] }, { deletionTimestamp: at(0), deletionGracePeriodSeconds: 0, finalizers: ['x/y'] }, true],
    ['a finalizer left', { finalizers: ['x/y'] }, { deletionTimestamp: at(0), deletionGracePeriodSeconds: 0, finalizers: ['x/y', 'a/b'] }, false],
    ['not being deleted', { finalizers: [] }, { finalizers: ['x/y'] }, false],
    ['a grace period still running (a terminating pod)', { finalizers: [] }, { deletionTimestamp: at(30), deletionGracePeriodSeconds: 30, finalizers: ['x/y'] }, false],
  ])('%s', (_name, next, old, want) => {
    expect(shouldDeleteDuringUpdate(next, old)).toBe(want);
  });
});
