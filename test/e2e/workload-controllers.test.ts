// The replicaset and deployment controllers against an in-process cluster on a virtual clock.
// No kubelet runs, so the test plays it: pods turn Running and Ready when it patches them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Cluster, ResourceRef, VirtualClock } from '../../src/index.js';
import { startWithControllers, type ControllerHarness } from './controller-harness.js';
import type { KubeObject } from '../../src/controllers/runtime/types.js';
import { replicaSetController } from '../../src/controllers/replicaset/setup.js';
import { deploymentController } from '../../src/controllers/deployment/setup.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const RS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const DEPLOY: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };
const ns = 'default';

let cluster: Cluster;
let client: Client;
let clock: VirtualClock;
let harness: ControllerHarness;
let errors: unknown[];

beforeAll(async () => {
  harness = await startWithControllers([replicaSetController, deploymentController]);
  ({ cluster, clock, errors } = harness);
  client = cluster.client;
});
afterAll(async () => harness?.stop());

/** Poll until check returns a value (not undefined/false), nudging the clock so retries fire. */
const until = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 5000) => harness.until(what, check, { timeoutMs, nudgeMs: 50 });

const podsOf = async (labels: string): Promise<KubeObject[]> => (await client.list(PODS, { namespace: ns, labelSelector: labels })).items.filter((p) => !p.metadata.deletionTimestamp);

/** Play the kubelet: mark these pods Running and Ready. */
async function markReady(pods: KubeObject[]): Promise<void> {
  const now = clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const p of pods) {
    await client.patch(PODS, p.metadata.name!, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, 'merge', {
      namespace: ns,
      subresource: 'status',
    });
  }
}

const template = (app: string, image: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'c', image }] },
});

describe('replicaset controller', () => {
  it('creates pods, scales down, and counts ready and available replicas', async () => {
    const rs = await client.create<KubeObject>(RS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'frontend', namespace: ns },
      spec: { replicas: 3, selector: { matchLabels: { app: 'frontend' } }, template: template('frontend', 'nginx:1') },
    });
    const pods = await until('3 pods', async () => {
      const p = await podsOf('app=frontend');
      return p.length === 3 && p;
    });
    for (const p of pods) {
      expect(p.metadata.generateName).toBe('frontend-');
      expect(p.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'frontend', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    await until('status.replicas 3, none ready', async () => {
      const s = (await client.get(RS, 'frontend', ns)).status as Record<string, number>;
      return s.replicas === 3 && s.fullyLabeledReplicas === 3 && s.readyReplicas === 0 && s.observedGeneration === 1;
    });

    await markReady(pods.slice(0, 2));
    await until('2 ready and available', async () => {
      const s = (await client.get(RS, 'frontend', ns)).status as Record<string, number>;
      return s.readyReplicas === 2 && s.availableReplicas === 2;
    });

    // Scaling to 1 deletes the not-ready pod first, then one of the ready ones.
    await client.patch(RS, 'frontend', { spec: { replicas: 1 } }, 'merge', { namespace: ns });
    const left = await until('1 pod', async () => {
      const p = await podsOf('app=frontend');
      return p.length === 1 && p;
    });
    expect(pods.slice(0, 2).map((p) => p.metadata.name)).toContain(left[0]!.metadata.name);
    await until('status follows', async () => {
      const s = (await client.get(RS, 'frontend', ns)).status as Record<string, number>;
      return s.replicas === 1 && s.readyReplicas === 1 && s.availableReplicas === 1 && s.observedGeneration === 2;
    });
    // Only the first of each burst is checked: EventRecorder names events <object>.<clock nanos>,
    // so on a virtual clock that stands still, a burst's later events collide (AlreadyExists).
    await until('events', async () => {
      const evs = (await client.list(EVENTS, { namespace: ns })).items.filter((e) => (e.involvedObject as { name?: string }).name === 'frontend');
      const r = evs.map((e) => e.reason);
      return r.includes('SuccessfulCreate') && r.includes('SuccessfulDelete');
    });
  });

  it('adopts a matching orphan pod instead of creating one', async () => {
    await client.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: ns, labels: { app: 'orphan' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const rs = await client.create<KubeObject>(RS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'orphan', namespace: ns },
      spec: { replicas: 1, selector: { matchLabels: { app: 'orphan' } }, template: template('orphan', 'i') },
    });
    await until('stray adopted', async () => (await client.get(PODS, 'stray', ns)).metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
    await until('status.replicas 1', async () => ((await client.get(RS, 'orphan', ns)).status as Record<string, number>).replicas === 1);
    expect(await podsOf('app=orphan')).toHaveLength(1);
  });

  it('waits minReadySeconds on the clock before counting a pod available', async () => {
    await client.create(RS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'slow', namespace: ns },
      spec: { replicas: 1, minReadySeconds: 3600, selector: { matchLabels: { app: 'slow' } }, template: template('slow', 'nginx:1') },
    });
    const [pod] = await until('1 pod', async () => {
      const p = await podsOf('app=slow');
      return p.length === 1 && p;
    });
    await markReady([pod!]);
    await until('ready, not available', async () => {
      const s = (await client.get(RS, 'slow', ns)).status as Record<string, number>;
      return s.readyReplicas === 1 && s.availableReplicas === 0;
    });
    clock.advance(3601_000);
    await until('available after an hour', async () => ((await client.get(RS, 'slow', ns)).status as Record<string, number>).availableReplicas === 1);
  });
});

describe('deployment controller', () => {
  const rsOf = async (name: string) => (await client.list(RS, { namespace: ns })).items.filter((r) => r.metadata.ownerReferences?.[0]?.name === name);
  const cond = (d: KubeObject, type: string) => ((d.status as { conditions?: { type: string; reason: string; status: string }[] }).conditions ?? []).find((c) => c.type === type);

  it('creates a ReplicaSet and pods, then rolls to a new ReplicaSet on a new image', async () => {
    await client.create(DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('web', 'nginx:1') },
    });
    const [rs1] = await until('first ReplicaSet', async () => {
      const r = await rsOf('web');
      return r.length === 1 && r;
    });
    const hash = rs1!.metadata.labels!['pod-template-hash']!;
    expect(rs1!.metadata.name).toBe(`web-${hash}`);
    expect(rs1!.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '2',
      'deployment.kubernetes.io/max-replicas': '3',
    });
    expect((rs1!.spec as { selector: unknown }).selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    const pods1 = await until('2 pods', async () => {
      const p = await podsOf(`app=web,pod-template-hash=${hash}`);
      return p.length === 2 && p;
    });
    await markReady(pods1);
    const d1 = await until('deployment available and complete', async () => {
      const d = await client.get(DEPLOY, 'web', ns);
      const s = d.status as Record<string, number>;
      return s.availableReplicas === 2 && s.updatedReplicas === 2 && cond(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' && d;
    });
    expect(cond(d1, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });

    // A new image: a second ReplicaSet, revision 2, grows while the first shrinks to 0.
    await client.patch(DEPLOY, 'web', { spec: { template: template('web', 'nginx:2') } }, 'merge', { namespace: ns });
    const rs2 = await until('second ReplicaSet', async () => (await rsOf('web')).find((r) => r.metadata.name !== rs1!.metadata.name));
    expect(rs2.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const hash2 = rs2.metadata.labels!['pod-template-hash']!;
    expect(hash2).not.toBe(hash);
    // maxSurge 25% of 2 rounds up to 1 and maxUnavailable rounds down to 0: never more than 3 pods.
    for (let i = 0; i < 20; i++) {
      expect((await podsOf('app=web')).length).toBeLessThanOrEqual(3);
      const fresh = (await podsOf(`app=web,pod-template-hash=${hash2}`)).filter((p) => (p.status as { phase?: string }).phase !== 'Running');
      await markReady(fresh);
      const d = await client.get(DEPLOY, 'web', ns);
      const old = await client.get(RS, rs1!.metadata.name!, ns);
      const s = d.status as Record<string, number>;
      if ((old.spec as { replicas: number }).replicas === 0 && s.updatedReplicas === 2 && s.availableReplicas === 2 && s.replicas === 2) break;
      clock.advance(50);
      await new Promise((r) => setTimeout(r, 30));
    }
    const done = await until('rollout complete', async () => {
      const d = await client.get(DEPLOY, 'web', ns);
      return cond(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' && (d.status as Record<string, number>).updatedReplicas === 2 && d;
    });
    expect(done.status).toMatchObject({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 0, observedGeneration: 2 });
    expect(((await client.get(RS, rs1!.metadata.name!, ns)).spec as { replicas: number }).replicas).toBe(0);
    expect(await podsOf(`pod-template-hash=${hash}`)).toHaveLength(0);
    const messages = (await client.list(EVENTS, { namespace: ns })).items.filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
    // kube 1.28+ wording: "Scaled up replica set X from 0 to 2".
    expect(messages).toContain(`Scaled up replica set web-${hash} from 0 to 2`);
    expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^Scaled down replica set web-${hash} from [12] to 0$`)));
  });

  /** Play the kubelet until the deployment's rollout completes: every new pod is marked ready. */
  async function driveRollout(name: string, labels: string): Promise<KubeObject> {
    return until(`rollout of ${name}`, async () => {
      await markReady((await podsOf(labels)).filter((p) => (p.status as { phase?: string }).phase !== 'Running'));
      const d = await client.get(DEPLOY, name, ns);
      const s = d.status as Record<string, number>;
      const done = cond(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' && s.observedGeneration === d.metadata.generation && s.replicas === s.updatedReplicas;
      return done && d;
    });
  }

  it('keeps revisionHistoryLimit old ReplicaSets and increments the revision each rollout', async () => {
    await client.create(DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hist', namespace: ns },
      spec: { replicas: 1, revisionHistoryLimit: 1, selector: { matchLabels: { app: 'hist' } }, template: template('hist', 'app:1') },
    });
    await driveRollout('hist', 'app=hist');
    for (const image of ['app:2', 'app:3', 'app:4']) {
      await client.patch(DEPLOY, 'hist', { spec: { template: template('hist', image) } }, 'merge', { namespace: ns });
      await driveRollout('hist', 'app=hist');
    }
    const revisions = await until('old ReplicaSets pruned to 1', async () => {
      const r = await rsOf('hist');
      return r.length === 2 && r.map((x) => x.metadata.annotations?.['deployment.kubernetes.io/revision']).sort();
    });
    expect(revisions).toEqual(['3', '4']);
  });

  it('a paused deployment does not roll out until resumed', async () => {
    await client.create(DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'paused', namespace: ns },
      spec: { replicas: 1, selector: { matchLabels: { app: 'paused' } }, template: template('paused', 'app:1') },
    });
    await driveRollout('paused', 'app=paused');
    await client.patch(DEPLOY, 'paused', { spec: { paused: true, template: template('paused', 'app:2') } }, 'merge', { namespace: ns });
    await until('Progressing Unknown/DeploymentPaused', async () => cond(await client.get(DEPLOY, 'paused', ns), 'Progressing')?.reason === 'DeploymentPaused');
    expect(await rsOf('paused')).toHaveLength(1);
    // Scaling still works while paused: the one active ReplicaSet takes the new count.
    await client.patch(DEPLOY, 'paused', { spec: { replicas: 2 } }, 'merge', { namespace: ns });
    await until('2 pods while paused', async () => (await podsOf('app=paused')).length === 2);
    await client.patch(DEPLOY, 'paused', { spec: { replicas: 1 } }, 'merge', { namespace: ns });
    await until('back to 1 pod', async () => (await podsOf('app=paused')).length === 1);
    expect(await rsOf('paused')).toHaveLength(1);
    await client.patch(DEPLOY, 'paused', { spec: { paused: false } }, 'merge', { namespace: ns });
    await until('a second ReplicaSet', async () => (await rsOf('paused')).length === 2);
    const d = await driveRollout('paused', 'app=paused');
    expect(d.status).toMatchObject({ replicas: 1, updatedReplicas: 1, availableReplicas: 1 });
  });

  it('Recreate scales the old ReplicaSet to 0 before the new one starts', async () => {
    await client.create(DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'batch', namespace: ns },
      spec: { replicas: 2, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'batch' } }, template: template('batch', 'busybox:1') },
    });
    await until('2 pods', async () => (await podsOf('app=batch')).length === 2);
    await client.patch(DEPLOY, 'batch', { spec: { template: template('batch', 'busybox:2') } }, 'merge', { namespace: ns });
    const rses = await until('two ReplicaSets, old at 0, new at 2', async () => {
      const r = await rsOf('batch');
      const byRev = (n: string) => r.find((x) => x.metadata.annotations?.['deployment.kubernetes.io/revision'] === n);
      return r.length === 2 && (byRev('1')?.spec as { replicas: number }).replicas === 0 && (byRev('2')?.spec as { replicas: number }).replicas === 2 && r;
    });
    expect(rses).toHaveLength(2);
  });
});

it('reported no controller errors', () => {
  expect(errors.map(String)).toEqual([]);
});
