// The soak run: clients doing mixed operations (create, PUT, merge and strategic patches,
// apply, get, list, delete) on their own ConfigMaps while watchers follow them, then the churn
// is deleted. It counts errors (any answer but the expected one), missed events (a watcher whose
// replayed state differs from the final list) and heap use before, at the peak and after.
// `npm run soak` runs it for a minute at full size; a short version runs in the suite.
import http from 'node:http';
import { startCluster } from '../../src/index.js';
import { api } from '../e2e/http-client.js';
import { replay, watch, type Watch } from './watch-stream.js';
import type { Obj } from './support.js';

export interface SoakOptions {
  clients: number;
  watchers: number;
  durationMs: number;
  namespaces?: number;
  /** Called with progress lines (the script prints them). */
  log?: (line: string) => void;
}

export interface SoakReport {
  requests: number;
  writes: number;
  errors: string[];
  eventsDelivered: number;
  missedEvents: number;
  heapStartMB: number;
  heapPeakMB: number;
  heapEndMB: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = () => {
  gc?.();
  gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
};

const keyOf = (o: Obj) => `${o.metadata.namespace}/${o.metadata.name}`;

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? (() => {});
  const nsCount = opts.namespaces ?? 10;
  const cluster = await startCluster({ controllers: 'none', bookmarkIntervalMs: 200 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const c = api(cluster.url);
  const errors: string[] = [];
  let requests = 0;
  let writes = 0;
  const expectOk = (what: string, res: { status: number; text: string }, ok: number[] = [200, 201]) => {
    requests++;
    if (!ok.includes(res.status)) errors.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`);
    return ok.includes(res.status);
  };
  try {
    const namespaces = Array.from({ length: nsCount }, (_, i) => `soak-${i}`);
    for (const ns of namespaces) expectOk(`namespace ${ns}`, await c.post('/api/v1/namespaces', { metadata: { name: ns } }), [201]);
    const heapStartMB = heapMB();
    let heapPeakMB = heapStartMB;
    const startRV = (await c.get('/api/v1/configmaps')).body.metadata.resourceVersion as string;

    // One watcher in ten follows every namespace; the rest follow one each.
    const watchers: Array<{ w: Watch; ns?: string }> = [];
    for (let i = 0; i < opts.watchers; i++) {
      const ns = i % 10 === 9 ? undefined : namespaces[i % nsCount];
      const base = ns ? `/api/v1/namespaces/${ns}/configmaps` : '/api/v1/configmaps';
      watchers.push({ ns, w: watch(cluster.url, `${base}?watch=1&allowWatchBookmarks=true&resourceVersion=${startRV}`, agent) });
    }
    for (const { w } of watchers) if ((await w.status) !== 200) errors.push('watch did not start');
    log(`${opts.watchers} watchers open; ${opts.clients} clients for ${opts.durationMs} ms`);

    const deadline = Date.now() + opts.durationMs;
    const client = async (id: number) => {
      const ns = namespaces[id % nsCount]!;
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const mine = new Map<string, string>(); // name -> resourceVersion
      let n = 0;
      while (Date.now() < deadline) {
        const name = `c${id}-${n++ % 5}`;
        const rv = mine.get(name);
        const roll = (n * 7919 + id * 104729) % 8;
        if (rv === undefined) {
          const res = await c.post(path, { metadata: { name, labels: { client: String(id) } }, data: { n: String(n) } });
          if (expectOk(`create ${ns}/${name}`, res, [201])) mine.set(name, res.body.metadata.resourceVersion);
          writes++;
          continue;
        }
        let res;
        if (roll === 0) res = await c.put(`${path}/${name}`, { metadata: { name, resourceVersion: rv, labels: { client: String(id) } }, data: { n: String(n), put: 'y' } });
        else if (roll === 1) res = await c.patch(`${path}/${name}`, { data: { m: String(n) } }, 'application/merge-patch+json');
        else if (roll === 2) res = await c.patch(`${path}/${name}`, { metadata: { labels: { phase: String(n % 3) } } }, 'application/strategic-merge-patch+json');
        else if (roll === 3) res = await c.request('PATCH', `${path}/${name}?fieldManager=soak&force=true`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { applied: String(n) } }, { 'content-type': 'application/apply-patch+yaml' });
        else if (roll === 4) {
          expectOk(`get ${name}`, await c.get(`${path}/${name}`), [200]);
          continue;
        } else if (roll === 5) {
          expectOk(`list ${ns}`, await c.get(`${path}?labelSelector=client%3D${id}`), [200]);
          continue;
        } else if (roll === 6) {
          if (expectOk(`delete ${ns}/${name}`, await c.delete(`${path}/${name}`), [200])) mine.delete(name);
          writes++;
          continue;
        } else res = await c.patch(`${path}/${name}`, [{ op: 'add', path: '/data/j', value: String(n) }], 'application/json-patch+json');
        writes++;
        if (expectOk(`write ${ns}/${name}`, res, [200])) mine.set(name, res.body.metadata.resourceVersion);
      }
    };
    const sampler = setInterval(() => {
      const h = process.memoryUsage().heapUsed / 1048576;
      if (h > heapPeakMB) heapPeakMB = Math.round(h * 10) / 10;
    }, 250);
    await Promise.all(Array.from({ length: opts.clients }, (_, i) => client(i)));
    clearInterval(sampler);
    log(`${requests} requests, ${writes} writes, ${errors.length} errors`);

    // Every watcher, once caught up with the last write, holds exactly the final list.
    const final = (await c.get('/api/v1/configmaps')).body;
    const finalRV = BigInt(final.metadata.resourceVersion);
    const finalItems: Obj[] = final.items;
    let missedEvents = 0;
    let eventsDelivered = 0;
    for (const { w, ns } of watchers) {
      const events = await w.until((ev) => BigInt(ev.object.metadata.resourceVersion) >= finalRV).catch(() => undefined);
      if (!events) {
        missedEvents++;
        continue;
      }
      const changes = events.filter((e) => e.type !== 'BOOKMARK');
      eventsDelivered += changes.length;
      const got = replay(new Map(), changes.map((e) => ({ ...e, object: { ...e.object, metadata: { ...e.object.metadata, name: keyOf(e.object) } } })));
      const want = finalItems.filter((o) => !ns || o.metadata.namespace === ns);
      const same = got.size === want.length && want.every((o) => got.get(keyOf(o))?.metadata.resourceVersion === o.metadata.resourceVersion);
      if (!same) missedEvents++;
    }
    for (const { w } of watchers) {
      w.close();
      w.events.length = 0;
    }
    // The watchers' event logs live in this process too: drop them before measuring the heap.
    watchers.length = 0;
    log(`${eventsDelivered} events delivered, ${missedEvents} watchers missed events`);

    // The churn deleted: heap back near where it started.
    for (const ns of namespaces) expectOk(`deletecollection ${ns}`, await c.delete(`/api/v1/namespaces/${ns}/configmaps`), [200]);
    agent.destroy();
    const heapEndMB = heapMB();
    return { requests, writes, errors, eventsDelivered, missedEvents, heapStartMB, heapPeakMB, heapEndMB };
  } finally {
    agent.destroy();
    await cluster.stop();
  }
}
