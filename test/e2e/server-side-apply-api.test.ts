// Server-side apply over HTTP, for what kubectl does not show: the 422 when fieldManager is
// missing (and for force on other patches), the 409 Status with one cause per field, a YAML
// body that creates, apply to the status subresource, a custom resource, and managedFields a
// client rewrites with an ordinary update.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startCluster, type Cluster } from '../../src/index.js';
import { api } from './http-client.js';

const APPLY = 'application/apply-patch+yaml';
const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const CT = '/apis/stable.example.com/v1/namespaces/default/crontabs';

let cluster: Cluster;
let c: ReturnType<typeof api>;

beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none' });
  c = api(cluster.url);
});
afterAll(async () => cluster?.stop());

describe('server-side apply over HTTP', () => {
  it('requires a field manager, and refuses force on other patch types', async () => {
    const r = await c.patch(`${CM}/x`, 'apiVersion: v1\nkind: ConfigMap\n', APPLY);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ reason: 'Invalid', message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', details: { causes: [{ reason: 'FieldValueRequired', field: 'fieldManager' }] } });
    await c.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' } });
    const f = await c.patch(`${CM}/m?force=true`, '{}', 'application/merge-patch+json');
    expect(f.status).toBe(422);
    expect((f.body as { message: string }).message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });

  it('creates from YAML, then answers a conflict with a Status naming the field and the manager', async () => {
    const created = await c.patch(`${CM}/cfg?fieldManager=deployer`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n', APPLY);
    expect(created.status).toBe(201);
    const body = created.body as { metadata: { managedFields: unknown[]; resourceVersion: string } };
    expect(body.metadata.managedFields).toEqual([{ manager: 'deployer', operation: 'Apply', apiVersion: 'v1', time: expect.any(String), fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }]);

    const edited = await c.put(`${CM}/cfg?fieldManager=editor`, { ...body, data: { a: '2' } });
    expect(edited.status).toBe(200);
    // The editor took data.a from the applier.
    expect((edited.body as { metadata: { managedFields: { manager: string }[] } }).metadata.managedFields.map((m) => m.manager)).toEqual(['editor']);

    const conflict = await c.patch(`${CM}/cfg?fieldManager=deployer`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '3' } }), APPLY);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "editor" using v1: .data.a',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "editor" using v1', field: '.data.a' }] },
    });
    const forced = await c.patch(`${CM}/cfg?fieldManager=deployer&force=true`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '3' } }), APPLY);
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ data: { a: '3' } });
  });

  it('refuses a configuration the schema cannot type, and one that carries managedFields', async () => {
    const r = await c.patch(`${CM}/typo?fieldManager=me`, 'apiVersion: v1\nkind: ConfigMap\ndata: {a: "1"}\ndatta: {b: "2"}\n', APPLY);
    expect(r.status).toBe(500);
    expect((r.body as { message: string }).message).toBe('failed to create typed patch object (default/typo; /v1, Kind=ConfigMap): .datta: field not declared in schema');
    const mf = await c.patch(`${CM}/typo?fieldManager=me`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  managedFields: []\n', APPLY);
    expect(mf.status).toBe(400);
    expect((mf.body as { message: string }).message).toBe('metadata.managedFields must be nil');
    const ns = await c.patch(`${CM}/typo?fieldManager=me`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: other\n', APPLY);
    expect(ns.status).toBe(400);
    expect((await c.get(`${CM}/typo`)).status).toBe(404);
  });

  it('writes nothing when the same configuration is applied again (same resourceVersion, same generation)', async () => {
    // Labels and ownerReferences come after name in the configuration but after uid in the
    // stored object: the merge lists metadata's keys in another order, which is no change.
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'again', labels: { app: 'again' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg', uid: 'u-1', controller: true }] },
      spec: { replicas: 2, selector: { matchLabels: { app: 'again' } }, template: { metadata: { labels: { app: 'again' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    const first = await c.patch(`${DEPLOY}/again?fieldManager=op&force=true`, JSON.stringify(deploy), APPLY);
    expect(first.status).toBe(201);
    const second = await c.patch(`${DEPLOY}/again?fieldManager=op&force=true`, JSON.stringify(deploy), APPLY);
    expect(second.status).toBe(200);
    expect(second.body.metadata).toMatchObject({ resourceVersion: first.body.metadata.resourceVersion, generation: 1 });
  });

  it('applies to the status subresource, recording the subresource', async () => {
    const spec = { replicas: 1, selector: { matchLabels: { app: 's' } }, template: { metadata: { labels: { app: 's' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } };
    expect((await c.patch(`${DEPLOY}/s?fieldManager=me`, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 's' }, spec }), APPLY)).status).toBe(201);
    const r = await c.patch(`${DEPLOY}/s/status?fieldManager=ctrl`, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 's' }, status: { replicas: 1, readyReplicas: 1 } }), APPLY);
    expect(r.status).toBe(200);
    const d = r.body as { status: Record<string, unknown>; spec: { replicas: number }; metadata: { managedFields: { manager: string; subresource?: string; fieldsV1: unknown }[] } };
    expect(d.status).toMatchObject({ replicas: 1, readyReplicas: 1 });
    expect(d.metadata.managedFields.find((m) => m.manager === 'ctrl')).toMatchObject({ subresource: 'status', fieldsV1: { 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } } });
    expect(d.metadata.managedFields.find((m) => m.manager === 'me')?.subresource).toBeUndefined();
  });

  it('creates an object whose configuration owns nothing but its name without an empty managedFields list', async () => {
    const r = await c.patch(`${CM}/bare?fieldManager=m`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bare\n', APPLY);
    expect(r.status).toBe(201);
    expect((r.body as { metadata: Record<string, unknown> }).metadata).not.toHaveProperty('managedFields');
  });

  it('applies to the scale subresource: replicas ownership moves between the Deployment and its Scale', async () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: scaled\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: s}\n  template:\n    metadata:\n      labels: {app: s}\n    spec:\n      containers: [{name: c, image: nginx}]\n';
    expect((await c.patch(`${DEPLOY}/scaled?fieldManager=deployer`, deployment, APPLY)).status).toBe(201);
    const scale = (n: number) => `apiVersion: autoscaling/v1\nkind: Scale\nmetadata:\n  name: scaled\nspec:\n  replicas: ${n}\n`;

    // The deployer owns spec.replicas: an autoscaler applying the Scale conflicts with it.
    const conflict = await c.patch(`${DEPLOY}/scaled/scale?fieldManager=autoscaler`, scale(5), APPLY);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "deployer": .spec.replicas', details: { causes: [{ reason: 'FieldManagerConflict', field: '.spec.replicas' }] } });

    const forced = await c.patch(`${DEPLOY}/scaled/scale?fieldManager=autoscaler&force=true`, scale(5), APPLY);
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ kind: 'Scale', spec: { replicas: 5 } });
    const d = (await c.get(`${DEPLOY}/scaled`)).body as { spec: { replicas: number }; metadata: { managedFields: { manager: string; operation: string; subresource?: string; fieldsV1: Record<string, any> }[] } };
    expect(d.spec.replicas).toBe(5);
    const autoscaler = d.metadata.managedFields.find((m) => m.manager === 'autoscaler')!;
    expect(autoscaler).toMatchObject({ operation: 'Apply', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    const deployer = d.metadata.managedFields.find((m) => m.manager === 'deployer')!;
    expect(deployer.fieldsV1['f:spec']['f:replicas']).toBeUndefined();

    // The autoscaler owns it now: the deployer re-applying its replicas is the one in conflict.
    const back = await c.patch(`${DEPLOY}/scaled?fieldManager=deployer`, deployment, APPLY);
    expect(back.status).toBe(409);
    expect((back.body as { message: string }).message).toBe('Apply failed with 1 conflict: conflict with "autoscaler" with subresource "scale": .spec.replicas');
  });

  it('applies a custom resource by its structural schema', async () => {
    const crd = parse(readFileSync(fileURLToPath(new URL('./testdata/crontab-crd.yaml', import.meta.url)), 'utf8'));
    expect((await c.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    const manifest = (cron: string) => `apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: ct\nspec:\n  cronSpec: "${cron}"\n  image: img\n`;
    let r = await c.patch(`${CT}/ct?fieldManager=me`, manifest('* * * * *'), APPLY);
    for (let i = 0; r.status === 404 && i < 50; i++) {
      await new Promise((res) => setTimeout(res, 20)); // the CRD's endpoints appear once it is Established
      r = await c.patch(`${CT}/ct?fieldManager=me`, manifest('* * * * *'), APPLY);
    }
    expect(r.status).toBe(201);
    r = await c.patch(`${CT}/ct?fieldManager=me`, manifest('*/5 * * * *'), APPLY);
    expect(r.status).toBe(200);
    const ct = r.body as { spec: Record<string, unknown>; metadata: { managedFields: { manager: string; fieldsV1: unknown }[] } };
    expect(ct.spec).toMatchObject({ cronSpec: '*/5 * * * *', image: 'img' });
    expect(ct.metadata.managedFields).toMatchObject([{ manager: 'me', fieldsV1: { 'f:spec': { 'f:cronSpec': {}, 'f:image': {} } } }]);
  });

  it('takes managedFields a client sends with an update as the starting point, and [{}] resets them', async () => {
    const created = await c.patch(`${CM}/mf?fieldManager=a`, 'apiVersion: v1\nkind: ConfigMap\ndata:\n  k: v\n', APPLY);
    const obj = created.body as { metadata: Record<string, unknown> };
    const renamed = await c.put(`${CM}/mf?fieldManager=b`, { ...obj, metadata: { ...obj.metadata, managedFields: [{ manager: 'renamed', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:k': {} } } }] } });
    expect((renamed.body as { metadata: { managedFields: { manager: string }[] } }).metadata.managedFields.map((m) => m.manager)).toEqual(['renamed']);
    const reset = await c.put(`${CM}/mf?fieldManager=b`, { ...(renamed.body as object), metadata: { ...(renamed.body as { metadata: object }).metadata, managedFields: [{}] } });
    expect((reset.body as { metadata: { managedFields?: unknown[] } }).metadata.managedFields ?? []).toEqual([]);
  });
});
