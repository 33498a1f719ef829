// Two clusters at once share nothing: each has its own storage, port, clock and kubeconfig.
// This is why one cluster per test file is safe when the test runner runs files in parallel.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from 'kubesim';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
let blue: Cluster;
let green: Cluster;

beforeAll(async () => {
  // Only the API server: nothing here needs controllers.
  [blue, green] = await Promise.all([startCluster({ controllers: 'none' }), startCluster({ controllers: 'none' })]);
});
afterAll(() => Promise.all([blue?.stop(), green?.stop()]));

it('does not show one cluster the objects of another', async () => {
  await blue.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'colour' }, data: { is: 'blue' } });
  await green.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'colour' }, data: { is: 'green' } });
  await blue.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only-blue' } });

  const names = async (c: Cluster) => (await c.client.list(CONFIGMAPS, { namespace: 'default' })).items.map((i) => i.metadata.name).sort();
  expect(await names(blue)).toEqual(['colour', 'only-blue']);
  expect(await names(green)).toEqual(['colour']);
  expect((await green.client.get(CONFIGMAPS, 'colour', 'default')).data).toEqual({ is: 'green' });
  expect(blue.url).not.toBe(green.url);
  expect(blue.kubeconfigPath).not.toBe(green.kubeconfigPath);
});
