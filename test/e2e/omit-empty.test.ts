// Found by the ConfigMap model property (test/property): kube decodes a body into the Go type,
// so an empty map or list in an omitempty field (labels, annotations, finalizers, a ConfigMap's
// data) is not stored, and a write that only adds one is a no-op (same resourceVersion). An
// object no manager owns a field of has no managedFields at all.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api } from './http-client.js';

let cluster: Cluster;
let c: ReturnType<typeof api>;
const CM = '/api/v1/namespaces/default/configmaps';
beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none' });
  c = api(cluster.url);
});
afterAll(async () => cluster?.stop());

it('does not store empty omitempty maps and lists, and a write adding one is a no-op', async () => {
  const made = await c.post(CM, { metadata: { name: 'empty', labels: {}, annotations: {}, finalizers: [] }, data: {}, binaryData: {} });
  expect(made.status).toBe(201);
  expect(made.body.metadata).not.toHaveProperty('labels');
  expect(made.body.metadata).not.toHaveProperty('annotations');
  expect(made.body.metadata).not.toHaveProperty('finalizers');
  expect(made.body.metadata).not.toHaveProperty('managedFields');
  expect(made.body).not.toHaveProperty('data');
  expect(made.body).not.toHaveProperty('binaryData');
  const rv = made.body.metadata.resourceVersion;
  const merge = await c.patch(`${CM}/empty`, { metadata: { labels: {} }, data: {} }, 'application/merge-patch+json');
  expect(merge.status).toBe(200);
  expect(merge.body.metadata.resourceVersion).toBe(rv);
  const json = await c.patch(`${CM}/empty`, [{ op: 'add', path: '/metadata/labels', value: {} }], 'application/json-patch+json');
  expect(json.body.metadata.resourceVersion).toBe(rv);
  // Removing the last label leaves no labels map behind either.
  const labelled = await c.patch(`${CM}/empty`, { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json');
  const unlabelled = await c.patch(`${CM}/empty`, { metadata: { labels: { a: null } } }, 'application/merge-patch+json');
  expect(BigInt(unlabelled.body.metadata.resourceVersion)).toBeGreaterThan(BigInt(labelled.body.metadata.resourceVersion));
  expect(unlabelled.body.metadata).not.toHaveProperty('labels');
});
