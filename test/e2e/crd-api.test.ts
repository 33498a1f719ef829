// Custom resources over HTTP: several versions, read-back defaults, CEL rules, name
// clashes, cluster scope, and a terminating CRD.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api, openWatch } from './http-client.js';

let cluster: Cluster;
let c: ReturnType<typeof api>;
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

beforeAll(async () => {
  cluster = await startCluster();
  c = api(cluster.url);
});
afterAll(async () => cluster?.stop());

async function established(name: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  for (let i = 0; i < 100; i++) {
    const crd = (await c.get(`${CRDS}/${name}`)).body;
    if (crd.status?.conditions?.some((x: { type: string; status: string }) => x.type === 'Established' && x.status === 'True')) return crd;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${name} never became Established`);
}

const objectSchema = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties, ...extra } } },
});

function widgetCRD(versions: unknown[], names: Record<string, unknown> = {}, scope = 'Namespaced') {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${(names.plural as string) ?? 'widgets'}.example.com` },
    spec: { group: 'example.com', scope, names: { plural: 'widgets', singular: 'widget', kind: 'Widget', ...names }, versions },
  };
}

describe('several versions', () => {
  it('stores in the storage version, serves each version with its apiVersion, and warns on a deprecated one', async () => {
    const schema = objectSchema({ size: { type: 'integer' } });
    const res = await c.post(CRDS, widgetCRD([
      { name: 'v1', served: true, storage: true, schema },
      { name: 'v1beta1', served: true, storage: false, deprecated: true, deprecationWarning: 'example.com/v1beta1 Widget is deprecated; use example.com/v1', schema },
    ]));
    expect(res.status).toBe(201);
    const crd = await established('widgets.example.com');
    expect(crd.status.storedVersions).toEqual(['v1']);
    const made = await c.post('/apis/example.com/v1beta1/namespaces/default/widgets', { apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 2 } });
    expect(made.status).toBe(201);
    expect(made.body.apiVersion).toBe('example.com/v1beta1');
    expect(made.headers.warning).toBe('299 - "example.com/v1beta1 Widget is deprecated; use example.com/v1"');
    const v1 = await c.get('/apis/example.com/v1/namespaces/default/widgets/w');
    expect(v1.body.apiVersion).toBe('example.com/v1');
    expect(v1.headers.warning).toBeUndefined();
    const list = await c.get('/apis/example.com/v1beta1/widgets');
    expect(list.body.items.map((i: { apiVersion: string }) => i.apiVersion)).toEqual(['example.com/v1beta1']);
  });

  it('applies a default added to the schema to objects read back', async () => {
    const crd = (await c.get(`${CRDS}/widgets.example.com`)).body;
    for (const v of crd.spec.versions) v.schema.openAPIV3Schema.properties.spec.properties.color = { type: 'string', default: 'blue' };
    const upd = await c.put(`${CRDS}/widgets.example.com`, crd);
    expect(upd.status).toBe(200);
    let color: string | undefined;
    for (let i = 0; i < 50 && color === undefined; i++) {
      color = (await c.get('/apis/example.com/v1/namespaces/default/widgets/w')).body.spec.color;
      if (color === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    expect(color).toBe('blue');
  });

  it('refuses a CRD whose names clash with an established one: NamesAccepted=False', async () => {
    const clash = widgetCRD([{ name: 'v1', served: true, storage: true, schema: objectSchema({}) }], { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: ['widget'] });
    expect((await c.post(CRDS, clash)).status).toBe(201);
    let cond: { status: string; message: string } | undefined;
    for (let i = 0; i < 50 && !cond; i++) {
      const got = (await c.get(`${CRDS}/gadgets.example.com`)).body;
      cond = got.status?.conditions?.find((x: { type: string; status: string }) => x.type === 'NamesAccepted' && x.status === 'False');
      if (!cond) await new Promise((r) => setTimeout(r, 10));
    }
    expect(cond?.message).toBe('"widget" is already in use');
    expect((await c.get('/apis/example.com/v1/namespaces/default/gadgets')).status).toBe(404);
  });
});

describe('CEL rules', () => {
  it('evaluates x-kubernetes-validations with message, messageExpression and transition rules', async () => {
    const schema = {
      openAPIV3Schema: {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            'x-kubernetes-validations': [
              { rule: 'self.minReplicas <= self.maxReplicas', message: 'minReplicas must not exceed maxReplicas' },
              { rule: 'self.name.startsWith("app-")', messageExpression: '"name must start with app-, got " + self.name', fieldPath: '.name' },
            ],
            properties: {
              name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'name is immutable' }] },
              minReplicas: { type: 'integer' },
              maxReplicas: { type: 'integer' },
            },
          },
        },
      },
    };
    const crd = widgetCRD([{ name: 'v1', served: true, storage: true, schema }], { plural: 'scalers', singular: 'scaler', kind: 'Scaler' });
    expect((await c.post(CRDS, crd)).status).toBe(201);
    await established('scalers.example.com');
    const base = '/apis/example.com/v1/namespaces/default/scalers';
    const bad = await c.post(base, { apiVersion: 'example.com/v1', kind: 'Scaler', metadata: { name: 's' }, spec: { name: 'web', minReplicas: 5, maxReplicas: 2 } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'spec', message: 'Invalid value: "object": minReplicas must not exceed maxReplicas' }),
        // With fieldPath the error moves to that field but names the rule's own node type, as kube does.
        expect.objectContaining({ field: 'spec.name', message: 'Invalid value: "object": name must start with app-, got web' }),
      ]),
    );
    const ok = await c.post(base, { apiVersion: 'example.com/v1', kind: 'Scaler', metadata: { name: 's' }, spec: { name: 'app-web', minReplicas: 1, maxReplicas: 2 } });
    expect(ok.status).toBe(201);
    const renamed = await c.patch(`${base}/s`, { spec: { name: 'app-other' } }, 'application/merge-patch+json');
    expect(renamed.status).toBe(422);
    expect(renamed.body.message).toContain('spec.name: Invalid value: "string": name is immutable');
  });
});

describe('cluster scope and termination', () => {
  it('serves a cluster-scoped custom resource and refuses it under a namespace', async () => {
    const crd = widgetCRD([{ name: 'v1', served: true, storage: true, schema: objectSchema({ size: { type: 'integer' } }) }], { plural: 'regions', singular: 'region', kind: 'Region' }, 'Cluster');
    expect((await c.post(CRDS, crd)).status).toBe(201);
    await established('regions.example.com');
    const made = await c.post('/apis/example.com/v1/regions', { apiVersion: 'example.com/v1', kind: 'Region', metadata: { name: 'eu' }, spec: { size: 1 } });
    expect(made.status).toBe(201);
    expect(made.body.metadata.namespace).toBeUndefined();
    expect((await c.get('/apis/example.com/v1/namespaces/default/regions/eu')).status).toBe(404);
  });

  it('deletes the custom resources of a deleted CRD, waiting for their own finalizers', async () => {
    const obj = await c.post('/apis/example.com/v1/regions', { apiVersion: 'example.com/v1', kind: 'Region', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    expect(obj.status).toBe(201);
    const del = await c.delete(`${CRDS}/regions.example.com`);
    expect(del.body.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    let terminating = false;
    for (let i = 0; i < 50 && !terminating; i++) {
      const crd = (await c.get(`${CRDS}/regions.example.com`)).body;
      terminating = crd.status?.conditions?.some((x: { type: string; status: string }) => x.type === 'Terminating' && x.status === 'True');
      if (!terminating) await new Promise((r) => setTimeout(r, 10));
    }
    expect(terminating).toBe(true);
    const create = await c.post('/apis/example.com/v1/regions', { apiVersion: 'example.com/v1', kind: 'Region', metadata: { name: 'late' } });
    expect(create.status).toBe(405);
    const held = await c.get('/apis/example.com/v1/regions/held');
    expect(held.body.metadata.deletionTimestamp).toBeTruthy();
    await c.patch('/apis/example.com/v1/regions/held', { metadata: { finalizers: null } }, 'application/merge-patch+json');
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      gone = (await c.get(`${CRDS}/regions.example.com`)).status === 404;
      if (!gone) await new Promise((r) => setTimeout(r, 20));
    }
    expect(gone).toBe(true);
  });
});

describe('webhook conversion', () => {
  it('answers a clear error for a version that would need a conversion webhook', async () => {
    const schema = objectSchema({ size: { type: 'integer' } });
    const crd = widgetCRD(
      [
        { name: 'v1', served: true, storage: true, schema },
        { name: 'v2', served: true, storage: false, schema },
      ],
      { plural: 'hooks', singular: 'hook', kind: 'Hook' },
    );
    (crd.spec as Record<string, unknown>).conversion = {
      strategy: 'Webhook',
      webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: 'https://127.0.0.1:9443/convert' } },
    };
    const res = await c.post(CRDS, crd);
    expect(res.status, res.text).toBe(201);
    await established('hooks.example.com');
    // A watcher of the other version fails on its own; the write that fed it does not.
    const rv = (await c.get('/apis/example.com/v1/namespaces/default/hooks')).body.metadata.resourceVersion;
    const w = openWatch(cluster.url, `/apis/example.com/v2/namespaces/default/hooks?watch=1&resourceVersion=${rv}`);
    await new Promise((r) => setTimeout(r, 50));
    expect((await c.post('/apis/example.com/v1/namespaces/default/hooks', { apiVersion: 'example.com/v1', kind: 'Hook', metadata: { name: 'h' } })).status).toBe(201);
    const [ev] = await w.next(1);
    expect(ev).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 500 } });
    expect(await w.waitEnded()).toBe(true);
    const other = await c.get('/apis/example.com/v2/namespaces/default/hooks/h');
    expect(other.status).toBe(500);
    expect(other.body.message).toContain('conversion webhook for example.com/v1, Kind=Hook failed: kubesim does not call conversion webhooks');
  });
});
