// HTTP throughput: kubesim (startCluster({ controllers: 'none' }) in a child process) against
// the bare fastify baseline (bench/baseline/server.ts, also a child), loaded by autocannon from
// this process over 127.0.0.1. Rounds alternate baseline, kubesim, baseline, kubesim so drift in
// the shared machine's load falls on both; each figure is the mean of its rounds' req/s and the
// worst round's p50/p99.
import autocannon, { type Request as CannonRequest } from 'autocannon';
import { startChildServer, type ChildServer } from '../child-server.js';
import { configMap, LIST_NAMESPACE, seedName, WRITE_NAMESPACE } from '../configmap-load.js';
import type { Figure, Target } from '../figures.js';
import type { Scenario } from '../scenario.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

interface Load {
  scenario: string;
  connections: number;
  /** autocannon requests for one round; `round` keeps created names unique across rounds. */
  requests(round: string): CannonRequest[];
  rpsTarget?: Target;
  p99Target?: boolean;
}

async function post(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(url + path, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  if (res.status !== 201 && res.status !== 409) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer().catch(() => undefined);
}

/** The namespaces (kubesim checks they exist; the baseline does not) and `count` ConfigMaps to list, 20 requests at a time. */
async function seed(url: string, options: { count: number; namespaces: boolean }): Promise<void> {
  const count = options.count;
  if (options.namespaces) for (const ns of [LIST_NAMESPACE, WRITE_NAMESPACE]) await post(url, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < count) await post(url, `/api/v1/namespaces/${LIST_NAMESPACE}/configmaps`, configMap({ name: seedName(next++) }));
    }),
  );
}

function loads(): Load[] {
  const cms = `/api/v1/namespaces/${LIST_NAMESPACE}/configmaps`;
  const out: Load[] = [];
  for (const connections of [10, 50]) {
    const at10 = connections === 10;
    out.push({
      scenario: `http create (${connections} connections)`,
      connections,
      requests: (round) => {
        let n = 0;
        return [{ method: 'POST', path: `/api/v1/namespaces/${WRITE_NAMESPACE}/configmaps`, headers: JSON_HEADERS, setupRequest: (req) => ({ ...req, body: JSON.stringify(configMap({ name: `c${connections}-${round}-${n++}` })) }) }];
      },
      ...(at10 ? { rpsTarget: { of: 'ratio', op: '>=', limit: 0.7 } as const, p99Target: true } : {}),
    });
    out.push({
      scenario: `http get (${connections} connections)`,
      connections,
      requests: () => [{ method: 'GET', path: `${cms}/${seedName(0)}` }],
      ...(at10 ? { rpsTarget: { of: 'ratio', op: '>=', limit: 0.8 } as const, p99Target: true } : {}),
    });
    // PUT without a resourceVersion: an unconditional update, which ConfigMaps allow (AllowUnconditionalUpdate).
    out.push({
      scenario: `http update (${connections} connections)`,
      connections,
      requests: () => {
        let n = 0;
        return [{ method: 'PUT', path: `${cms}/${seedName(1)}`, headers: JSON_HEADERS, setupRequest: (req) => ({ ...req, body: JSON.stringify(configMap({ name: seedName(1), revision: n++ })) }) }];
      },
    });
  }
  for (const limit of [10, 1000]) out.push({ scenario: `http list ${limit} per page (10 connections)`, connections: 10, requests: () => [{ method: 'GET', path: `${cms}?limit=${limit}` }] });
  return out;
}

export const http: Scenario = {
  name: 'http',
  description: 'create/get/update/list ConfigMaps over HTTP with autocannon, kubesim against a bare fastify baseline',
  async run(ctx) {
    const seedCount = ctx.quick ? 50 : 5000;
    const rounds = ctx.quick ? 1 : 2;
    const duration = ctx.quick ? 0.2 : 2.5;
    const servers: Record<'baseline' | 'kubesim', ChildServer | undefined> = { baseline: undefined, kubesim: undefined };
    try {
      // Both at once; each is kept as soon as it is up, so the finally stops it even if the other fails.
      await Promise.all([
        startChildServer({ entry: 'bench/baseline/server.ts' }).then((s) => (servers.baseline = s)),
        startChildServer({ entry: 'bench/servers/kubesim-server.ts' }).then((s) => (servers.kubesim = s)),
      ]);
      for (const side of ['baseline', 'kubesim'] as const) await seed(servers[side]!.url, { count: seedCount, namespaces: side === 'kubesim' });
      ctx.log(`  seeded ${seedCount} ConfigMaps on each server`);
      const figures: Figure[] = [];
      for (const load of loads()) {
        const rps = { baseline: [] as number[], kubesim: [] as number[] };
        const p50 = { baseline: 0, kubesim: 0 };
        const p99 = { baseline: 0, kubesim: 0 };
        for (let r = 0; r < rounds; r++) {
          for (const side of ['baseline', 'kubesim'] as const) {
            const result = await autocannon({ url: servers[side]!.url, connections: load.connections, duration, requests: load.requests(`r${r}`) });
            if (result.non2xx > 0 || result.errors > 0) throw new Error(`${load.scenario} on ${side}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
            rps[side].push(result.requests.average);
            p50[side] = Math.max(p50[side], result.latency.p50);
            p99[side] = Math.max(p99[side], result.latency.p99);
          }
        }
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        ctx.log(`  ${load.scenario}: kubesim ${rps.kubesim.map((x) => x.toFixed(0)).join('/')} req/s, baseline ${rps.baseline.map((x) => x.toFixed(0)).join('/')}`);
        figures.push({ scenario: load.scenario, name: 'requests/s', value: mean(rps.kubesim), baseline: mean(rps.baseline), unit: 'req/s', ...(load.rpsTarget ? { target: load.rpsTarget } : {}) });
        figures.push({ scenario: load.scenario, name: 'p50 latency', value: p50.kubesim, baseline: p50.baseline, unit: 'ms', note: 'autocannon measures whole ms' });
        figures.push({ scenario: load.scenario, name: 'p99 latency', value: p99.kubesim, baseline: p99.baseline, unit: 'ms', ...(load.p99Target ? { target: { of: 'value', op: '<=', limit: 10 } as const } : {}) });
      }
      return figures;
    } finally {
      await Promise.all([servers.baseline?.stop(), servers.kubesim?.stop()]);
    }
  },
};
