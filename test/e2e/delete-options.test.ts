// DeleteOptions over HTTP with no controllers (so no garbage collector removes what a delete
// leaves): propagationPolicy and orphanDependents from the query or the body, each kind's
// default policy, switching policies on a second delete, no new finalizers once deletion began,
// the update that removes the last finalizer, deletecollection, preconditions and dryRun.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api, openWatch } from './http-client.js';

let cluster: Cluster;
let c: ReturnType<typeof api>;
beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none' });
  c = api(cluster.url);
});
afterAll(async () => cluster?.stop());

const CMS = '/api/v1/namespaces/default/configmaps';
const JOBS = '/apis/batch/v1/namespaces/default/jobs';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const JOB_WARNING =
  '299 - "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning"';

const body = (extra: Record<string, unknown>) => ({ kind: 'DeleteOptions', apiVersion: 'v1', ...extra });

async function configMap(name: string, metadata: Record<string, unknown> = {}) {
  const res = await c.post(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, data: { a: '1' } });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const job = (name: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
});

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx' }] } } },
});

describe('propagation policies', () => {
  it.each([
    ['Foreground in the query', '?propagationPolicy=Foreground', undefined, ['foregroundDeletion']],
    ['Foreground in the body', '', body({ propagationPolicy: 'Foreground' }), ['foregroundDeletion']],
    ['Orphan in the query', '?propagationPolicy=Orphan', undefined, ['orphan']],
    ['Orphan in the body', '', body({ propagationPolicy: 'Orphan' }), ['orphan']],
    ['orphanDependents=true in the query', '?orphanDependents=true', undefined, ['orphan']],
    ['orphanDependents in the body', '', body({ orphanDependents: true }), ['orphan']],
  ])('%s: marked, kept with the finalizer', async (_name, query, opts, finalizers) => {
    const name = `p-${_name.toLowerCase().replace(/[^a-z]+/g, '-').replace(/-$/, '')}`;
    await configMap(name);
    const res = await c.delete(`${CMS}/${name}${query}`, opts);
    expect(res.status, res.text).toBe(200);
    expect(res.body.kind).toBe('ConfigMap');
    expect(res.body.metadata).toMatchObject({ finalizers, deletionGracePeriodSeconds: 0 });
    expect(typeof res.body.metadata.deletionTimestamp).toBe('string');
    expect((await c.get(`${CMS}/${name}`)).body.metadata.finalizers).toEqual(finalizers);
  });

  it.each([
    ['in the query', '?propagationPolicy=Background', undefined],
    ['in the body', '', body({ propagationPolicy: 'Background' })],
    ['as kubectl sends it, in the body and no query', '', '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}'],
  ])('Background %s deletes at once', async (how, query, opts) => {
    const name = `bg-${how.length}`;
    const cm = await configMap(name);
    const res = await c.delete(`${CMS}/${name}${query}`, opts);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: 'configmaps', uid: cm.metadata.uid } });
    expect((await c.get(`${CMS}/${name}`)).status).toBe(404);
  });

  it('reads DeleteOptions from the body alone when there is one, ignoring the query', async () => {
    await configMap('body-wins');
    const res = await c.delete(`${CMS}/body-wins?propagationPolicy=Orphan`, body({ propagationPolicy: 'Background' }));
    expect(res.status).toBe(200);
    expect((await c.get(`${CMS}/body-wins`)).status).toBe(404);
  });

  it('answers 202 when orphanDependents=false leaves the object being deleted', async () => {
    await configMap('legacy-cascade', { finalizers: ['example.com/hold'] });
    const res = await c.delete(`${CMS}/legacy-cascade`, body({ orphanDependents: false }));
    expect(res.status).toBe(202);
    expect(res.body.metadata.finalizers).toEqual(['example.com/hold']);
  });

  it.each([
    [
      'both orphanDependents and propagationPolicy',
      '?orphanDependents=false&propagationPolicy=Background',
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set',
      'FieldValueInvalid',
    ],
    [
      'an unknown policy',
      '?propagationPolicy=Cascade',
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Cascade": supported values: "Foreground", "Background", "Orphan", "nil"',
      'FieldValueNotSupported',
    ],
  ])('refuses %s with 422 before looking the object up', async (_name, query, message, reason) => {
    const res = await c.delete(`${CMS}/does-not-exist${query}`);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ reason: 'Invalid', message, details: { name: '', group: 'meta.k8s.io', kind: 'DeleteOptions', causes: [{ reason, field: 'propagationPolicy' }] } });
  });

  it('refuses a policy of the wrong JSON type with 400', async () => {
    await configMap('wrong-type');
    const res = await c.delete(`${CMS}/wrong-type`, body({ propagationPolicy: 1 }));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('json: cannot unmarshal number into Go struct field DeleteOptions.propagationPolicy of type v1.DeletionPropagation');
  });
});

describe('default policies', () => {
  it('orphans a batch/v1 Job named without a policy, and warns about it', async () => {
    expect((await c.post(JOBS, job('default-orphan'))).status).toBe(201);
    const res = await c.delete(`${JOBS}/default-orphan`);
    expect(res.status).toBe(200);
    expect(res.headers.warning).toBe(JOB_WARNING);
    expect(res.body.metadata).toMatchObject({ finalizers: ['orphan'], deletionGracePeriodSeconds: 0 });
  });

  it('deletes a Job at once with Background, without the warning', async () => {
    expect((await c.post(JOBS, job('job-background'))).status).toBe(201);
    const res = await c.delete(`${JOBS}/job-background?propagationPolicy=Background`);
    expect(res.status).toBe(200);
    expect(res.headers.warning).toBeUndefined();
    expect((await c.get(`${JOBS}/job-background`)).status).toBe(404);
  });

  it('deletes a Deployment and a ConfigMap at once (background by default)', async () => {
    expect((await c.post(DEPLOYMENTS, deployment('default-bg'))).status).toBe(201);
    expect((await c.delete(`${DEPLOYMENTS}/default-bg`)).body.status).toBe('Success');
    expect((await c.get(`${DEPLOYMENTS}/default-bg`)).status).toBe(404);
    await configMap('default-bg');
    expect((await c.delete(`${CMS}/default-bg`)).body.status).toBe('Success');
    expect((await c.get(`${CMS}/default-bg`)).status).toBe(404);
  });

  it('bumps the generation of a Deployment a foreground delete marks', async () => {
    expect((await c.post(DEPLOYMENTS, deployment('fg-generation'))).status).toBe(201);
    const res = await c.delete(`${DEPLOYMENTS}/fg-generation?propagationPolicy=Foreground`);
    expect(res.body.metadata).toMatchObject({ generation: 2, finalizers: ['foregroundDeletion'] });
  });

  it('never puts a garbage-collector finalizer on an Event', async () => {
    const ev = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'ev' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Test', message: 'm', type: 'Normal' };
    expect((await c.post('/api/v1/namespaces/default/events', ev)).status).toBe(201);
    expect((await c.delete('/api/v1/namespaces/default/events/ev?propagationPolicy=Foreground')).body.status).toBe('Success');
  });

  it('deletes a custom resource at once', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    expect((await c.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    const GADGETS = '/apis/example.com/v1/namespaces/default/gadgets';
    let created = 0;
    for (let i = 0; i < 100 && created !== 201; i++) {
      created = (await c.post(GADGETS, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } })).status;
      if (created !== 201) await new Promise((r) => setTimeout(r, 10));
    }
    expect(created).toBe(201);
    const res = await c.delete(`${GADGETS}/g`);
    expect(res.body).toMatchObject({ status: 'Success', details: { name: 'g', group: 'example.com', kind: 'gadgets' } });
    expect((await c.get(`${GADGETS}/g`)).status).toBe(404);
  });
});

describe('a second delete', () => {
  it('switches Foreground to Orphan, keeping the first deletionTimestamp, and Background then deletes', async () => {
    await configMap('switch');
    const first = await c.delete(`${CMS}/switch?propagationPolicy=Foreground`);
    expect(first.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    const second = await c.delete(`${CMS}/switch`, body({ propagationPolicy: 'Orphan' }));
    expect(second.body.metadata.finalizers).toEqual(['orphan']);
    expect(second.body.metadata.deletionTimestamp).toBe(first.body.metadata.deletionTimestamp);
    // Without a policy, the finalizer already there decides: nothing is written.
    const third = await c.delete(`${CMS}/switch`);
    expect(third.body.metadata.resourceVersion).toBe(second.body.metadata.resourceVersion);
    const last = await c.delete(`${CMS}/switch?propagationPolicy=Background`);
    expect(last.body.status).toBe('Success');
    expect((await c.get(`${CMS}/switch`)).status).toBe(404);
  });

  it('keeps other finalizers while switching', async () => {
    await configMap('switch-held', { finalizers: ['example.com/hold'] });
    await c.delete(`${CMS}/switch-held?propagationPolicy=Orphan`);
    const res = await c.delete(`${CMS}/switch-held?propagationPolicy=Background`);
    expect(res.status).toBe(200);
    expect(res.body.metadata.finalizers).toEqual(['example.com/hold']);
  });
});

describe('finalizers once deletion began', () => {
  it('forbids adding one, by patch or PUT', async () => {
    await configMap('no-new', { finalizers: ['example.com/hold'] });
    const marked = (await c.delete(`${CMS}/no-new`)).body;
    const message =
      'ConfigMap "no-new" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/new"}';
    const patched = await c.patch(`${CMS}/no-new`, { metadata: { finalizers: ['example.com/hold', 'example.com/new'] } }, 'application/merge-patch+json');
    expect(patched.status).toBe(422);
    expect(patched.body).toMatchObject({ reason: 'Invalid', message, details: { causes: [{ reason: 'FieldValueForbidden', field: 'metadata.finalizers' }] } });
    const put = await c.put(`${CMS}/no-new`, { ...marked, metadata: { ...marked.metadata, finalizers: ['example.com/new', 'example.com/hold'] } });
    expect(put.status).toBe(422);
    expect(put.body.message).toBe(message);
  });

  it.each([
    ['a merge patch', (p: string) => c.patch(p, { metadata: { finalizers: null } }, 'application/merge-patch+json')],
    ['a JSON patch', (p: string) => c.patch(p, [{ op: 'remove', path: '/metadata/finalizers' }], 'application/json-patch+json')],
    ['a strategic merge patch', (p: string) => c.patch(p, { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/hold'] } }, 'application/strategic-merge-patch+json')],
    [
      'a PUT',
      async (p: string) => {
        const cur = (await c.get(p)).body;
        return c.put(p, { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
      },
    ],
  ])('removing the last one by %s deletes the object (a DELETED event)', async (how, write) => {
    const name = `last-${how.split(' ').pop()!.toLowerCase()}`;
    const cm = await configMap(name, { finalizers: ['example.com/hold'] });
    await c.delete(`${CMS}/${name}`);
    const w = openWatch(cluster.url, `${CMS}?watch=true&fieldSelector=metadata.name%3D${name}&resourceVersion=${cm.metadata.resourceVersion}`);
    const res = await write(`${CMS}/${name}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.metadata.finalizers ?? []).toEqual([]);
    expect((await c.get(`${CMS}/${name}`)).status).toBe(404);
    const events = await w.next(2);
    w.close();
    expect(events.map((e: { type: string }) => e.type)).toEqual(['MODIFIED', 'DELETED']);
  });

  it('a dry-run removal of the last one deletes nothing', async () => {
    await configMap('last-dry', { finalizers: ['example.com/hold'] });
    const marked = (await c.delete(`${CMS}/last-dry`)).body;
    const res = await c.patch(`${CMS}/last-dry?dryRun=All`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect(res.status).toBe(200);
    expect((await c.get(`${CMS}/last-dry`)).body.metadata.resourceVersion).toBe(marked.metadata.resourceVersion);
  });

  it('through a Deployment\'s status, which keeps only spec and labels, removing the last one deletes it too', async () => {
    expect((await c.post(DEPLOYMENTS, { ...deployment('status-removes'), metadata: { name: 'status-removes', finalizers: ['example.com/hold'] } })).status).toBe(201);
    const marked = (await c.delete(`${DEPLOYMENTS}/status-removes`)).body;
    expect(marked.metadata.finalizers).toEqual(['example.com/hold']);
    const res = await c.put(`${DEPLOYMENTS}/status-removes/status`, { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    expect(res.status, res.text).toBe(200);
    expect((await c.get(`${DEPLOYMENTS}/status-removes`)).status).toBe(404);
  });
});

describe('deletecollection', () => {
  it('applies the policy to what the label selector matches and answers the list as it was', async () => {
    await configMap('coll-a', { labels: { coll: 'fg' } });
    await configMap('coll-b', { labels: { coll: 'fg' } });
    await configMap('coll-c', { labels: { coll: 'other' } });
    const res = await c.delete(`${CMS}?labelSelector=coll%3Dfg&propagationPolicy=Foreground`);
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('ConfigMapList');
    expect(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['coll-a', 'coll-b']);
    expect(res.body.items[0].metadata.deletionTimestamp).toBeUndefined();
    for (const name of ['coll-a', 'coll-b']) expect((await c.get(`${CMS}/${name}`)).body.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect((await c.get(`${CMS}/coll-c`)).body.metadata.deletionTimestamp).toBeUndefined();
  });

  it('takes the options from the body and selects by field', async () => {
    await configMap('coll-body');
    const res = await c.delete(`${CMS}?fieldSelector=metadata.name%3Dcoll-body`, body({ propagationPolicy: 'Orphan' }));
    expect(res.body.items).toHaveLength(1);
    expect((await c.get(`${CMS}/coll-body`)).body.metadata.finalizers).toEqual(['orphan']);
  });

  it('orphans Jobs by default, with the warning', async () => {
    expect((await c.post(JOBS, { ...job('coll-job'), metadata: { name: 'coll-job', labels: { coll: 'job' } } })).status).toBe(201);
    const res = await c.delete(`${JOBS}?labelSelector=coll%3Djob`);
    expect(res.headers.warning).toBe(JOB_WARNING);
    expect((await c.get(`${JOBS}/coll-job`)).body.metadata.finalizers).toEqual(['orphan']);
  });

  it('stops at a failed precondition', async () => {
    await configMap('coll-pre', { labels: { coll: 'pre' } });
    const res = await c.delete(`${CMS}?labelSelector=coll%3Dpre`, body({ preconditions: { uid: 'not-it' } }));
    expect(res.status).toBe(409);
    expect((await c.get(`${CMS}/coll-pre`)).status).toBe(200);
  });

  it('deletes only the page a limit asks for, and says where the rest starts', async () => {
    for (const n of ['1', '2', '3']) await configMap(`page-${n}`, { labels: { coll: 'page' } });
    const first = await c.delete(`${CMS}?labelSelector=coll%3Dpage&limit=2&propagationPolicy=Orphan`);
    expect(first.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['page-1', 'page-2']);
    expect(typeof first.body.metadata.continue).toBe('string');
    expect((await c.get(`${CMS}/page-3`)).body.metadata.deletionTimestamp).toBeUndefined();
    const rest = await c.delete(`${CMS}?labelSelector=coll%3Dpage&limit=2&propagationPolicy=Orphan&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(rest.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['page-3']);
    expect(rest.body.metadata.continue).toBeUndefined();
    expect((await c.get(`${CMS}/page-3`)).body.metadata.finalizers).toEqual(['orphan']);
  });

  it('refuses invalid options with 422', async () => {
    const res = await c.delete(`${CMS}?propagationPolicy=Sometimes`);
    expect(res.status).toBe(422);
  });
});

describe('preconditions', () => {
  it('fail with BeforeDelete wording, naming the kind', async () => {
    const cm = await configMap('pre');
    const uid = await c.delete(`${CMS}/pre`, body({ preconditions: { uid: 'not-it' } }));
    expect(uid.status).toBe(409);
    expect(uid.body).toMatchObject({
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on ConfigMap "pre": the UID in the precondition (not-it) does not match the UID in record (${cm.metadata.uid}). The object might have been deleted and then recreated`,
      details: { name: 'pre', kind: 'ConfigMap' },
    });
    const rv = await c.delete(`${DEPLOYMENTS}/none`, body({ preconditions: { resourceVersion: '1' } }));
    expect(rv.status).toBe(404);
    expect((await c.post(DEPLOYMENTS, deployment('pre-rv'))).status).toBe(201);
    const stale = await c.delete(`${DEPLOYMENTS}/pre-rv`, body({ preconditions: { resourceVersion: '1' } }));
    expect(stale.body.message).toMatch(/^Operation cannot be fulfilled on Deployment\.apps "pre-rv": the ResourceVersion in the precondition \(1\) does not match the ResourceVersion in record \(\d+\)\. The object might have been modified$/);
  });
});

describe('dryRun', () => {
  it('answers what a delete would do and changes nothing', async () => {
    const cm = await configMap('dry');
    const fg = await c.delete(`${CMS}/dry?dryRun=All&propagationPolicy=Foreground`);
    expect(fg.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    const orphan = await c.delete(`${CMS}/dry`, body({ dryRun: ['All'], propagationPolicy: 'Orphan' }));
    expect(orphan.body.metadata.finalizers).toEqual(['orphan']);
    const gone = await c.delete(`${CMS}/dry`, body({ dryRun: ['All'] }));
    expect(gone.body.status).toBe('Success');
    const coll = await c.delete(`${CMS}?dryRun=All&fieldSelector=metadata.name%3Ddry&propagationPolicy=Orphan`);
    expect(coll.body.items).toHaveLength(1);
    expect((await c.get(`${CMS}/dry`)).body.metadata.resourceVersion).toBe(cm.metadata.resourceVersion);
  });

  it('leaves a marked object as it was when a dry run switches its policy', async () => {
    await configMap('dry-switch');
    const marked = (await c.delete(`${CMS}/dry-switch?propagationPolicy=Orphan`)).body;
    const dry = await c.delete(`${CMS}/dry-switch?dryRun=All&propagationPolicy=Background`);
    expect(dry.body.status).toBe('Success');
    const now = (await c.get(`${CMS}/dry-switch`)).body;
    expect(now.metadata).toMatchObject({ resourceVersion: marked.metadata.resourceVersion, finalizers: ['orphan'] });
  });
});
