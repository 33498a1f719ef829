// The garbage collector's graph builder, fed informer events by hand: nodes, virtual owners,
// owner changes, deletions and the work each sends to the queues.
import { describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference } from '../../../../src/apiserver/object.js';
import { GraphBuilder } from '../../../../src/controllers/garbagecollector/graph-builder.js';
import { AbsentOwnerCache, DependencyGraph, partitionDependents, referencesDiffs, GraphNode, type ObjectIdentity } from '../../../../src/controllers/garbagecollector/graph.js';
import { RestMapper } from '../../../../src/controllers/garbagecollector/rest-mapper.js';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const NODE_TYPE = { apiVersion: 'v1', kind: 'Node' };

function obj(name: string, opts: { uid?: string; ns?: string; owners?: OwnerReference[]; finalizers?: string[]; deleting?: boolean; type?: typeof CM } = {}): KubeObject {
  const type = opts.type ?? CM;
  const metadata: KubeObject['metadata'] = { name, uid: opts.uid ?? `uid-${name}` };
  if (opts.ns !== '') metadata.namespace = opts.ns ?? 'default';
  if (opts.owners) metadata.ownerReferences = opts.owners;
  if (opts.finalizers) metadata.finalizers = opts.finalizers;
  if (opts.deleting) metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return { ...type, metadata };
}

const ref = (name: string, extra: Partial<OwnerReference> = {}): OwnerReference => ({ ...CM, name, uid: `uid-${name}`, ...extra });

function setup() {
  const graph = new DependencyGraph();
  const absentOwners = new AbsentOwnerCache();
  const mapper = new RestMapper();
  mapper.update([
    { group: '', version: 'v1', resource: 'configmaps', namespaced: true, kind: 'ConfigMap', verbs: [] },
    { group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node', verbs: [] },
  ]);
  const toDelete: string[] = [];
  const toOrphan: string[] = [];
  const invalid: { dependent: string; owner: ObjectIdentity }[] = [];
  const builder = new GraphBuilder({
    graph,
    absentOwners,
    mapper,
    queues: { attemptToDelete: (uid) => toDelete.push(uid), attemptToOrphan: (uid) => toOrphan.push(uid) },
    reportInvalidNamespace: (dep, owner) => invalid.push({ dependent: dep.identity.name, owner }),
  });
  const dependentsOf = (uid: string) => [...(graph.get(uid)?.dependents ?? [])].map((d) => d.identity.name).sort();
  const drain = () => toDelete.splice(0).sort();
  return { graph, absentOwners, builder, toDelete, toOrphan, invalid, dependentsOf, drain };
}

describe('GraphBuilder', () => {
  it('creates a virtual node for an owner not yet seen, and a live check of it', () => {
    const t = setup();
    t.builder.observe(obj('dep', { owners: [ref('owner')] }), CM);
    const owner = t.graph.get('uid-owner')!;
    expect(owner.virtual).toBe(true);
    expect(owner.identity).toEqual({ ...CM, name: 'owner', uid: 'uid-owner', namespace: 'default' });
    expect(t.dependentsOf('uid-owner')).toEqual(['dep']);
    expect(t.drain()).toEqual(['uid-owner']);
  });

  it('looks for a cluster-scoped owner kind outside any namespace', () => {
    const t = setup();
    t.builder.observe(obj('dep', { owners: [{ ...NODE_TYPE, name: 'n1', uid: 'uid-n1' }] }), CM);
    expect(t.graph.get('uid-n1')!.identity.namespace).toBe('');
  });

  it.each([
    { what: 'same coordinates: nothing to recheck', owner: obj('owner'), rechecked: [], events: 0 },
    { what: 'another name than the dependent said: recheck it', owner: obj('renamed', { uid: 'uid-owner' }), rechecked: ['uid-dep'], events: 0 },
    { what: 'another namespace: recheck it and record the event', owner: obj('owner', { ns: 'other' }), rechecked: ['uid-dep'], events: 1 },
  ])('a virtual owner observed with $what', ({ owner, rechecked, events }) => {
    const t = setup();
    t.builder.observe(obj('dep', { owners: [ref('owner')] }), CM);
    t.drain();
    t.builder.observe(owner, CM);
    const node = t.graph.get('uid-owner')!;
    expect(node.virtual).toBe(false);
    expect(node.identity.name).toBe(owner.metadata.name);
    expect(t.drain()).toEqual(rechecked);
    expect(t.invalid).toHaveLength(events);
  });

  it('records OwnerRefInvalidNamespace when a dependent names an observed owner of another namespace', () => {
    const t = setup();
    t.builder.observe(obj('owner', { ns: 'a' }), CM);
    t.builder.observe(obj('dep', { ns: 'b', owners: [ref('owner')] }), CM);
    expect(t.invalid).toEqual([{ dependent: 'dep', owner: { ...CM, name: 'owner', uid: 'uid-owner', namespace: 'a' } }]);
    expect(t.drain()).toEqual(['uid-dep']);
  });

  it.each([
    { what: 'adds an owner', before: [ref('a')], after: [ref('a'), ref('b')], a: ['dep'], b: ['dep'], owners: [] },
    { what: 'removes an owner', before: [ref('a'), ref('b')], after: [ref('b')], a: [], b: ['dep'], owners: [] },
    { what: 'removes a blocking reference to a foreground-deleting owner', before: [ref('a', { blockOwnerDeletion: true })], after: [], a: [], b: [], owners: ['uid-a'] },
    { what: 'unblocks a reference to a foreground-deleting owner', before: [ref('a', { blockOwnerDeletion: true })], after: [ref('a', { blockOwnerDeletion: false })], a: ['dep'], b: [], owners: ['uid-a'] },
    { what: 'removes a non-blocking reference', before: [ref('a')], after: [], a: [], b: [], owners: [] },
  ])('an update that $what relinks the node', ({ before, after, a, b, owners }) => {
    const t = setup();
    t.builder.observe(obj('a', { deleting: true, finalizers: ['foregroundDeletion'] }), CM);
    t.builder.observe(obj('b'), CM);
    t.builder.observe(obj('dep', { owners: before }), CM);
    t.drain();
    t.builder.observe(obj('dep', { owners: after }), CM);
    expect(t.dependentsOf('uid-a')).toEqual(a);
    expect(t.dependentsOf('uid-b')).toEqual(b);
    expect(t.graph.get('uid-dep')!.owners).toEqual(after);
    expect(t.drain()).toEqual(owners);
  });

  it('a deleted owner leaves the graph, sends its dependents to be checked and is known absent', () => {
    const t = setup();
    t.builder.observe(obj('owner'), CM);
    t.builder.observe(obj('d1', { owners: [ref('owner')] }), CM);
    t.builder.observe(obj('d2', { owners: [ref('owner')] }), CM);
    t.drain();
    t.builder.forget(obj('owner'), CM);
    expect(t.graph.has('uid-owner')).toBe(false);
    expect(t.drain()).toEqual(['uid-d1', 'uid-d2']);
    expect(t.absentOwners.has(AbsentOwnerCache.key(ref('owner'), 'default'))).toBe(true);
  });

  it('a deleted dependent wakes its foreground-deleting owner', () => {
    const t = setup();
    t.builder.observe(obj('owner'), CM);
    t.builder.observe(obj('dep', { owners: [ref('owner', { blockOwnerDeletion: true })] }), CM);
    t.builder.observe(obj('owner', { deleting: true, finalizers: ['foregroundDeletion'] }), CM);
    expect(t.graph.get('uid-owner')!.deletingDependents).toBe(true);
    expect(t.drain()).toEqual(['uid-dep', 'uid-owner']);
    t.builder.forget(obj('dep', { owners: [ref('owner', { blockOwnerDeletion: true })] }), CM);
    expect(t.dependentsOf('uid-owner')).toEqual([]);
    expect(t.drain()).toEqual(['uid-owner']);
  });

  it.each([
    { finalizers: ['orphan'], orphan: ['uid-o'], del: [] },
    { finalizers: ['foregroundDeletion'], orphan: [], del: ['uid-d', 'uid-o'] },
    { finalizers: ['example.com/other'], orphan: [], del: [] },
  ])('an owner being deleted with $finalizers', ({ finalizers, orphan, del }) => {
    const t = setup();
    t.builder.observe(obj('o'), CM);
    t.builder.observe(obj('d', { owners: [ref('o')] }), CM);
    t.drain();
    t.builder.observe(obj('o', { deleting: true, finalizers }), CM);
    expect(t.graph.get('uid-o')!.beingDeleted).toBe(true);
    expect(t.toOrphan).toEqual(orphan);
    expect(t.drain()).toEqual(del);
  });

  it('a virtual delete of a virtual owner removes it and checks its dependents', () => {
    const t = setup();
    t.builder.observe(obj('dep', { owners: [ref('ghost')] }), CM);
    t.drain();
    t.builder.virtualDelete({ ...t.graph.get('uid-ghost')!.identity });
    expect(t.graph.has('uid-ghost')).toBe(false);
    expect(t.drain()).toEqual(['uid-dep']);
  });

  it('a virtual delete keeps a virtual owner that other dependents name differently, trying their identity next', () => {
    const t = setup();
    t.builder.observe(obj('d1', { owners: [ref('ghost')] }), CM);
    t.builder.observe(obj('d2', { owners: [ref('ghost', { name: 'ghost2' })] }), CM);
    t.drain();
    t.builder.virtualDelete({ ...CM, name: 'ghost', uid: 'uid-ghost', namespace: 'default' });
    const node = t.graph.get('uid-ghost')!;
    expect(node.identity.name).toBe('ghost2');
    expect(t.dependentsOf('uid-ghost')).toEqual(['d1', 'd2']);
    // d1 named the absent identity; the owner itself is checked again under its new one.
    expect(t.drain()).toEqual(['uid-d1', 'uid-ghost']);
  });

  it('a virtual delete with other coordinates than an observed node keeps it', () => {
    const t = setup();
    t.builder.observe(obj('owner'), CM);
    t.builder.observe(obj('dep', { owners: [ref('owner', { name: 'old-name' })] }), CM);
    t.drain();
    t.builder.virtualDelete({ ...CM, name: 'old-name', uid: 'uid-owner', namespace: 'default' });
    expect(t.graph.get('uid-owner')!.virtual).toBe(false);
    expect(t.drain()).toEqual(['uid-dep']);
  });
});

describe('referencesDiffs', () => {
  it.each([
    { before: [], after: [ref('a')], added: ['uid-a'], removed: [], changed: [] },
    { before: [ref('a')], after: [], added: [], removed: ['uid-a'], changed: [] },
    { before: [ref('a')], after: [ref('a', { controller: true })], added: [], removed: [], changed: ['uid-a'] },
    { before: [ref('a'), ref('b')], after: [ref('b'), ref('a')], added: [], removed: [], changed: [] },
  ])('$before.length -> $after.length references', ({ before, after, added, removed, changed }) => {
    const d = referencesDiffs(before, after);
    expect(d.added.map((r) => r.uid)).toEqual(added);
    expect(d.removed.map((r) => r.uid)).toEqual(removed);
    expect(d.changed.map((c) => c.next.uid)).toEqual(changed);
  });
});

describe('partitionDependents', () => {
  const owner: ObjectIdentity = { ...CM, name: 'o', uid: 'uid-o', namespace: 'default' };
  const dep = (name: string, ns: string, refs: OwnerReference[]) => new GraphNode({ identity: { ...CM, name, uid: `uid-${name}`, namespace: ns }, owners: refs });
  it.each([
    { what: 'exact reference', node: dep('x', 'default', [ref('o')]), matching: true, nonmatching: false },
    { what: 'another name', node: dep('x', 'default', [ref('o', { name: 'p' })]), matching: false, nonmatching: true },
    { what: 'another namespace', node: dep('x', 'other', [ref('o')]), matching: false, nonmatching: true },
    { what: 'two references, one right', node: dep('x', 'default', [ref('o'), ref('o', { kind: 'Secret' })]), matching: true, nonmatching: true },
  ])('$what', ({ node, matching, nonmatching }) => {
    const p = partitionDependents([node], owner);
    expect(p.matching.length > 0).toBe(matching);
    expect(p.nonmatching.length > 0).toBe(nonmatching);
  });
});
