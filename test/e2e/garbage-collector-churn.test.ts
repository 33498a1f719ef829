// The garbage collector under churn: ~2000 ConfigMaps and custom resources in random owner
// trees (some with two owners), created and deleted concurrently in random order with random
// policies (Background, and Foreground / Orphan through finalizers set at creation, as the
// API server would set them). At quiescence exactly the objects that should survive are
// left: nothing orphaned behind, nothing deleted that still has a live owner. The scenario
// comes from a seeded PRNG (GC_CHURN_SEED to replay one); a failure prints the seed. It runs
// twice: the collector in-process on a virtual clock, and out of process (`kubesim
// controllers --only garbagecollector` over HTTP) against a server started with none.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, startCluster, type Client, type ResourceRef, type VirtualClock } from '../../src/index.js';
import type { KubeObject, OwnerReference } from '../../src/apiserver/object.js';
import { garbageCollectorController } from '../../src/controllers/garbagecollector/setup.js';
import { spawnKubesim } from './cli-process.js';
import { startWithControllers } from './controller-harness.js';

const CM: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const GADGETS: ResourceRef = { group: 'churn.example.com', version: 'v1', resource: 'gadgets', namespaced: true };
const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };
const NS = 'default';
const COUNT = 2000;
const CONCURRENCY = 24;
const SEED = process.env.GC_CHURN_SEED ? Number(process.env.GC_CHURN_SEED) : Math.floor(Math.random() * 2 ** 31);

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planned {
  i: number;
  name: string;
  ref: ResourceRef;
  kind: string;
  apiVersion: string;
  owners: number[];
  finalizer?: 'orphan' | 'foregroundDeletion';
  /** Deleted by the test (with the policy its finalizer stands for), not only by the collector. */
  deleted: boolean;
  dependents: number[];
}

/**
 * Random owner forests. Two constraints keep the outcome independent of timing, as it is in
 * kube: an owner deleted with Orphan is never one of two owners (a terminating owner counts as
 * live, so whether the other owner's death or the orphaning comes first would decide), and an
 * Orphan owner never sits below a Foreground one (kube deletes a dependent of a waiting owner
 * in foreground, which would replace its orphan finalizer). One dependence on timing is kube's
 * own and stays: an Orphan deletion lets go of the dependents the collector has seen, and one
 * its informer has not shown yet is collected once the owner is gone (kubernetes issue 26120,
 * "no guarantee on the ordering of the events of different resources"). The test deletes an
 * owner only after its dependents exist and never holds the event loop (see limiter), so the
 * collector's watches keep up with it.
 */
function plan(seed: number): Planned[] {
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const out: Planned[] = [];
  /** The object, or one of its ancestors, carries foregroundDeletion. */
  const foregroundAbove: boolean[] = [];
  for (let i = 0; i < COUNT; i++) {
    const gadget = rnd() < 0.5;
    const owners: number[] = [];
    const r = rnd();
    if (i > 0 && r > 0.25) owners.push(Math.max(0, i - 1 - pick(Math.min(i, 200))));
    if (i > 1 && r > 0.85) {
      const second = pick(i);
      const both = [owners[0]!, second];
      if (second !== owners[0] && both.every((o) => out[o]!.finalizer !== 'orphan')) owners.push(second);
    }
    const fgAncestor = owners.some((o) => foregroundAbove[o]);
    const f = rnd();
    let finalizer: Planned['finalizer'];
    if (f < 0.15) finalizer = 'foregroundDeletion';
    else if (f < 0.3 && !fgAncestor) finalizer = 'orphan';
    foregroundAbove.push(fgAncestor || finalizer === 'foregroundDeletion');
    out.push({
      i,
      name: `${gadget ? 'g' : 'c'}-${i}`,
      ref: gadget ? GADGETS : CM,
      kind: gadget ? 'Gadget' : 'ConfigMap',
      apiVersion: gadget ? 'churn.example.com/v1' : 'v1',
      owners,
      finalizer,
      deleted: rnd() < 0.25,
      dependents: [],
    });
  }
  for (const p of out) for (const o of p.owners) out[o]!.dependents.push(p.i);
  return out;
}

function descendants(objs: Planned[], i: number): number[] {
  const seen = new Set<number>();
  const stack = [...objs[i]!.dependents];
  while (stack.length) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    stack.push(...objs[d]!.dependents);
  }
  return [...seen];
}

/** Who should be left: deleted by the test, or every owner gone (an orphaning one releases instead). */
function survivors(objs: Planned[]): Set<number> {
  const dead = new Set<number>();
  for (const p of objs) {
    if (p.deleted) {
      dead.add(p.i);
      continue;
    }
    if (p.owners.length === 0) continue;
    const holding = p.owners.filter((o) => !(dead.has(o) && objs[o]!.finalizer === 'orphan'));
    if (holding.length > 0 && holding.every((o) => dead.has(o))) dead.add(p.i);
  }
  return new Set(objs.filter((p) => !dead.has(p.i)).map((p) => p.i));
}

/** Where the collector runs, and what the test needs from that setup. */
interface Setup {
  client: Client;
  /** Moves a virtual clock on (the collector's backoffs wait on it); nothing on the real one. */
  nudge(): void;
  errors(): unknown[];
  stop(): Promise<void>;
}

async function inProcess(): Promise<Setup> {
  const harness = await startWithControllers([garbageCollectorController]);
  const clock: VirtualClock = harness.clock;
  return { client: harness.cluster.client, nudge: () => clock.advance(200), errors: () => harness.errors, stop: () => harness.stop() };
}

async function outOfProcess(): Promise<Setup> {
  const cluster = await startCluster({ controllers: 'none' });
  const dir = await mkdtemp(join(tmpdir(), 'kubesim-gc-churn-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  delete env.KUBECONFIG;
  const gc = spawnKubesim(['controllers', '--kubeconfig', cluster.kubeconfigPath, '--only', 'garbagecollector'], { cwd: dir, env });
  await gc.waitFor(/^kubesim controllers running against/m, 30_000);
  return {
    client: cluster.client,
    nudge: () => {},
    errors: () => gc.stderr().split('\n').filter(Boolean),
    async stop() {
      gc.child.kill('SIGTERM');
      await gc.exited;
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function installGadgets(client: Client): Promise<void> {
  await client.create(CRDS, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gadgets.churn.example.com' },
    spec: {
      group: 'churn.example.com',
      scope: 'Namespaced',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await client.list(GADGETS, { namespace: NS });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** Promise.withResolvers, which Node 20 lacks. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A counting semaphore, so at most CONCURRENCY requests are in flight. Each request first
 * yields to the event loop, as one over a socket would: the in-process client may answer in
 * a microtask, and thousands of such requests chained would otherwise hold the loop for the
 * whole run, so a watch opened meanwhile (the collector's on gadgets, once the CRD is
 * served), timers and the out-of-process collector's sockets would wait until it is over.
 */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      await new Promise((r) => setImmediate(r));
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

async function listAll(client: Client): Promise<Map<string, KubeObject>> {
  const items = [...(await client.list(CM, { namespace: NS })).items, ...(await client.list(GADGETS, { namespace: NS })).items];
  return new Map(items.filter((o) => /^[cg]-\d+$/.test(o.metadata.name!)).map((o) => [o.metadata.name!, o]));
}

describe.each([
  ['in-process', inProcess],
  ['out of process', outOfProcess],
])('garbage collector under churn, %s', (_, start) => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await start();
    await installGadgets(setup.client);
  }, 60_000);
  afterAll(async () => setup?.stop());

  it(`leaves exactly the objects that should survive (seed ${SEED})`, async () => {
    const { client } = setup;
    const objs = plan(SEED);
    const rnd = prng(SEED ^ 0x5bd1e995);
    const uids: string[] = [];
    const created = objs.map(() => deferred());
    const limit = limiter(CONCURRENCY);

    const create = async (p: Planned) => {
      await Promise.all(p.owners.map((o) => created[o]!.promise));
      await limit(async () => {
        const owners: OwnerReference[] = p.owners.map((o) => ({
          apiVersion: objs[o]!.apiVersion,
          kind: objs[o]!.kind,
          name: objs[o]!.name,
          uid: uids[o]!,
          blockOwnerDeletion: true,
        }));
        const metadata: KubeObject['metadata'] = { name: p.name, namespace: NS };
        if (owners.length) metadata.ownerReferences = owners;
        if (p.finalizer) metadata.finalizers = [p.finalizer];
        const o = await client.create(p.ref, { apiVersion: p.apiVersion, kind: p.kind, metadata });
        uids[p.i] = o.metadata.uid!;
      });
      created[p.i]!.resolve();
    };
    // An object is deleted once it and everything below it exist, so no reference is made to
    // an owner already gone and the outcome never depends on timing; unrelated trees are
    // created and deleted meanwhile. The collector may have deleted it first.
    const remove = async (p: Planned) => {
      await Promise.all([p.i, ...descendants(objs, p.i)].map((d) => created[d]!.promise));
      const propagationPolicy = p.finalizer === 'orphan' ? 'Orphan' : p.finalizer === 'foregroundDeletion' ? 'Foreground' : 'Background';
      await limit(() => client.delete(p.ref, p.name, NS, { propagationPolicy }).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      }));
    };
    const ops = [...objs.map((p) => () => create(p)), ...objs.filter((p) => p.deleted).map((p) => () => remove(p))];
    for (let i = ops.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [ops[i], ops[j]] = [ops[j]!, ops[i]!];
    }
    let nudging = true;
    const nudge = (async () => {
      while (nudging) {
        setup.nudge();
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      await Promise.all(ops.map((op) => op()));

      const expected = survivors(objs);
      const expectedNames = [...expected].map((i) => objs[i]!.name).sort();
      const describeDiff = (have: Map<string, KubeObject>) => {
        const extra = [...have.keys()].filter((n) => !expectedNames.includes(n));
        const missing = expectedNames.filter((n) => !have.has(n));
        return { extra: extra.slice(0, 10), missing: missing.slice(0, 10), extraCount: extra.length, missingCount: missing.length };
      };
      const deadline = Date.now() + 15_000;
      let have = await listAll(client);
      while (have.size !== expectedNames.length || expectedNames.some((n) => !have.has(n))) {
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
        have = await listAll(client);
      }
      // Quiet for a while longer: nothing more may go.
      await new Promise((r) => setTimeout(r, 300));
      have = await listAll(client);
      expect(describeDiff(have), `seed ${SEED}`).toEqual({ extra: [], missing: [], extraCount: 0, missingCount: 0 });

      const byName = new Map(objs.map((p) => [p.name, p]));
      for (const [name, o] of have) {
        expect(o.metadata.deletionTimestamp, `seed ${SEED}: ${name} stuck terminating`).toBeUndefined();
        // What is left names only live owners, by their uid.
        const want = byName.get(name)!.owners.filter((i) => expected.has(i)).map((i) => uids[i]).sort();
        expect((o.metadata.ownerReferences ?? []).map((r) => r.uid).sort(), `seed ${SEED}: owners of ${name}`).toEqual(want);
      }
      expect(setup.errors(), `seed ${SEED}`).toEqual([]);
    } finally {
      nudging = false;
      await nudge;
    }
  }, 60_000);
});
