// Watch fan-out: 1,000 watchers of one namespace receive every event of a burst of ConfigMap
// creates. kubesim runs in a child process, the watchers in another (bench/watch-load/watchers.ts),
// the writers here, so no two share an event loop. Two rounds: 1,000 raw HTTP watch streams, then
// 100 @kubernetes/client-node informers (list, then watch; why not 1,000 below), each on a fresh
// namespace.
//
// Delay is an event's arrival at a watcher minus the arrival of its create's response at the
// writer (both on the epoch clock of the same machine); events/s is every burst event received
// by every watcher over the burst, from the first create sent to the last event received.
import { spawn, type ChildProcess } from 'node:child_process';
import { startChildServer, type ChildServer } from '../child-server.js';
import { configMap } from '../configmap-load.js';
import type { Figure } from '../figures.js';
import type { Scenario } from '../scenario.js';
import { burstName, now, type WatchersConfig, type WatchersReport, type WatchersRequest } from '../watch-load/protocol.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
const WRITERS = 4;

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url + path, { method, headers: JSON_HEADERS, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: await res.json() };
}

/** Starts the watchers child and resolves once every watcher is connected. */
async function startWatchers(config: WatchersConfig): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/watch-load/watchers.ts', JSON.stringify(config)], {
    cwd: new URL('../../', import.meta.url),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${config.count} ${config.mode} watchers did not connect in 60s`)), 60_000);
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the watchers exited (${code}) before they were connected`));
      });
    });
    return child;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

/** `creates` ConfigMaps from WRITERS concurrent writers; when each response arrived. */
async function burst(url: string, namespace: string, creates: number): Promise<{ started: number; responses: number[] }> {
  const responses = new Array<number>(creates);
  const path = `/api/v1/namespaces/${namespace}/configmaps`;
  let next = 0;
  const started = now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < creates) {
        const i = next++;
        const res = await fetch(url + path, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(configMap({ name: burstName(i) })) });
        responses[i] = now();
        if (res.status !== 201) throw new Error(`create ${burstName(i)}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  return { started, responses };
}

async function round(ctx: { log(m: string): void }, server: ChildServer, options: { mode: WatchersConfig['mode']; count: number; creates: number; note?: string }): Promise<Figure[]> {
  const namespace = `bench-watch-${options.mode}`;
  const ns = await call(server.url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  if (ns.status !== 201) throw new Error(`namespace ${namespace}: ${ns.status}`);
  const list = await call(server.url, 'GET', `/api/v1/namespaces/${namespace}/configmaps`);
  const t0 = performance.now();
  const watchers = await startWatchers({ ...options, url: server.url, namespace, resourceVersion: list.json.metadata.resourceVersion });
  try {
    ctx.log(`  ${options.count} ${options.mode} watchers connected in ${(performance.now() - t0).toFixed(0)} ms`);
    const { started, responses } = await burst(server.url, namespace, options.creates);
    const writesMs = Math.max(...responses) - started;
    const report = await new Promise<WatchersReport>((resolve) => {
      watchers.once('message', (r) => resolve(r as WatchersReport));
      watchers.send({ responses, settleMs: 5000 } satisfies WatchersRequest);
    });
    // A duplicate is a bug, not a slow run; a dropped stream shows as missed events.
    if (report.duplicates > 0) throw new Error(`${options.mode} watchers: ${report.duplicates} duplicate events`);
    const perSecond = (report.received * 1000) / (report.lastArrival - started);
    ctx.log(`  ${options.creates} creates in ${writesMs.toFixed(0)} ms; ${report.received} events, ${perSecond.toFixed(0)} events/s, p50 ${report.p50.toFixed(1)} ms, p99 ${report.p99.toFixed(1)} ms, ${report.missed} missed`);
    const scenario = `watch ${options.mode === 'raw' ? 'raw streams' : 'informers'} (${options.count} watchers)`;
    const note = `${options.creates} creates of ~1 KB from ${WRITERS} writers`;
    return [
      { scenario, name: 'events delivered/s', value: perSecond, unit: 'events/s', note: options.note ? `${note}; ${options.note}` : note },
      { scenario, name: 'p50 delay after the create response', value: report.p50, unit: 'ms' },
      { scenario, name: 'p99 delay after the create response', value: report.p99, unit: 'ms', target: { of: 'value', op: '<=', limit: 50 } },
      { scenario, name: 'events missed', value: report.missed, unit: 'count', target: { of: 'value', op: '<=', limit: 0 }, ...(report.failures ? { note: `${report.failures} watchers cut off or failed` } : {}) },
    ];
  } finally {
    watchers.kill('SIGKILL');
  }
}

export const watch: Scenario = {
  name: 'watch',
  description: '1,000 raw watch streams, then 100 client-node informers, receive a burst of ConfigMap creates',
  async run(ctx) {
    const creates = ctx.quick ? 10 : 300;
    let server: ChildServer | undefined;
    try {
      server = await startChildServer({ entry: 'bench/servers/kubesim-server.ts' });
      const figures: Figure[] = [];
      figures.push(...(await round(ctx, server, { mode: 'raw', count: ctx.quick ? 10 : 1000, creates })));
      // 100, not 1,000: client-node spends ~100 µs of its process's CPU on each event for each
      // informer (node-fetch, readline, JSON.parse, its cache), so 1,000 informers in one process
      // take ~100 ms per create before the last one sees it, and on 2 cores the burst piles up in
      // the client (p50 8 s, p99 17 s measured): that measures client-node, not kubesim.
      const note = '100 informers in one process: 1,000 measure client-node\'s own per-event cost';
      figures.push(...(await round(ctx, server, { mode: 'informer', count: ctx.quick ? 10 : 100, creates, note })));
      return figures;
    } finally {
      await server?.stop();
    }
  },
};
