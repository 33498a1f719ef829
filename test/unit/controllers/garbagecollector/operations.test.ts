// The garbage collector's conditional writes against a scripted client: deletes with uid and
// resourceVersion preconditions and kube's retry on Conflict, metadata merge patches that
// carry the resourceVersion they were computed from.
import { describe, expect, it } from 'vitest';
import { ApiError, type Client, type DeleteOptions } from '../../../../src/clients/interfaces.js';
import type { KubeObject, OwnerReference } from '../../../../src/apiserver/object.js';
import { NamespacedOwnerOfClusterScopedObjectError, Operations } from '../../../../src/controllers/garbagecollector/operations.js';
import { RestMapper, RestMappingError } from '../../../../src/controllers/garbagecollector/rest-mapper.js';
import type { ObjectIdentity } from '../../../../src/controllers/garbagecollector/graph.js';

const conflict = () => new ApiError(409, 'Conflict', 'the object has been modified');
const notFound = () => new ApiError(404, 'NotFound', 'not found');
const ownerA: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: 'uid-a' };
const ownerB: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', uid: 'uid-b' };
const id: ObjectIdentity = { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'uid-x', namespace: 'default' };

const cm = (rv: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'x', namespace: 'default', uid: 'uid-x', resourceVersion: rv, ...meta },
});

/** A client whose gets, deletes and patches answer from scripts, recording what was asked. */
function scripted(script: { gets?: (KubeObject | Error)[]; deletes?: (Error | undefined)[]; patches?: (Error | undefined)[] }) {
  const calls: { verb: string; name: string; body?: unknown; opts?: unknown }[] = [];
  const next = <T>(list: T[] | undefined, verb: string): T => {
    if (!list || list.length === 0) throw new Error(`unexpected ${verb}`);
    return list.shift()!;
  };
  const client = {
    async get(_ref: unknown, name: string) {
      calls.push({ verb: 'get', name });
      const r = next(script.gets, 'get');
      if (r instanceof Error) throw r;
      return r;
    },
    async delete(_ref: unknown, name: string, _ns?: string, opts?: DeleteOptions) {
      calls.push({ verb: 'delete', name, opts });
      const r = next(script.deletes, 'delete');
      if (r) throw r;
      return {};
    },
    async patch(_ref: unknown, name: string, body: unknown, type: string) {
      calls.push({ verb: `patch:${type}`, name, body });
      const r = next(script.patches, 'patch');
      if (r) throw r;
      return {};
    },
  } as unknown as Client;
  const mapper = new RestMapper();
  mapper.update([
    { group: '', version: 'v1', resource: 'configmaps', namespaced: true, kind: 'ConfigMap', verbs: [] },
    { group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node', verbs: [] },
  ]);
  return { ops: new Operations({ client, mapper }), calls };
}

describe('Operations.deleteObject', () => {
  it('deletes with uid and resourceVersion preconditions and the policy asked', async () => {
    const t = scripted({ deletes: [undefined] });
    await t.ops.deleteObject(id, { resourceVersion: '7', owners: [ownerA], policy: 'Foreground' });
    expect(t.calls).toEqual([{ verb: 'delete', name: 'x', opts: { preconditions: { uid: 'uid-x', resourceVersion: '7' }, propagationPolicy: 'Foreground' } }]);
  });

  it.each([
    { what: 'owners unchanged: deletes again without the resourceVersion', live: cm('8', { ownerReferences: [ownerA] }), deletes: [conflict(), undefined], rejects: false, calls: 3 },
    { what: 'owners changed: gives the conflict back to be retried', live: cm('8', { ownerReferences: [ownerA, ownerB] }), deletes: [conflict()], rejects: true, calls: 2 },
    { what: 'replaced by another uid: nothing to do', live: cm('8', { uid: 'other' }), deletes: [conflict()], rejects: false, calls: 2 },
    { what: 'gone meanwhile: nothing to do', live: notFound(), deletes: [conflict()], rejects: false, calls: 2 },
  ])('on Conflict, $what', async ({ live, deletes, rejects, calls }) => {
    const t = scripted({ gets: [live], deletes });
    const p = t.ops.deleteObject(id, { resourceVersion: '7', owners: [ownerA], policy: 'Background' });
    if (rejects) await expect(p).rejects.toMatchObject({ reason: 'Conflict' });
    else await p;
    expect(t.calls).toHaveLength(calls);
    if (calls === 3) expect(t.calls[2]!.opts).toEqual({ preconditions: { uid: 'uid-x' }, propagationPolicy: 'Background' });
  });

  it('takes NotFound as done', async () => {
    const t = scripted({ deletes: [notFound()] });
    await expect(t.ops.deleteObject(id, { resourceVersion: '7' })).resolves.toBeUndefined();
  });
});

describe('Operations patches', () => {
  it('removes owner references with a merge patch carrying uid and resourceVersion, rereading after a Conflict', async () => {
    const t = scripted({ gets: [cm('3', { ownerReferences: [ownerA, ownerB] }), cm('4', { ownerReferences: [ownerA, ownerB] })], patches: [conflict(), undefined] });
    await t.ops.removeOwnerReferences(id, ['uid-a']);
    const patches = t.calls.filter((c) => c.verb === 'patch:merge').map((c) => c.body);
    expect(patches).toEqual([
      { metadata: { ownerReferences: [ownerB], uid: 'uid-x', resourceVersion: '3' } },
      { metadata: { ownerReferences: [ownerB], uid: 'uid-x', resourceVersion: '4' } },
    ]);
  });

  it('removes the last owner reference and the last finalizer with null', async () => {
    const t = scripted({ gets: [cm('3', { ownerReferences: [ownerA] }), cm('4', { finalizers: ['foregroundDeletion'] })], patches: [undefined, undefined] });
    await t.ops.removeOwnerReferences(id, ['uid-a']);
    await t.ops.removeFinalizer(id, 'foregroundDeletion');
    expect(t.calls.filter((c) => c.verb === 'patch:merge').map((c) => c.body)).toEqual([
      { metadata: { ownerReferences: null, uid: 'uid-x', resourceVersion: '3' } },
      { metadata: { finalizers: null, uid: 'uid-x', resourceVersion: '4' } },
    ]);
  });

  it('writes nothing when there is nothing to change, or the object was replaced', async () => {
    const t = scripted({ gets: [cm('3', { finalizers: ['other'] }), cm('3', { uid: 'new', ownerReferences: [ownerA] }), cm('3', { ownerReferences: [ownerB] })] });
    await t.ops.removeFinalizer(id, 'orphan');
    await t.ops.removeOwnerReferences(id, ['uid-a']);
    await t.ops.unblockOwnerReferences(id);
    expect(t.calls.map((c) => c.verb)).toEqual(['get', 'get', 'get']);
  });

  it('gives up after repeated Conflicts, for the queue to retry with backoff', async () => {
    const t = scripted({ gets: Array.from({ length: 5 }, () => cm('3', { ownerReferences: [ownerA] })), patches: Array.from({ length: 5 }, conflict) });
    await expect(t.ops.removeOwnerReferences(id, ['uid-a'])).rejects.toMatchObject({ reason: 'Conflict' });
  });
});

describe('Operations.locate', () => {
  it('finds a cluster-scoped kind outside any namespace, and refuses a namespaced kind with none', () => {
    const { ops } = scripted({});
    expect(ops.locate({ apiVersion: 'v1', kind: 'Node', namespace: 'default' })).toEqual({ ref: { group: '', version: 'v1', resource: 'nodes', namespaced: false } });
    expect(() => ops.locate({ apiVersion: 'v1', kind: 'ConfigMap', namespace: '' })).toThrow(NamespacedOwnerOfClusterScopedObjectError);
    expect(() => ops.locate({ apiVersion: 'example.com/v1', kind: 'Nope', namespace: 'default' })).toThrow(RestMappingError);
  });
});
