// Rejected requests property: invalid names, labels, types, malformed and huge bodies, failing
// patches, stale versions and schema violations each get kube's Status (code and reason, never a
// 5xx), and change nothing: the full lists of ConfigMaps, Pods and Widgets and the cluster's
// resourceVersion are the same before and after.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api } from '../e2e/http-client.js';
import { badRequest, CM, NS, PODS, TARGET, WIDGETS, widgetCRD } from './invalid-requests.js';
import { expectFailureStatus, fcParams, propertyTimeout } from './support.js';

let cluster: Cluster;
let c: ReturnType<typeof api>;
beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none' });
  c = api(cluster.url);
  expect((await c.post('/api/v1/namespaces', { metadata: { name: NS } })).status).toBe(201);
  expect((await c.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCRD)).status).toBe(201);
  await cluster.waitFor('customresourcedefinition.apiextensions.k8s.io/widgets.example.com', { condition: 'Established' });
  expect((await c.post(`${CM}?fieldManager=owner`, { metadata: { name: TARGET, labels: { app: 'x' } }, data: { k: 'v' } })).status).toBe(201);
  expect((await c.post(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3, tags: ['a'] } })).status).toBe(201);
});
afterAll(async () => cluster?.stop());

async function snapshot() {
  const lists = await Promise.all(['/api/v1/configmaps', PODS, WIDGETS, '/api/v1/namespaces'].map((p) => c.get(p)));
  for (const l of lists) expect(l.status).toBe(200);
  return { rv: lists[0]!.body.metadata.resourceVersion, items: lists.map((l) => l.body.items) };
}

it('every rejected request answers kube\'s Status and changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(badRequest, async (bad) => {
      const before = await snapshot();
      const res = await bad.send(c);
      expectFailureStatus(res, undefined, bad.reason);
      expect([bad.code].flat(), `${bad.what}: ${res.text.slice(0, 300)}`).toContain(res.status);
      expect(await snapshot(), bad.what).toEqual(before);
    }),
    fcParams(150),
  );
}, propertyTimeout(120_000));
