import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { ApiError, type ResourceRef } from '../../../../src/clients/interfaces.js';
import { NamespacedResourcesDeleter, NAMESPACES } from '../../../../src/controllers/namespace/deleter.js';
import { VirtualClock } from '../../../../src/controllers/runtime/clock.js';
import { FakeClient } from '../runtime/fake-client.js';

const DELETED_AT = '2026-01-01T00:00:00Z';
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const STUBBORN = { group: 'example.com', version: 'v1', resource: 'stubborns', namespaced: true };
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A server where deletecollection is refused with 405 and stubborns ignore deletes. */
class Server extends FakeClient {
  override async deleteCollection(): Promise<void> {
    throw new ApiError(405, 'MethodNotAllowed', 'deletecollection is not supported');
  }
  override async delete(ref: ResourceRef, name: string, namespace?: string): Promise<KubeObject> {
    if (ref.resource === 'stubborns') return this.get(ref, name, namespace);
    return super.delete(ref, name, namespace);
  }
}

function setup(resources: ResourceRef[]) {
  const client = new Server();
  client.resources = resources.map((r) => ({ ...r, kind: r.resource, verbs: ALL_VERBS }));
  client.set(NAMESPACES, { metadata: { name: 'ns', uid: 'u1', deletionTimestamp: DELETED_AT }, spec: { finalizers: ['kubernetes', 'example.com/other'] }, status: { phase: 'Active' } });
  const errors: unknown[] = [];
  const clock = new VirtualClock(new Date('2026-01-01T00:00:10Z'));
  return { client, errors, clock, deleter: new NamespacedResourcesDeleter({ client, clock, onError: (e) => errors.push(e) }) };
}

const conditionsOf = (ns: KubeObject) => ((ns.status as { conditions: { type: string; status: string; message: string }[] }).conditions);

describe('NamespacedResourcesDeleter', () => {
  it('falls back to list and delete when deletecollection is refused, then finalizes keeping other finalizers', async () => {
    const { client, deleter, errors } = setup([CONFIGMAPS]);
    client.set(CONFIGMAPS, { metadata: { name: 'a', namespace: 'ns' } });
    client.set(CONFIGMAPS, { metadata: { name: 'b', namespace: 'ns' } });
    client.set(CONFIGMAPS, { metadata: { name: 'elsewhere', namespace: 'other' } });
    expect(await deleter.delete('ns')).toEqual({ estimateSeconds: 0 });
    expect(client.writes.filter((w) => w.verb === 'delete').map((w) => w.name)).toEqual(['a', 'b']);
    const ns = await client.get(NAMESPACES, 'ns');
    expect(ns.status).toMatchObject({ phase: 'Terminating' });
    expect(ns.spec).toEqual({ finalizers: ['example.com/other'] });
    expect((await client.list(CONFIGMAPS)).items.map((c) => c.metadata.name)).toEqual(['elsewhere']);
    expect(errors).toEqual([]);
  });

  it('waits for pods within their grace period, and reports them remaining', async () => {
    const { client, deleter } = setup([PODS]);
    // A pod that ignores its deletion for now, as one a kubelet is still stopping.
    client.delete = async (ref, name, namespace) => client.get(ref, name, namespace);
    client.set(PODS, { metadata: { name: 'p', namespace: 'ns' }, spec: { terminationGracePeriodSeconds: 30 }, status: { phase: 'Running' } });
    expect(await deleter.delete('ns')).toEqual({ estimateSeconds: 30 });
    const ns = await client.get(NAMESPACES, 'ns');
    expect(conditionsOf(ns).find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'True', message: 'Some resources are remaining: pods. has 1 resource instances' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes', 'example.com/other'] });
  });

  it('fails, with the ContentFailure condition, when content remains that nothing explains', async () => {
    const { client, deleter } = setup([STUBBORN, CONFIGMAPS]);
    client.set(STUBBORN, { metadata: { name: 's', namespace: 'ns' } });
    await expect(deleter.delete('ns')).rejects.toThrow('deletion of namespace ns failed: unexpected items still remain in namespace: ns for gvr: example.com/v1, Resource=stubborns');
    const ns = await client.get(NAMESPACES, 'ns');
    expect(conditionsOf(ns).find((c) => c.type === 'NamespaceDeletionContentFailure')).toMatchObject({
      status: 'True',
      message: 'Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: ns for gvr: example.com/v1, Resource=stubborns',
    });
    expect((ns.spec as { finalizers: string[] }).finalizers).toContain('kubernetes');
  });

  it('reports a discovery failure and does not finalize', async () => {
    const { client, deleter } = setup([]);
    client.serverResources = async () => {
      throw new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
    };
    await expect(deleter.delete('ns')).rejects.toThrow('the server is currently unable to handle the request');
    const ns = await client.get(NAMESPACES, 'ns');
    expect(conditionsOf(ns).find((c) => c.type === 'NamespaceDeletionDiscoveryFailure')).toMatchObject({ status: 'True', message: 'the server is currently unable to handle the request' });
    expect((ns.spec as { finalizers: string[] }).finalizers).toContain('kubernetes');
  });

  it('leaves a namespace that is not being deleted alone', async () => {
    const { client, deleter } = setup([CONFIGMAPS]);
    client.set(NAMESPACES, { metadata: { name: 'live' }, spec: { finalizers: ['kubernetes'] } });
    client.set(CONFIGMAPS, { metadata: { name: 'a', namespace: 'live' } });
    expect(await deleter.delete('live')).toEqual({ estimateSeconds: 0 });
    expect(await deleter.delete('missing')).toEqual({ estimateSeconds: 0 });
    expect(client.writes).toEqual([]);
  });
});
