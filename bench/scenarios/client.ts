// In-process throughput: the same ConfigMap operations as the `http` scenario through
// cluster.client in this process (the full request pipeline with no socket), 10 operations in
// flight (a Promise pool), each measure a fixed time. No baseline: nothing comparable without a socket.
import { startCluster, type Cluster } from '../../src/index.js';
import type { ResourceRef } from '../../src/clients/interfaces.js';
import { configMap, LIST_NAMESPACE, seedName, WRITE_NAMESPACE } from '../configmap-load.js';
import { percentile, type Figure } from '../figures.js';
import type { Scenario } from '../scenario.js';

const CM: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const CONCURRENCY = 10;

/** Runs `op` from CONCURRENCY workers for `ms`; ops/s and each op's latency. */
async function pool(options: { ms: number; op: (n: number) => Promise<unknown> }): Promise<{ opsPerSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let n = 0;
  const t0 = performance.now();
  const end = t0 + options.ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        await options.op(n++);
        latencies.push(performance.now() - start);
      }
    }),
  );
  return { opsPerSecond: (latencies.length * 1000) / (performance.now() - t0), latencies };
}

export const client: Scenario = {
  name: 'client',
  description: 'create/get/update/list ConfigMaps through the in-process client, 10 in flight',
  async run(ctx) {
    const seedCount = ctx.quick ? 50 : 5000;
    const ms = ctx.quick ? 200 : 3000;
    let cluster: Cluster | undefined;
    try {
      cluster = await startCluster({ controllers: 'none', logLevel: 'silent' });
      const c = cluster.client;
      const ns = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
      for (const name of [LIST_NAMESPACE, WRITE_NAMESPACE]) await c.create(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      let next = 0;
      const inNamespace = (cm: ReturnType<typeof configMap>, namespace: string) => ({ ...cm, metadata: { ...cm.metadata, namespace } });
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < seedCount) await c.create(CM, inNamespace(configMap({ name: seedName(next++) }), LIST_NAMESPACE));
        }),
      );
      const ops: Array<{ scenario: string; op: (n: number) => Promise<unknown> }> = [
        { scenario: 'client create', op: (n) => c.create(CM, inNamespace(configMap({ name: `c-${n}` }), WRITE_NAMESPACE)) },
        { scenario: 'client get', op: () => c.get(CM, seedName(0), LIST_NAMESPACE) },
        // Unconditional update (no resourceVersion), as the http scenario's PUT.
        { scenario: 'client update', op: (n) => c.update(CM, inNamespace(configMap({ name: seedName(1), revision: n }), LIST_NAMESPACE)) },
        { scenario: 'client list 10 per page', op: () => c.list(CM, { namespace: LIST_NAMESPACE, limit: 10 }) },
        { scenario: 'client list 1000 per page', op: () => c.list(CM, { namespace: LIST_NAMESPACE, limit: 1000 }) },
      ];
      const figures: Figure[] = [];
      for (const { scenario, op } of ops) {
        const { opsPerSecond, latencies } = await pool({ ms, op });
        ctx.log(`  ${scenario}: ${opsPerSecond.toFixed(0)} ops/s`);
        const note = 'in-process client, no socket, 10 in flight';
        figures.push({ scenario, name: 'operations/s', value: opsPerSecond, unit: 'req/s', note });
        figures.push({ scenario, name: 'p50 latency', value: percentile(latencies, 50), unit: 'ms' });
        figures.push({ scenario, name: 'p99 latency', value: percentile(latencies, 99), unit: 'ms' });
      }
      return figures;
    } finally {
      await cluster?.stop();
    }
  },
};
