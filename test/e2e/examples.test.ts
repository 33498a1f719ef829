// The examples stay true: their manifests load into a fresh cluster, and the fixture
// example runs.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { applyManifests, loadManifestPaths } from '../../src/manifests/index.js';
import { run } from './support.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => cluster?.stop());

it('examples/manifests load without errors', async () => {
  const objects = await loadManifestPaths([`${examples}manifests`]);
  const results = await applyManifests(cluster.url, objects);
  expect(results.map((r) => r.action)).toEqual(['created', 'created', 'created', 'created']);
  const svc = await (await fetch(`${cluster.url}/api/v1/namespaces/shop/services/shop-web`)).json();
  expect(svc.spec.clusterIP).toMatch(/^10\./);
});

it('examples/fixture.ts runs', async () => {
  const res = await run(process.execPath, ['--import', 'tsx', `${examples}fixture.ts`], {}, 60_000);
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout).toContain('deployment shop-web available: 2');
  expect(res.stdout).toMatch(/its events: \[\s*'ScalingReplicaSet: Scaled up replica set shop-web-\w+ from 0 to 2'\s*\]/);
  // Nothing reported after stop(): the controllers finish their writes before the server goes.
  expect(res.stderr).toBe('');
});
