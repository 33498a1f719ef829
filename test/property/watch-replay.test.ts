// Watch resume property: after a random sequence of writes, a watch started from any
// resourceVersion the server acknowledged (with or without a label selector) replays exactly
// the changes since then: the list at that version plus the events equals the list at the end,
// and event resourceVersions strictly increase.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api } from '../e2e/http-client.js';
import { data, labels, name } from './arbitraries.js';
import { labelSelector, type Selector } from './selectors.js';
import { byName, expectNo5xx, fcParams, propertyTimeout, type Obj } from './support.js';
import { replay, watch } from './watch-stream.js';

let cluster: Cluster;
let c: ReturnType<typeof api>;
beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none', bookmarkIntervalMs: 20 });
  c = api(cluster.url);
});
afterAll(async () => cluster?.stop());

const write = fc.oneof(
  fc.tuple(name, labels, data).map(([n, l, d]) => ({ op: 'create' as const, n, l, d })),
  fc.tuple(name, labels).map(([n, l]) => ({ op: 'label' as const, n, l, d: {} })),
  fc.tuple(name, data).map(([n, d]) => ({ op: 'put' as const, n, l: {}, d })),
  name.map((n) => ({ op: 'delete' as const, n, l: {}, d: {} })),
);
type Write = typeof write extends fc.Arbitrary<infer T> ? T : never;

async function send(path: string, w: Write): Promise<boolean> {
  const res =
    w.op === 'create' ? await c.post(path, { metadata: { name: w.n, labels: w.l }, data: w.d })
    : w.op === 'label' ? await c.patch(`${path}/${w.n}`, { metadata: { labels: w.l } }, 'application/strategic-merge-patch+json')
    : w.op === 'put' ? await c.put(`${path}/${w.n}`, { metadata: { name: w.n }, data: w.d })
    : await c.delete(`${path}/${w.n}`);
  expectNo5xx(res);
  return res.status < 300;
}

const filtered = (m: Map<string, Obj>, sel: Selector) => new Map([...m].filter(([, o]) => sel.matches(o.metadata.labels ?? {})));

let runs = 0;
it('a watch from any acknowledged resourceVersion replays to the final list', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 25 }), labelSelector, fc.nat(), async (writes, sel, pick) => {
      const ns = `watch-${runs++}`;
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      expect((await c.post('/api/v1/namespaces', { metadata: { name: ns } })).status).toBe(201);
      // The list after each acknowledged write: the state at that resourceVersion.
      const snapshots: Array<{ rv: string; objects: Map<string, Obj> }> = [];
      const first = await c.get(path);
      snapshots.push({ rv: first.body.metadata.resourceVersion, objects: new Map() });
      for (const w of writes) {
        if (!(await send(path, w))) continue;
        const list = await c.get(path);
        snapshots.push({ rv: list.body.metadata.resourceVersion, objects: byName(list.body.items) });
      }
      const final = snapshots[snapshots.length - 1]!;
      const finalRV = BigInt(final.rv);
      // Three resume points: the first, one picked at random, and "0" (the current state as ADDED events).
      const starts = [snapshots[0]!, snapshots[pick % snapshots.length]!, { rv: '0', objects: new Map<string, Obj>() }];
      for (const start of starts) {
        const q = new URLSearchParams({ watch: '1', resourceVersion: start.rv, allowWatchBookmarks: 'true', labelSelector: sel.text });
        const w = watch(cluster.url, `${path}?${q}`);
        expect(await w.status).toBe(200);
        // Caught up once an event or a bookmark reaches the final resourceVersion.
        const events = await w.until((ev) => BigInt(ev.object.metadata.resourceVersion) >= finalRV);
        w.close();
        const changes = events.filter((e) => e.type !== 'BOOKMARK');
        expect(changes.every((e) => e.type !== 'ERROR'), JSON.stringify(changes)).toBe(true);
        const rvs = changes.map((e) => BigInt(e.object.metadata.resourceVersion));
        if (start.rv !== '0') {
          expect(rvs.every((rv, i) => rv > (i === 0 ? BigInt(start.rv) : rvs[i - 1]!)), `event resourceVersions ${rvs}`).toBe(true);
        }
        expect(Object.fromEntries(replay(filtered(start.objects, sel), changes))).toEqual(Object.fromEntries(filtered(final.objects, sel)));
      }
    }),
    fcParams(25),
  );
}, propertyTimeout(120_000));
