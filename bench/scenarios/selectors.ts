// Selector lists over a large store: 100,000 Pods across 100 namespaces, listed through the
// in-process client and over HTTP with label selectors (equality and set-based), field
// selectors, one namespace, and a selector that matches nothing. The target: under
// 50 ms when the selector is indexed (namespace, label key=value, metadata.name), linear time
// otherwise; the unindexed spec.nodeName list is measured at half the store and at the whole
// to show it. One Pod goes through the real create path as a template; the rest are stored
// straight into the cluster's storage so seeding takes seconds.
import type { Cluster } from '../../src/index.js';
import type { ResourceRef } from '../../src/clients/interfaces.js';
import type { KubeObject } from '../../src/apiserver/object.js';
import type { MemoryStorage } from '../../src/apiserver/storage/memory.js';
import { ResourceCatalog } from '../../src/apiserver/registry/catalog.js';
import { builtinResources } from '../../src/apiserver/registry/builtin/index.js';
import { selectionOf } from '../../src/apiserver/endpoints/handlers/list-options.js';
import { startClusterWithStorage } from '../cluster-storage.js';
import { percentile, type Figure, type Target } from '../figures.js';
import type { Scenario } from '../scenario.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const NAMESPACE_COUNT = 100;
const NODE_COUNT = 50;
const INDEXED: Target = { of: 'value', op: '<=', limit: 50 };

const nsName = (n: number) => `ns-${String(n).padStart(2, '0')}`;
const podName = (i: number) => `pod-${String(i).padStart(6, '0')}`;
/**
 * Pod i: namespace i % 100 and app (i / 100) % 100, so app=a17 is 1% of the store and 1% of
 * each namespace; tier one of 200 values, x and y among them, so `tier in (x,y)` is 1% too.
 */
function podShape(i: number) {
  const t = (i * 7 + 3) % 200;
  return {
    namespace: nsName(i % NAMESPACE_COUNT),
    name: podName(i),
    labels: { app: `a${Math.floor(i / NAMESPACE_COUNT) % 100}`, tier: t === 0 ? 'x' : t === 1 ? 'y' : `t${t}`, bench: 'selectors' },
    nodeName: `node-${i % NODE_COUNT}`,
  };
}

interface Query {
  label: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  indexed: boolean;
}

function queries(count: number): Query[] {
  const probe = podShape(Math.floor(count / 2) + 17);
  return [
    { label: 'all namespaces, app=a17 (1%)', labelSelector: 'app=a17', indexed: true },
    { label: 'one namespace (1%)', namespace: nsName(17), indexed: true },
    { label: 'one namespace + app=a17', namespace: nsName(17), labelSelector: 'app=a17', indexed: true },
    { label: 'tier in (x,y) (1%)', labelSelector: 'tier in (x,y)', indexed: true },
    { label: 'app=none (matches nothing)', labelSelector: 'app=none', indexed: true },
    { label: 'metadata.name=one pod, all namespaces', fieldSelector: `metadata.name=${probe.name}`, indexed: true },
    { label: 'metadata.name=one pod, its namespace', namespace: probe.namespace, fieldSelector: `metadata.name=${probe.name}`, indexed: true },
    { label: 'spec.nodeName=node-3 (2%, unindexed)', fieldSelector: 'spec.nodeName=node-3', indexed: false },
  ];
}

function queryString(q: Query): string {
  const params = queryParams(q);
  const path = q.namespace ? `/api/v1/namespaces/${q.namespace}/pods` : '/api/v1/pods';
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function queryParams(q: Query): URLSearchParams {
  const params = new URLSearchParams();
  if (q.labelSelector) params.set('labelSelector', q.labelSelector);
  if (q.fieldSelector) params.set('fieldSelector', q.fieldSelector);
  return params;
}

/** Median wall time of `runs` calls, after one warm-up; also checks every run returned `expect` items. */
async function median(runs: number, expect: number, fn: () => Promise<number>): Promise<number> {
  const got = await fn();
  if (got !== expect) throw new Error(`expected ${expect} items, got ${got}`);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return percentile(times, 50);
}

/** Clones of the template Pod with pod i's name, namespace, labels, node and a uid of its own. */
function seed(storage: MemoryStorage, template: KubeObject, from: number, to: number): void {
  const spec = template.spec as Record<string, unknown>;
  for (let i = from; i < to; i++) {
    const s = podShape(i);
    const obj = {
      ...template,
      metadata: { ...template.metadata, name: s.name, namespace: s.namespace, labels: s.labels, uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
      spec: { ...spec, nodeName: s.nodeName },
    } as KubeObject;
    storage.create('pods', `${s.namespace}/${s.name}`, obj);
  }
}

/** How many of pods 0..count-1 a query selects, computed from podShape: what every list must return. */
function expected(q: Query, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const s = podShape(i);
    if (q.namespace && s.namespace !== q.namespace) continue;
    if (q.labelSelector === 'app=a17' && s.labels.app !== 'a17') continue;
    if (q.labelSelector === 'app=none') continue;
    if (q.labelSelector === 'tier in (x,y)' && s.labels.tier !== 'x' && s.labels.tier !== 'y') continue;
    if (q.fieldSelector?.startsWith('metadata.name=') && s.name !== q.fieldSelector.slice('metadata.name='.length)) continue;
    if (q.fieldSelector === 'spec.nodeName=node-3' && s.nodeName !== 'node-3') continue;
    n++;
  }
  return n;
}

export const selectors: Scenario = {
  name: 'selectors',
  description: 'label and field selector lists over 100,000 Pods (in-process client and HTTP)',
  async run(ctx) {
    const total = ctx.quick ? 1000 : 100_000;
    const runs = ctx.quick ? 2 : 7;
    let cluster: Cluster | undefined;
    try {
      const started = await startClusterWithStorage({ controllers: 'none', logLevel: 'silent' });
      cluster = started.cluster;
      const { storage } = started;
      const c = cluster.client;
      for (let n = 0; n < NAMESPACE_COUNT; n++) await c.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName(n) } });
      const first = podShape(0);
      const template = await c.create(PODS, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: first.name, namespace: first.namespace, labels: first.labels },
        spec: { nodeName: first.nodeName, containers: [{ name: 'app', image: 'registry.example/app:1.0', args: ['--serve', '--port=8080'], env: [{ name: 'MODE', value: 'bench' }] }] },
      });
      const url = cluster.url;
      // The storage's own share: the list handler's predicate and requirements, no serialisation.
      const pods = new ResourceCatalog(builtinResources({ now: () => new Date() })).lookup('', 'v1', 'pods')!;
      const inStorage = (q: Query) => async () => {
        const sel = selectionOf(pods, queryParams(q));
        return storage.list('pods', { namespace: q.namespace, predicate: sel.predicate, selector: sel.selector, predicateIsEverything: sel.everything }).items.length;
      };
      const inProcess = (q: Query) => async () =>
        (await c.list(PODS, { namespace: q.namespace, labelSelector: q.labelSelector, fieldSelector: q.fieldSelector })).items.length;
      const overHttp = (q: Query) => async () => {
        const res = await fetch(url + queryString(q));
        if (res.status !== 200) throw new Error(`GET ${queryString(q)}: ${res.status} ${await res.text()}`);
        return ((await res.json()) as { items: unknown[] }).items.length;
      };

      const figures: Figure[] = [];
      // Half the store first, for the unindexed list's linear-time check.
      const half = total / 2;
      let t0 = performance.now();
      seed(storage, template, 1, half);
      const linear = queries(total).find((q) => !q.indexed)!;
      const atHalf = { store: await median(runs, expected(linear, half), inStorage(linear)), client: await median(runs, expected(linear, half), inProcess(linear)) };
      seed(storage, template, half, total);
      ctx.log(`  seeded ${total} Pods in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      t0 = performance.now();
      for (const q of queries(total)) {
        const want = expected(q, total);
        const store = await median(runs, want, inStorage(q));
        const client = await median(runs, want, inProcess(q));
        const http = await median(runs, want, overHttp(q));
        ctx.log(`  ${q.label}: ${want} items, storage ${store.toFixed(1)} ms, client ${client.toFixed(1)} ms, http ${http.toFixed(1)} ms`);
        const target = q.indexed ? { target: INDEXED } : {};
        const scenario = `selectors ${q.label}`;
        figures.push({ scenario, name: `storage list of ${total} Pods (median)`, value: store, unit: 'ms', ...target, note: `${want} items; the store alone, no request or JSON` });
        if (!q.indexed) {
          const note = `unindexed, linear: ${(store / atHalf.store).toFixed(2)}x the time for 2x the Pods`;
          figures.push({ scenario, name: `storage list of ${half} Pods (median)`, value: atHalf.store, unit: 'ms', note });
        }
        figures.push({ scenario, name: `in-process list of ${total} Pods (median)`, value: client, unit: 'ms', ...target, note: 'cluster.client, no socket' });
        if (!q.indexed) {
          const note = `${(client / atHalf.client).toFixed(2)}x the time for 2x the Pods`;
          figures.push({ scenario, name: `in-process list of ${half} Pods (median)`, value: atHalf.client, unit: 'ms', note });
        }
        figures.push({ scenario, name: `HTTP list of ${total} Pods (median)`, value: http, unit: 'ms', ...target, note: 'JSON parsed by the caller' });
      }
      ctx.log(`  measured in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return figures;
    } finally {
      await cluster?.stop();
    }
  },
};
