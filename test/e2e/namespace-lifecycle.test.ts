// Namespace deletion as kube-apiserver does it, with no controllers: a deleted namespace turns
// Terminating and stays while spec.finalizers hold it, NamespaceLifecycle admission refuses new
// content in it (and deleting the immortal namespaces), and PUT namespaces/{name}/finalize
// releases it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api } from './http-client.js';

let cluster: Cluster;
let c: ReturnType<typeof api>;
const NS = '/api/v1/namespaces';

beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none' });
  c = api(cluster.url);
});
afterAll(async () => cluster?.stop());

async function terminating(name: string) {
  expect((await c.post(NS, { metadata: { name } })).status).toBe(201);
  const del = await c.delete(`${NS}/${name}`);
  expect(del.status).toBe(200);
  return del.body;
}

describe('deleting a namespace', () => {
  it('marks it Terminating with a deletionTimestamp and keeps it while spec.finalizers hold it', async () => {
    const deleted = await terminating('doomed');
    // The answer is the namespace itself (ReturnDeletedObject), not a Status.
    expect(deleted).toMatchObject({ kind: 'Namespace', spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
    expect(deleted.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = await c.get(`${NS}/doomed`);
    expect(got.body.status.phase).toBe('Terminating');
    // A second delete changes nothing while the kubernetes finalizer remains.
    const again = await c.delete(`${NS}/doomed`);
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(got.body.metadata.resourceVersion);
    // An ordinary update keeps spec.finalizers and does not remove the namespace.
    const relabelled = await c.patch(`${NS}/doomed`, { metadata: { labels: { a: 'b' } }, spec: { finalizers: [] } }, 'application/merge-patch+json');
    expect(relabelled.status).toBe(200);
    expect(relabelled.body.spec.finalizers).toEqual(['kubernetes']);
    expect(relabelled.body.status.phase).toBe('Terminating');
    // Selectable by phase, as kubectl get ns --field-selector status.phase=Terminating does.
    const listed = await c.get(`${NS}?fieldSelector=status.phase%3DTerminating`);
    expect(listed.body.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['doomed']);
  });

  it.each([
    ['propagationPolicy=Orphan', ['orphan']],
    ['propagationPolicy=Foreground', ['foregroundDeletion']],
    ['propagationPolicy=Background', undefined],
    ['orphanDependents=false', ['foregroundDeletion']],
  ])('adds the finalizers %s asks for to the namespace it marks', async (query, finalizers) => {
    const name = `gc-${query.toLowerCase().replace(/[^a-z]+/g, '-')}`;
    expect((await c.post(NS, { metadata: { name } })).status).toBe(201);
    const del = await c.delete(`${NS}/${name}?${query}`);
    expect(del.status).toBe(200);
    expect(del.body.metadata.finalizers).toEqual(finalizers);
    expect(del.body.spec.finalizers).toEqual(['kubernetes']);
  });

  it('checks the uid precondition before marking it', async () => {
    await c.post(NS, { metadata: { name: 'guarded' } });
    const res = await c.delete(`${NS}/guarded`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-the-uid' } });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/^Operation cannot be fulfilled on namespaces "guarded": Precondition failed: UID in precondition: not-the-uid, UID in object meta: /);
    expect((await c.get(`${NS}/guarded`)).body.status.phase).toBe('Active');
    const dry = await c.delete(`${NS}/guarded?dryRun=All`);
    expect(dry.body.status.phase).toBe('Terminating');
    expect((await c.get(`${NS}/guarded`)).body.status.phase).toBe('Active');
  });

  it.each(['default', 'kube-system', 'kube-public'])('refuses to delete %s', async (name) => {
    const res = await c.delete(`${NS}/${name}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      reason: 'Forbidden',
      details: { name, kind: 'namespaces' },
      code: 403,
    });
    expect((await c.get(`${NS}/${name}`)).body.status.phase).toBe('Active');
  });

  it('lets kube-node-lease be deleted, as the plugin protects only the other three', async () => {
    const res = await c.delete(`${NS}/kube-node-lease`);
    expect(res.status).toBe(200);
    expect(res.body.status.phase).toBe('Terminating');
  });
});

describe('NamespaceLifecycle admission', () => {
  it('refuses to create content in a terminating namespace with the NamespaceTerminating cause', async () => {
    await terminating('closing');
    const res = await c.post(`${NS}/closing/configmaps`, { metadata: { name: 'late' } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "late" is forbidden: unable to create new content in namespace closing because it is being terminated',
      reason: 'Forbidden',
      details: {
        name: 'late',
        kind: 'configmaps',
        causes: [{ reason: 'NamespaceTerminating', message: 'namespace closing is being terminated', field: 'metadata.namespace' }],
      },
      code: 403,
    });
    // generateName: no name yet, so none in the message; a named group shows in the resource.
    const generated = await c.post(`/apis/batch/v1/namespaces/closing/jobs`, { metadata: { generateName: 'j-' } });
    expect(generated.status).toBe(403);
    expect(generated.body.message).toBe('jobs.batch is forbidden: unable to create new content in namespace closing because it is being terminated');
    expect(generated.body.details).toMatchObject({ group: 'batch', kind: 'jobs' });
    // A PUT that would create is a create too.
    const put = await c.put(`${NS}/closing/configmaps/late`, { metadata: { name: 'late' } });
    expect(put.status).toBe(403);
    expect(put.body.message).toBe('configmaps "late" is forbidden: unable to create new content in namespace closing because it is being terminated');
    // So is a server-side apply that would create.
    const applied = await c.patch(`${NS}/closing/configmaps/late?fieldManager=m`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n', 'application/apply-patch+yaml');
    expect(applied.status).toBe(403);
    expect(applied.body.details.causes).toEqual([{ reason: 'NamespaceTerminating', message: 'namespace closing is being terminated', field: 'metadata.namespace' }]);
  });

  it('still allows updates and deletes of what a terminating namespace holds', async () => {
    await c.post(NS, { metadata: { name: 'winding' } });
    await c.post(`${NS}/winding/configmaps`, { metadata: { name: 'kept' }, data: { a: '1' } });
    await c.delete(`${NS}/winding`);
    const updated = await c.patch(`${NS}/winding/configmaps/kept`, { data: { a: '2' } }, 'application/merge-patch+json');
    expect(updated.status).toBe(200);
    expect((await c.delete(`${NS}/winding/configmaps/kept`)).status).toBe(200);
  });

  it('answers 404 for the namespace when creating or updating in one that does not exist', async () => {
    const created = await c.post(`${NS}/nowhere/configmaps`, { metadata: { name: 'x' } });
    expect(created.status).toBe(404);
    expect(created.body).toMatchObject({ reason: 'NotFound', message: 'namespaces "nowhere" not found', details: { name: 'nowhere', kind: 'namespaces' } });
    const put = await c.put(`${NS}/nowhere/configmaps/x`, { metadata: { name: 'x' } });
    expect(put.status).toBe(404);
    expect(put.body.message).toBe('namespaces "nowhere" not found');
  });
});

describe('namespaces/finalize', () => {
  it('is listed in discovery as update-only', async () => {
    const v1 = await c.get('/api/v1');
    expect(v1.body.resources.find((r: { name: string }) => r.name === 'namespaces/finalize')).toEqual({ name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] });
    expect((await c.get(`${NS}/default/finalize`)).status).toBe(405);
    expect((await c.patch(`${NS}/default/finalize`, { spec: {} }, 'application/merge-patch+json')).status).toBe(405);
  });

  it('changes spec.finalizers and keeps status; emptying them removes a terminating namespace', async () => {
    await c.post(NS, { metadata: { name: 'fin' }, spec: { finalizers: ['example.com/extra'] } });
    const ns = (await c.get(`${NS}/fin`)).body;
    expect(ns.spec.finalizers).toEqual(['example.com/extra', 'kubernetes']);
    const bad = await c.put(`${NS}/fin/finalize`, { ...ns, spec: { finalizers: ['not-standard'] } });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe('Namespace "fin" is invalid: spec.finalizers[0]: Invalid value: "not-standard": name is neither a standard finalizer name nor is it fully qualified');

    // Active: dropping a finalizer is allowed, and the status sent is ignored.
    const dropped = await c.put(`${NS}/fin/finalize`, { ...ns, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
    expect(dropped.status).toBe(200);
    expect(dropped.body.spec.finalizers).toEqual(['kubernetes']);
    expect(dropped.body.status.phase).toBe('Active');
    expect(dropped.body.metadata.managedFields.some((f: { subresource?: string }) => f.subresource === 'finalize')).toBe(true);

    const deleted = (await c.delete(`${NS}/fin`)).body;
    const released = await c.put(`${NS}/fin/finalize`, { ...deleted, spec: { finalizers: [] } });
    expect(released.status).toBe(200);
    expect((await c.get(`${NS}/fin`)).status).toBe(404);
  });

  it('leaves a namespace with metadata.finalizers until those go too', async () => {
    await c.post(NS, { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const deleted = (await c.delete(`${NS}/held`)).body;
    await c.put(`${NS}/held/finalize`, { ...deleted, spec: { finalizers: [] } });
    const still = await c.get(`${NS}/held`);
    expect(still.status).toBe(200);
    expect(still.body.spec.finalizers).toEqual([]);
    const gone = await c.patch(`${NS}/held`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect(gone.status).toBe(200);
    expect((await c.get(`${NS}/held`)).status).toBe(404);
  });
});
