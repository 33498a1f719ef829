// The controllers at scale, in this process on a virtual clock, every controller running (as
// a test fixture starts them): a Job of many completions run to Complete by the scheduler and
// the simulated kubelet; a Deployment of many replicas rolled to a new image; an owner with
// thousands of dependents deleted through the garbage collector, background and foreground.
// Each figure is wall time, from the write that starts it to the state that ends it. Each
// part gets a fresh cluster, so one part's leftovers do not slow the next.
import { startCluster, type Cluster } from '../../src/index.js';
import type { KubeObject, ResourceRef } from '../../src/index.js';
import type { Figure } from '../figures.js';
import type { Scenario } from '../scenario.js';

const NS: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const CM: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
const DEPLOY: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const RS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const NAMESPACE = 'bench';
/** Generous bounds on a part's wall time: a stuck controller fails the run instead of hanging it. */
const TIMEOUT_MS = 60_000;

type Obj = Record<string, any>;

async function cluster(nodes: number): Promise<Cluster> {
  const c = await startCluster({ controllers: 'all', clock: 'virtual', nodes, logLevel: 'silent' });
  await c.client.create(NS, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  return c;
}

/** Wall and CPU time (this process, every thread) since `start`; CPU tells a busy machine from a slow controller. */
function elapsed(start: { wall: number; cpu: NodeJS.CpuUsage }): Timing {
  const cpu = process.cpuUsage(start.cpu);
  return { ms: performance.now() - start.wall, cpuMs: (cpu.user + cpu.system) / 1000 };
}
interface Timing {
  ms: number;
  cpuMs: number;
}
const started = () => ({ wall: performance.now(), cpu: process.cpuUsage() });
const describe = (t: Timing) => `${t.ms.toFixed(0)} ms (${t.cpuMs.toFixed(0)} ms CPU)`;

/** Creates with `concurrency` writes in flight. */
async function createAll(c: Cluster, ref: ResourceRef, objects: KubeObject[], concurrency = 20): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < objects.length) await c.client.create(ref, objects[next++]!);
    }),
  );
}

/** A Job of `completions` pods, `parallelism` at a time, each exiting 0 at once (`true`). */
export async function jobToComplete(ctx: { log(m: string): void }, completions: number, parallelism: number): Promise<Timing> {
  // Scheduled onto nodes of 110 pods; running pods are at most `parallelism`.
  const c = await cluster(Math.ceil(parallelism / 100));
  try {
    const t0 = started();
    await c.client.create(JOBS, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'many', namespace: NAMESPACE },
      spec: {
        completions,
        parallelism,
        backoffLimit: 0,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command: ['true'] }] } },
      },
    });
    await c.waitFor('job/many', { condition: 'Complete' }, { namespace: NAMESPACE, timeout: TIMEOUT_MS });
    const t = elapsed(t0);
    ctx.log(`  job of ${completions} completions: ${describe(t)}`);
    return t;
  } finally {
    await c.stop();
  }
}

const rolledOut = (replicas: number, generation: number) => (d: KubeObject) => {
  const s = (d.status ?? {}) as Obj;
  return (s.observedGeneration ?? 0) >= generation && s.replicas === replicas && s.updatedReplicas === replicas && s.availableReplicas === replicas && s.readyReplicas === replicas;
};

/** A Deployment scaled up to `replicas` available, then rolled to a new image; ms for each. */
export async function deploymentRollout(ctx: { log(m: string): void }, replicas: number): Promise<{ scaleUp: Timing; rollout: Timing }> {
  // maxSurge 25% on nodes of 110 pods.
  const c = await cluster(Math.max(1, Math.ceil((replicas * 1.3) / 100)));
  try {
    const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });
    let t0 = started();
    await c.client.create(DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: NAMESPACE },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1.25') },
    });
    await c.waitFor('deployment.apps/web', rolledOut(replicas, 1), { namespace: NAMESPACE, timeout: TIMEOUT_MS });
    const scaleUp = elapsed(t0);
    ctx.log(`  deployment of ${replicas}: available in ${describe(scaleUp)}`);
    t0 = started();
    await c.client.patch(DEPLOY, 'web', { spec: { template: template('nginx:1.26') } }, 'merge', { namespace: NAMESPACE });
    await c.waitFor('deployment.apps/web', rolledOut(replicas, 2), { namespace: NAMESPACE, timeout: TIMEOUT_MS });
    // The old ReplicaSet scaled to 0 too (status.replicas above counts every pod, old ones included).
    for (;;) {
      const sets = (await c.client.list(RS, { namespace: NAMESPACE })).items;
      const old = sets.filter((rs) => ((rs.spec as Obj).template.spec.containers[0].image as string) !== 'nginx:1.26');
      if (old.every((rs) => (rs.spec as Obj).replicas === 0 && ((rs.status as Obj | undefined)?.replicas ?? 0) === 0)) break;
      if (elapsed(t0).ms > TIMEOUT_MS) throw new Error('the old ReplicaSet was not scaled to 0');
      await new Promise((r) => setTimeout(r, 5));
    }
    const rollout = elapsed(t0);
    ctx.log(`  deployment of ${replicas}: rolled out in ${describe(rollout)}`);
    return { scaleUp, rollout };
  } finally {
    await c.stop();
  }
}

/**
 * A ConfigMap owning `dependents` ConfigMaps, deleted with the propagation policy; ms until
 * the last dependent (and, foreground, the owner) is gone, counted from a watch.
 */
export async function ownerTreeCollected(ctx: { log(m: string): void }, dependents: number, propagationPolicy: 'Background' | 'Foreground'): Promise<Timing> {
  const c = await cluster(1);
  try {
    const owner = await c.client.create<KubeObject>(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: NAMESPACE } });
    const ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid!, blockOwnerDeletion: true }];
    await createAll(
      c,
      CM,
      Array.from({ length: dependents }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `dep-${i}`, namespace: NAMESPACE, ownerReferences }, data: { i: String(i) } })),
    );
    const list = await c.client.list(CM, { namespace: NAMESPACE, limit: 1 });
    let left = dependents + 1;
    let resolveGone!: () => void;
    const gone = new Promise<void>((r) => (resolveGone = r));
    const stream = await c.client.watch(CM, { namespace: NAMESPACE, resourceVersion: list.metadata.resourceVersion }, (ev) => {
      if (ev.type === 'DELETED' && --left === 0) resolveGone();
    });
    try {
      const t0 = started();
      await c.client.delete(CM, 'owner', NAMESPACE, { propagationPolicy });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        gone,
        stream.done.then(() => Promise.reject(new Error('the watch ended early'))),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${left} objects left after ${TIMEOUT_MS} ms`)), TIMEOUT_MS))),
      ]).finally(() => clearTimeout(timer));
      const t = elapsed(t0);
      ctx.log(`  ${dependents} dependents, ${propagationPolicy}: collected in ${describe(t)}`);
      return t;
    } finally {
      stream.stop();
    }
  } finally {
    await c.stop();
  }
}

/** A wall-time figure with the process's CPU time in the note: on a busy machine the two part. */
function timed(scenario: string, name: string, t: Timing, extra?: { target?: Figure['target']; note?: string }): Figure {
  const cpu = `${(t.cpuMs / 1000).toFixed(1)} s CPU`;
  return { scenario, name, value: t.ms, unit: 'ms', target: extra?.target, note: extra?.note ? `${cpu}; ${extra.note}` : cpu };
}

export const controllers: Scenario = {
  name: 'controllers',
  description: 'a Job of 1,000 completions, a Deployment of 1,000 rolled out, a 10,000-object owner tree collected',
  async run(ctx) {
    const completions = ctx.quick ? 10 : 1000;
    const parallelism = ctx.quick ? 5 : 100;
    const replicas = ctx.quick ? 5 : 1000;
    const tree = ctx.quick ? 50 : 10_000;
    const within5s = { of: 'value', op: '<=', limit: 5000 } as const;
    const figures: Figure[] = [];
    const job = await jobToComplete(ctx, completions, parallelism);
    figures.push(timed(`controllers job of ${completions} completions (parallelism ${parallelism})`, 'create to Complete', job, { target: within5s, note: 'scheduler + simulated kubelet' }));
    // Past TIMEOUT_MS (60 s, so the whole benchmark stays under 10 minutes) a part reports Infinity (MISSED) rather than failing the whole benchmark.
    const timedOut: Timing = { ms: Infinity, cpuMs: Number.NaN };
    const { scaleUp, rollout } = await deploymentRollout(ctx, replicas).catch((e: unknown) => {
      ctx.log(`  deployment: ${(e as Error).message.split(';')[0]}`);
      return { scaleUp: timedOut, rollout: timedOut };
    });
    const deployment = `controllers deployment of ${replicas} replicas`;
    figures.push(timed(deployment, 'create to all available', scaleUp));
    figures.push(timed(deployment, 'new image to rolled out', rollout, { note: 'all updated and available, old ReplicaSet at 0' }));
    for (const policy of ['Background', 'Foreground'] as const) {
      const t = await ownerTreeCollected(ctx, tree, policy);
      figures.push(timed(`controllers garbage collection of ${tree} dependents`, `${policy.toLowerCase()} delete to all gone`, t, { target: within5s, note: 'ConfigMaps owned by one ConfigMap' }));
    }
    return figures;
  },
};
