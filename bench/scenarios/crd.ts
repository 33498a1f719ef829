// Custom resources: how long a freshly created CRD takes to accept its first custom resource
// (the API server's own naming/establishing controller runs even with controllers 'none'), and
// what validating a 200-field schema with CEL rules costs per object. The baseline column is the
// same measure on a CRD with a trivial schema (x-kubernetes-preserve-unknown-fields), so the
// ratio is what the schema costs. Rounds alternate trivial, full, trivial, full.
import { produce } from 'immer';
import { startCluster, type Cluster } from '../../src/index.js';
import { isNotFound, type Client, type ResourceRef } from '../../src/clients/interfaces.js';
import type { KubeObject } from '../../src/apiserver/object.js';
import type { CRD } from '../../src/apiserver/registry/customresource/crd.js';
import { customResourceTypes } from '../../src/apiserver/registry/customresource/resource-type.js';
import { benchCRD, benchObject, BENCH_GROUP, BENCH_NAMESPACE, SPEC_FIELDS } from '../crd-load.js';
import { percentile, type Figure } from '../figures.js';
import type { Scenario } from '../scenario.js';

const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };
const CONCURRENCY = 10;
const SIDES = ['trivial', 'full'] as const;
type Side = (typeof SIDES)[number];

const ref = (plural: string): ResourceRef => ({ group: BENCH_GROUP, version: 'v1', resource: plural, namespaced: true });
const kindOf = (plural: string) => benchCRD({ plural, trivial: true }).spec.names.kind;
const yieldToEventLoop = () => new Promise((r) => setImmediate(r));

/** Creates the CRD, then its first custom resource as soon as the server takes it: ms, and how many POSTs answered 404 first. */
async function crdToFirstCR(c: Client, plural: string, trivial: boolean): Promise<{ ms: number; notFound: number }> {
  const t0 = performance.now();
  await c.create(CRDS, benchCRD({ plural, trivial }) as KubeObject);
  for (let notFound = 0; ; notFound++) {
    try {
      await c.create(ref(plural), benchObject({ kind: kindOf(plural), name: 'first' }) as KubeObject);
      return { ms: performance.now() - t0, notFound };
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // No sleep: only let the establishing controller's turn of the event loop run.
      await yieldToEventLoop();
    }
  }
}

/** The kubectl-like flow over HTTP: POST the CRD, poll discovery until the resource is listed, POST the custom resource. */
async function crdToFirstCRHttp(url: string, plural: string, trivial: boolean): Promise<number> {
  const json = { 'content-type': 'application/json' };
  const t0 = performance.now();
  const crd = await fetch(`${url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, { method: 'POST', headers: json, body: JSON.stringify(benchCRD({ plural, trivial })) });
  if (crd.status !== 201) throw new Error(`POST CRD ${plural}: ${crd.status} ${await crd.text()}`);
  for (;;) {
    const res = await fetch(`${url}/apis/${BENCH_GROUP}/v1`);
    const body = (await res.json()) as { resources?: { name: string }[] };
    if (res.status === 200 && body.resources?.some((r) => r.name === plural)) break;
  }
  for (;;) {
    const res = await fetch(`${url}/apis/${BENCH_GROUP}/v1/namespaces/${BENCH_NAMESPACE}/${plural}`, { method: 'POST', headers: json, body: JSON.stringify(benchObject({ kind: kindOf(plural), name: 'first' })) });
    const text = await res.text();
    if (res.status === 201) return performance.now() - t0;
    if (res.status !== 404) throw new Error(`POST ${plural}: ${res.status} ${text}`);
  }
}

/** Runs `op` from CONCURRENCY workers for `ms`; ops/s and each op's latency. */
async function pool(ms: number, op: (worker: number, n: number) => Promise<unknown>): Promise<{ opsPerSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let n = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (performance.now() < end) {
        const start = performance.now();
        await op(worker, n++);
        latencies.push(performance.now() - start);
      }
    }),
  );
  return { opsPerSecond: (latencies.length * 1000) / (performance.now() - t0), latencies };
}

/** Mean ms per object of `f` over `objects`, after a warm-up pass. */
function timeEach<T>(objects: T[], f: (obj: T) => void): number {
  for (const obj of objects.slice(0, 50)) f(obj);
  const t0 = performance.now();
  for (const obj of objects) f(obj);
  return (performance.now() - t0) / objects.length;
}

/** The custom resource strategy's schema work alone, no request around it: prune, default (on a draft, as the store does), validate (OpenAPI + CEL). */
function schemaWork(side: Side, iterations: number): { create: number; update: number } {
  // Frozen, as a stored CRD is: the compiled schema keeps what it learns about a frozen one.
  const crd = produce(benchCRD({ plural: `direct${side}s`, trivial: side === 'trivial' }), () => {}) as unknown as CRD;
  const [rt] = customResourceTypes(crd);
  const s = rt!.strategy;
  const kind = crd.spec.names.kind;
  const old = produce(benchObject({ kind, name: 'x', revision: 0 }) as KubeObject, () => {});
  const run = (obj: KubeObject, prev?: KubeObject) => {
    const { object } = rt!.pruneUnknownFields!(obj);
    const defaulted = produce(object, (d: KubeObject) => s.defaults!(d));
    const errs = prev ? s.validateUpdate!(defaulted, prev) : s.validate!(defaulted);
    if (errs.length) throw new Error(`${side}: ${errs.map((e) => `${e.field}: ${e.detail}`).join('; ')}`);
  };
  const objects = (revision: (i: number) => number) => Array.from({ length: iterations }, (_, i) => benchObject({ kind, name: `x${i}`, revision: revision(i) }) as KubeObject);
  return {
    create: timeEach(objects((i) => i % 100), (obj) => run(obj)),
    update: timeEach(objects((i) => 1 + (i % 100)), (obj) => run(obj, old)),
  };
}

export const crd: Scenario = {
  name: 'crd',
  description: `CRD to its first custom resource; creates/updates with a ${SPEC_FIELDS}-field schema and CEL rules against a trivial schema`,
  async run(ctx) {
    const crdRounds = ctx.quick ? 1 : 20;
    const rounds = ctx.quick ? 1 : 3;
    const ms = ctx.quick ? 150 : 2000;
    const iterations = ctx.quick ? 20 : 500;
    const figures: Figure[] = [];
    const baselineNote = 'baseline: the same with an x-kubernetes-preserve-unknown-fields schema';
    let cluster: Cluster | undefined;
    try {
      cluster = await startCluster({ controllers: 'none', logLevel: 'silent' });
      const c = cluster.client;
      await c.create({ group: '', version: 'v1', resource: 'namespaces', namespaced: false }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: BENCH_NAMESPACE } });

      // CRD -> first CR, in process and over HTTP, fresh names each round.
      const established = { trivial: [] as number[], full: [] as number[] };
      const overHttp = { trivial: [] as number[], full: [] as number[] };
      let notFound = 0;
      // Warm-up, not counted: the first CRD in a process also pays for compiling kubesim's own code paths.
      if (!ctx.quick) for (const side of SIDES) await crdToFirstCR(c, `warm${side}s`, side === 'trivial');
      for (let r = 0; r < crdRounds; r++) {
        for (const side of SIDES) {
          const first = await crdToFirstCR(c, `first${side}${r}s`, side === 'trivial');
          established[side].push(first.ms);
          notFound += first.notFound;
          overHttp[side].push(await crdToFirstCRHttp(cluster.url, `http${side}${r}s`, side === 'trivial'));
        }
      }
      ctx.log(`  CRD to first CR: full ${percentile(established.full, 50).toFixed(1)} ms, trivial ${percentile(established.trivial, 50).toFixed(1)} ms (${(notFound / crdRounds / 2).toFixed(1)} 404s before it)`);
      for (const [scenario, xs, note] of [
        ['crd create to first custom resource', established, 'in-process client, POST retried on 404 at once'],
        ['crd create to first custom resource (HTTP)', overHttp, 'POST CRD, poll discovery, POST the custom resource'],
      ] as const) {
        figures.push({ scenario, name: 'median', value: percentile(xs.full, 50), baseline: percentile(xs.trivial, 50), unit: 'ms', note: `${crdRounds} fresh CRDs each, after a warm-up one; ${baselineNote}` });
        figures.push({ scenario, name: 'p99', value: percentile(xs.full, 99), baseline: percentile(xs.trivial, 99), unit: 'ms', note });
      }

      // Throughput through the in-process client: one CRD per side, 10 in flight.
      for (const side of SIDES) await crdToFirstCR(c, `load${side}s`, side === 'trivial');
      const results = { create: { trivial: [] as number[], full: [] as number[] }, update: { trivial: [] as number[], full: [] as number[] } };
      const latencies = { create: { trivial: [] as number[], full: [] as number[] }, update: { trivial: [] as number[], full: [] as number[] } };
      for (let r = 0; r < rounds; r++) {
        for (const side of SIDES) {
          const plural = `load${side}s`;
          const kind = kindOf(plural);
          const created = await pool(ms, (_, n) => c.create(ref(plural), benchObject({ kind, name: `c${r}-${n}` }) as KubeObject));
          // Each worker updates its own object, with the resourceVersion its last write returned.
          const mine = await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => c.create(ref(plural), benchObject({ kind, name: `u${r}-${w}` }) as KubeObject)));
          const updated = await pool(ms, async (w, n) => {
            const next = benchObject({ kind, name: `u${r}-${w}`, revision: n + 1 });
            mine[w] = await c.update(ref(plural), { ...next, metadata: { ...next.metadata, resourceVersion: mine[w]!.metadata.resourceVersion } } as KubeObject);
          });
          for (const [verb, res] of [['create', created], ['update', updated]] as const) {
            results[verb][side].push(res.opsPerSecond);
            latencies[verb][side].push(...res.latencies);
          }
        }
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      for (const verb of ['create', 'update'] as const) {
        const scenario = `crd ${verb} (${SPEC_FIELDS} fields + CEL, 10 in flight)`;
        const full = mean(results[verb].full);
        const trivial = mean(results[verb].trivial);
        ctx.log(`  ${scenario}: ${full.toFixed(0)} ops/s, trivial schema ${trivial.toFixed(0)} ops/s`);
        figures.push({ scenario, name: 'operations/s', value: full, baseline: trivial, unit: 'req/s', note: `in-process client; ${baselineNote}` });
        figures.push({ scenario, name: `ms per ${verb} (1 / throughput)`, value: 1000 / full, baseline: 1000 / trivial, unit: 'ms', note: 'CPU per request: one thread serves all 10' });
        figures.push({ scenario, name: 'p99 latency', value: percentile(latencies[verb].full, 99), baseline: percentile(latencies[verb].trivial, 99), unit: 'ms' });
      }

      // The schema work alone, outside any request.
      const direct = { trivial: [] as { create: number; update: number }[], full: [] as { create: number; update: number }[] };
      for (let r = 0; r < rounds; r++) for (const side of SIDES) direct[side].push(schemaWork(side, iterations));
      for (const verb of ['create', 'update'] as const) {
        figures.push({
          scenario: `crd schema work per ${verb}`,
          name: 'prune + default + validate (OpenAPI, CEL)',
          value: percentile(direct.full.map((d) => d[verb]), 50),
          baseline: percentile(direct.trivial.map((d) => d[verb]), 50),
          unit: 'ms',
          note: `the strategy's calls alone, no request; median of ${rounds} rounds of ${iterations} objects`,
        });
      }
      return figures;
    } finally {
      await cluster?.stop();
    }
  },
};
