// The REST API end to end over HTTP: reads, writes, pagination, watch, discovery, Table
// printing and field validation, against a real kubesim on a free port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api, openWatch } from './http-client.js';

let cluster: Cluster;
let c: ReturnType<typeof api>;
const CM = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  cluster = await startCluster({ watchCacheSize: 50, bookmarkIntervalMs: 100, controllers: 'none' });
  c = api(cluster.url);
});
afterAll(async () => cluster?.stop());

describe('objects', () => {
  it('creates with server-set fields, gets, updates with optimistic concurrency, deletes', async () => {
    const created = await c.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } });
    expect(created.status).toBe(201);
    const m = created.body.metadata;
    expect(m.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(m.namespace).toBe('default');
    expect(m.resourceVersion).toMatch(/^\d+$/);
    expect(m.generation).toBeUndefined(); // only kinds whose strategy tracks spec changes have one
    expect(m.managedFields[0]).toMatchObject({ operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1' });
    // data appeared with this write, so it is a member itself ("."), as kube-apiserver records it.
    expect(m.managedFields[0].fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:k': {} } });

    const got = await c.get(`${CM}/a`);
    expect(got.body).toEqual(created.body);

    const updated = await c.put(`${CM}/a`, { ...created.body, data: { k: 'v2' } });
    expect(updated.status).toBe(200);
    expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(Number(m.resourceVersion));

    const stale = await c.put(`${CM}/a`, { ...created.body, data: { k: 'v3' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      code: 409,
      message: 'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    });

    const unconditional = await c.put(`${CM}/a`, { metadata: { name: 'a' }, data: { k: 'v4' } });
    expect(unconditional.status).toBe(200);

    const del = await c.delete(`${CM}/a`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'a', kind: 'configmaps' } });
    const missing = await c.get(`${CM}/a`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ reason: 'NotFound', message: 'configmaps "a" not found', details: { name: 'a', kind: 'configmaps' } });
  });

  it('generateName, generation, and no-op updates', async () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { generateName: 'web-' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    const res = await c.post('/apis/apps/v1/namespaces/default/deployments', dep);
    expect(res.status).toBe(201);
    const name = res.body.metadata.name as string;
    expect(name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(res.body.metadata.generation).toBe(1);
    expect(res.body.spec.replicas).toBe(1);
    const path = `/apis/apps/v1/namespaces/default/deployments/${name}`;
    const labelled = await c.patch(path, { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json');
    expect(labelled.body.metadata.generation).toBe(1);
    const scaled = await c.patch(path, { spec: { replicas: 3 } }, 'application/merge-patch+json');
    expect(scaled.body.metadata.generation).toBe(2);
    const same = await c.patch(path, { spec: { replicas: 3 } }, 'application/merge-patch+json');
    expect(same.body.metadata.resourceVersion).toBe(scaled.body.metadata.resourceVersion);

    // The scale subresource reads and writes the replicas of the parent.
    const scale = await c.get(`${path}/scale`);
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 0, selector: 'app=web' } });
    const rescaled = await c.patch(`${path}/scale`, { spec: { replicas: 5 } }, 'application/merge-patch+json');
    expect(rescaled.body.spec.replicas).toBe(5);
    expect((await c.get(path)).body.spec.replicas).toBe(5);
    const negative = await c.put(`${path}/scale`, { ...rescaled.body, spec: { replicas: -1 } });
    expect(negative.status).toBe(422);
  });

  it('refuses a namespace that does not exist', async () => {
    const res = await c.post('/api/v1/namespaces/nope/configmaps', { metadata: { name: 'x' } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ reason: 'NotFound', message: 'namespaces "nope" not found' });
  });

  it('validates names with the real wording and field paths', async () => {
    const res = await c.post(CM, { metadata: { name: 'Bad_Name' } });
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.message).toMatch(/^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    expect(res.body.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'metadata.name' });
  });

  it('dryRun=All validates and answers without storing', async () => {
    const res = await c.post(`${CM}?dryRun=All`, { metadata: { name: 'dry' } });
    expect(res.status).toBe(201);
    expect((await c.get(`${CM}/dry`)).status).toBe(404);
    expect((await c.post(`${CM}?dryRun=Some`, { metadata: { name: 'dry' } })).status).toBe(400);
  });
});

describe('fieldValidation', () => {
  it('Strict rejects unknown and duplicate fields with the decoder wording', async () => {
    const res = await c.post(`${CM}?fieldValidation=Strict`, '{"metadata":{"name":"fv","name":"fv"},"data":{"a":"b"},"spec":{"x":1}}');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", unknown field "spec"');
    const nested = await c.post(`/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict`, {
      metadata: { name: 'fv' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', imagee: 'typo' }] } } },
    });
    expect(nested.body.message).toContain('unknown field "spec.template.spec.containers[0].imagee"');
    expect((await c.get(`${CM}/fv`)).status).toBe(404);
  });

  it('Warn (the default) stores the object and answers Warning headers; Ignore says nothing', async () => {
    const warn = await c.post(CM, { metadata: { name: 'fv-warn' }, bogus: 1 });
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"bogus\\""');
    expect(warn.body.bogus).toBeUndefined();
    const ignore = await c.post(`${CM}?fieldValidation=Ignore`, { metadata: { name: 'fv-ignore' }, bogus: 1 });
    expect(ignore.status).toBe(201);
    expect(ignore.headers.warning).toBeUndefined();
  });
});

describe('hostile and malformed requests', () => {
  it('answers each with the right Status and leaves stored data unchanged', async () => {
    await c.post(CM, { metadata: { name: 'keep' }, data: { a: '1' } });
    const before = (await c.get(`${CM}/keep`)).body;
    const cases: [string, () => ReturnType<typeof c.get>, number, string][] = [
      ['malformed JSON', () => c.post(CM, '{"metadata": {'), 400, 'BadRequest'],
      ['JSON array body', () => c.post(CM, '[1,2]'), 400, 'BadRequest'],
      ['wrong kind', () => c.post(CM, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }), 400, 'BadRequest'],
      ['wrong apiVersion', () => c.post(CM, { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }), 400, 'BadRequest'],
      ['metadata not an object', () => c.post(CM, { metadata: 'x' }), 400, 'BadRequest'],
      ['unsupported content type', () => c.post(CM, 'x', { 'content-type': 'text/plain' }), 415, 'UnsupportedMediaType'],
      ['body over 3 MiB', () => c.post(CM, { metadata: { name: 'big' }, data: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } }), 413, 'RequestEntityTooLarge'],
      ['update of another name', () => c.put(`${CM}/keep`, { metadata: { name: 'other' } }), 400, 'BadRequest'],
      ['unsupported patch type', () => c.patch(`${CM}/keep`, '{}', 'application/xml'), 415, 'UnsupportedMediaType'],
      ['bad JSON patch', () => c.patch(`${CM}/keep`, '{"op":"add"}', 'application/json-patch+json'), 400, 'BadRequest'],
      ['unknown resource', () => c.get('/api/v1/namespaces/default/widgets'), 404, 'NotFound'],
      ['unknown group', () => c.get('/apis/nope.io/v1/things'), 404, 'NotFound'],
      ['unsupported verb on a subresource', () => c.delete('/api/v1/namespaces/default/pods/p/status'), 405, 'MethodNotAllowed'],
      ['bad label selector', () => c.get(`${CM}?labelSelector=a%20in%20(`), 400, 'BadRequest'],
      ['bad resourceVersion', () => c.get(`${CM}?resourceVersion=abc`), 400, 'BadRequest'],
      ['bad continue token', () => c.get(`${CM}?limit=1&continue=garbage`), 400, 'BadRequest'],
      ['strict unknown field', () => c.post(`${CM}?fieldValidation=Strict`, { metadata: { name: 'x' }, bogus: 1 }), 400, 'BadRequest'],
    ];
    for (const [what, send, code, reason] of cases) {
      const res = await send();
      expect(res.status, what).toBe(code);
      expect(res.body?.kind, what).toBe('Status');
      expect(res.body?.reason, what).toBe(reason);
    }
    expect((await c.get(`${CM}/keep`)).body).toEqual(before);
    expect((await c.get('/readyz')).text).toBe('ok');
  });
});

describe('lists', () => {
  it('selects by label and field, and pages over a consistent snapshot', async () => {
    await c.post('/api/v1/namespaces', { metadata: { name: 'paging' } });
    const base = '/api/v1/namespaces/paging/configmaps';
    for (let i = 0; i < 7; i++) await c.post(base, { metadata: { name: `c${i}`, labels: { parity: i % 2 ? 'odd' : 'even', n: String(i) } } });
    const odd = await c.get(`${base}?labelSelector=parity%3Dodd`);
    expect(odd.body.items.map((o: any) => o.metadata.name)).toEqual(['c1', 'c3', 'c5']); // eslint-disable-line @typescript-eslint/no-explicit-any
    const notin = await c.get(`${base}?labelSelector=${encodeURIComponent('n notin (0,1,2),parity!=odd')}`);
    expect(notin.body.items.map((o: any) => o.metadata.name)).toEqual(['c4', 'c6']); // eslint-disable-line @typescript-eslint/no-explicit-any
    const byName = await c.get(`${base}?fieldSelector=metadata.name%3Dc2`);
    expect(byName.body.items.map((o: any) => o.metadata.name)).toEqual(['c2']); // eslint-disable-line @typescript-eslint/no-explicit-any

    const p1 = await c.get(`${base}?limit=3`);
    expect(p1.body.items).toHaveLength(3);
    expect(p1.body.metadata.remainingItemCount).toBe(4);
    const token = p1.body.metadata.continue as string;
    await c.delete(`${base}/c4`); // changes after the first page don't show in later pages
    const p2 = await c.get(`${base}?limit=3&continue=${token}`);
    expect(p2.body.items.map((o: any) => o.metadata.name)).toEqual(['c3', 'c4', 'c5']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(p2.body.metadata.resourceVersion).toBe(p1.body.metadata.resourceVersion);
    const p3 = await c.get(`${base}?limit=3&continue=${p2.body.metadata.continue}`);
    expect(p3.body.items.map((o: any) => o.metadata.name)).toEqual(['c6']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(p3.body.metadata.continue).toBeUndefined();
  });

  it('answers 410 Expired for a continue token older than the history', async () => {
    const p1 = await c.get('/api/v1/namespaces/paging/configmaps?limit=1');
    for (let i = 0; i < 60; i++) await c.post(CM, { metadata: { generateName: 'churn-' } });
    const p2 = await c.get(`/api/v1/namespaces/paging/configmaps?limit=1&continue=${p1.body.metadata.continue}`);
    expect(p2.status).toBe(410);
    expect(p2.body).toMatchObject({ reason: 'Expired', code: 410 });
    expect(p2.body.metadata.continue).toBeTruthy();
  });

  it('resourceVersionMatch rules', async () => {
    const bad = await c.get(`${CM}?resourceVersionMatch=Exact`);
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain('resourceVersionMatch is forbidden unless resourceVersion is provided');
    const future = await c.get(`${CM}?resourceVersion=999999999&resourceVersionMatch=NotOlderThan`);
    expect(future.status).toBe(504);
  });
});

describe('watch', () => {
  it('streams ADDED/MODIFIED/DELETED, resumes from a resourceVersion, and says 410 for an expired one', async () => {
    await c.post('/api/v1/namespaces', { metadata: { name: 'watching' } });
    const base = '/api/v1/namespaces/watching/configmaps';
    const list = await c.get(base);
    const w = openWatch(cluster.url, `${base}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    await new Promise((r) => setTimeout(r, 50));
    const a = (await c.post(base, { metadata: { name: 'a', labels: { l: '1' } } })).body;
    await c.put(`${base}/a`, { ...a, data: { x: 'y' } });
    await c.delete(`${base}/a`);
    const evs = await w.next(3);
    expect(evs.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    w.close();

    const resumed = openWatch(cluster.url, `${base}?watch=1&resourceVersion=${a.metadata.resourceVersion}`);
    expect((await resumed.next(2)).map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    resumed.close();

    for (let i = 0; i < 60; i++) await c.post(base, { metadata: { generateName: 'churn-' } });
    const expired = openWatch(cluster.url, `${base}?watch=1&resourceVersion=${a.metadata.resourceVersion}`);
    const [err] = await expired.next(1);
    expect(err.type).toBe('ERROR');
    expect(err.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(await expired.waitEnded()).toBe(true);
  });

  it('delivers an object leaving the selector as DELETED', async () => {
    const base = '/api/v1/namespaces/watching/configmaps';
    const w = openWatch(cluster.url, `${base}?watch=1&labelSelector=team%3Dred`);
    const obj = (await c.post(base, { metadata: { name: 'mover', labels: { team: 'red' } } })).body;
    await c.patch(`${base}/mover`, { metadata: { labels: { team: 'blue' } } }, 'application/merge-patch+json');
    const evs = await w.next(2);
    expect(evs.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    expect(evs[1].object.metadata.labels.team).toBe('red');
    expect(Number(evs[1].object.metadata.resourceVersion)).toBeGreaterThan(Number(obj.metadata.resourceVersion));
    w.close();
  });

  it('sendInitialEvents ends the initial burst with an annotated bookmark, then sends bookmarks', async () => {
    const base = '/api/v1/namespaces/watching/configmaps';
    const w = openWatch(cluster.url, `${base}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    const count = (await c.get(base)).body.items.length;
    const evs = await w.next(count + 2);
    expect(evs.slice(0, count).every((e) => e.type === 'ADDED')).toBe(true);
    expect(evs[count]).toMatchObject({ type: 'BOOKMARK', object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
    expect(evs[count + 1].type).toBe('BOOKMARK');
    w.close();
    const bad = await c.get(`${base}?watch=1&sendInitialEvents=true`);
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain('sendInitialEvents requires setting allowWatchBookmarks to true');
  });

  it('ends at timeoutSeconds', async () => {
    const w = openWatch(cluster.url, `${CM}?watch=1&timeoutSeconds=1`);
    expect(await w.waitEnded(3000)).toBe(true);
  });
});

describe('discovery, Table printing, OpenAPI', () => {
  it('serves legacy and aggregated discovery', async () => {
    expect((await c.get('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await c.get('/apis')).body;
    expect(groups.groups.map((g: any) => g.name)).toEqual(expect.arrayContaining(['apps', 'batch', 'coordination.k8s.io', 'events.k8s.io'])); // eslint-disable-line @typescript-eslint/no-explicit-any
    const v1 = (await c.get('/api/v1')).body;
    expect(v1.resources.find((r: any) => r.name === 'pods')).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] }); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(v1.resources.find((r: any) => r.name === 'pods/status')).toMatchObject({ verbs: ['get', 'patch', 'update'] }); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const v of ['v2', 'v2beta1']) {
      const agg = await c.get('/apis', { accept: `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList,application/json` });
      expect(agg.headers['content-type']).toBe(`application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
      expect(agg.body.kind).toBe('APIGroupDiscoveryList');
      const apps = agg.body.items.find((i: any) => i.metadata.name === 'apps'); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(apps.versions[0].resources.find((r: any) => r.resource === 'deployments')).toMatchObject({ scope: 'Namespaced', singularResource: 'deployment' }); // eslint-disable-line @typescript-eslint/no-explicit-any
    }
    expect((await c.get('/version')).body.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
  });

  it('prints a Table with the columns kubectl shows', async () => {
    const t = await c.get('/apis/apps/v1/namespaces/default/deployments', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    expect(t.body.kind).toBe('Table');
    expect(t.body.columnDefinitions.filter((d: any) => d.priority === 0).map((d: any) => d.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(t.body.rows[0].object.kind).toBe('PartialObjectMetadata');
    const pods = await c.get('/api/v1/namespaces/default/pods', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(pods.body.columnDefinitions.filter((d: any) => d.priority === 0).map((d: any) => d.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  it('serves /openapi/v2 as JSON and as the protobuf older kubectl decodes', async () => {
    const json = await c.get('/openapi/v2', { accept: 'application/json' });
    expect(json.body.swagger).toBe('2.0');
    expect(json.body.definitions['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    const pb = await c.get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(pb.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect(pb.text.length).toBeGreaterThan(100_000);
  });

  it('serves /openapi/v3 with the fieldValidation parameter on PATCH', async () => {
    const index = (await c.get('/openapi/v3')).body;
    const url = index.paths['api/v1'].serverRelativeURL as string;
    const doc = (await c.get(url)).body;
    const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    expect(patch.parameters.map((p: any) => p.name ?? p.$ref)).toEqual(expect.arrayContaining(['fieldValidation'])); // eslint-disable-line @typescript-eslint/no-explicit-any
  });
});

describe('services', () => {
  it('allocates a ClusterIP and gives it back when the Service is deleted', async () => {
    const svc = (ip?: string) => ({ metadata: { name: ip ? 'fixed' : 'auto' }, spec: { ...(ip ? { clusterIP: ip } : {}), ports: [{ port: 80 }] } });
    const auto = await c.post('/api/v1/namespaces/default/services', svc());
    expect(auto.body.spec.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(auto.body.spec.ports[0]).toMatchObject({ port: 80, protocol: 'TCP', targetPort: 80 });
    const fixed = await c.post('/api/v1/namespaces/default/services', svc('10.96.0.50'));
    expect(fixed.status).toBe(201);
    const clash = await c.post('/api/v1/namespaces/other-ns-does-not-exist/services', svc('10.96.0.50'));
    expect(clash.status).toBe(404);
    await c.delete('/api/v1/namespaces/default/services/fixed');
    const again = await c.post('/api/v1/namespaces/default/services', { ...svc('10.96.0.50'), metadata: { name: 'fixed-again' } });
    expect(again.status).toBe(201);
  });
});

describe('finalizers', () => {
  it('keeps a deleted object until its last finalizer is removed, then deletes it', async () => {
    const path = `${CM}/held`;
    await c.post(CM, { metadata: { name: 'held', finalizers: ['example.com/hold', 'example.com/second'] } });
    const w = openWatch(cluster.url, `${CM}?watch=1&fieldSelector=metadata.name%3Dheld`);
    const del = await c.delete(path);
    expect(del.status).toBe(200);
    expect(del.body.kind).toBe('ConfigMap');
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    expect(del.body.metadata.deletionGracePeriodSeconds).toBe(0);
    expect((await c.get(path)).status).toBe(200);
    const again = await c.delete(path);
    expect(again.body.metadata.resourceVersion).toBe(del.body.metadata.resourceVersion);

    const adding = await c.patch(path, { metadata: { finalizers: ['example.com/hold', 'example.com/second', 'example.com/late'] } }, 'application/merge-patch+json');
    expect(adding.status).toBe(422);
    expect(adding.body.message).toContain('no new finalizers can be added if the object is being deleted');

    await c.patch(path, [{ op: 'remove', path: '/metadata/finalizers/1' }], 'application/json-patch+json');
    expect((await c.get(path)).status).toBe(200);
    await c.patch(path, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect((await c.get(path)).status).toBe(404);
    const evs = await w.next(4);
    expect(evs.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    w.close();
  });
});

describe('events', () => {
  it('core/v1 and events.k8s.io/v1 Events are one store in two shapes', async () => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, '.000000Z');
    const core = await c.post('/api/v1/namespaces/default/events', {
      metadata: { name: 'legacy.1' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
      reason: 'Started',
      message: 'Started container web',
      type: 'Normal',
      source: { component: 'kubelet' },
      count: 1,
    });
    expect(core.status).toBe(201);
    const asV1 = await c.get('/apis/events.k8s.io/v1/namespaces/default/events/legacy.1');
    expect(asV1.body).toMatchObject({ apiVersion: 'events.k8s.io/v1', regarding: { kind: 'Pod', name: 'web' }, note: 'Started container web', deprecatedSource: { component: 'kubelet' }, deprecatedCount: 1 });

    const v1 = await c.post('/apis/events.k8s.io/v1/namespaces/default/events', {
      metadata: { name: 'new.1' },
      eventTime: now,
      regarding: { kind: 'Job', name: 'pi', namespace: 'default' },
      reason: 'Completed',
      note: 'Job completed',
      type: 'Normal',
      action: 'Complete',
      reportingController: 'job-controller',
      reportingInstance: 'kubesim',
    });
    expect(v1.status, v1.text).toBe(201);
    const coreList = await c.get('/api/v1/namespaces/default/events');
    const fromV1 = coreList.body.items.find((e: { metadata: { name: string } }) => e.metadata.name === 'new.1');
    expect(fromV1).toMatchObject({ apiVersion: 'v1', involvedObject: { kind: 'Job', name: 'pi' }, message: 'Job completed', reportingComponent: 'job-controller' });
    const selected = await c.get('/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.kind%3DJob');
    expect(selected.body.items.map((e: { metadata: { name: string } }) => e.metadata.name)).toEqual(['new.1']);
  });
});

describe('pods/binding', () => {
  it('assigns a pod to a node once, with the PodScheduled condition', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    expect((await c.post(pods, { metadata: { name: 'bindme' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } })).status).toBe(201);
    const bind = await c.post(`${pods}/bindme/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bindme' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } });
    expect(bind.status).toBe(201);
    const pod = (await c.get(`${pods}/bindme`)).body;
    expect(pod.spec.nodeName).toBe('node-1');
    expect(pod.status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]));
    const again = await c.post(`${pods}/bindme/binding`, { target: { kind: 'Node', name: 'node-2' } });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('is already assigned to node "node-1"');
    // A direct update may not move it: spec.nodeName is immutable once set.
    const moved = await c.patch(`${pods}/bindme`, { spec: { nodeName: 'node-2' } }, 'application/merge-patch+json');
    expect(moved.status).toBe(422);
  });
});
