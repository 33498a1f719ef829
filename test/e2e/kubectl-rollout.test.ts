// kubectl's rollout commands (status, history, undo, pause, resume, restart), scale and
// set image against kubesim running the scheduler, kubelet, replicaset and deployment
// controllers; and `kubectl create job --from=cronjob/NAME` run by the job controller.
// nginx pods turn Ready at once through the kubelet, so the first suite runs on the real
// clock; the progress deadline needs time to pass and runs on a virtual one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster, type ResourceRef, VirtualClock } from '../../src/index.js';
import type { KubeObject } from '../../src/controllers/runtime/types.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';
import { waitFor } from './controller-harness.js';

const bin = kubectlBinaries()[0];
const skip = requireClient(Boolean(bin), 'kubectl');

const RS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const DEPLOY: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };
const ns = 'default';
const WORKLOAD = ['scheduler', 'kubelet', 'replicaset', 'deployment'];

type Kubectl = ReturnType<typeof kubectl>;

const revisionOf = (rs: KubeObject) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'];
const imageOf = (o: KubeObject) => (o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image;
const replicasOf = (o: KubeObject) => (o.spec as { replicas: number }).replicas;
const progressingOf = (d: KubeObject) => ((d.status as { conditions?: { type: string; reason: string; status: string }[] }).conditions ?? []).find((c) => c.type === 'Progressing');

/** `kubectl rollout status` until done; it watches, so one call waits for the whole rollout. */
async function rolledOut(k: Kubectl, name: string, extra: string[] = []): Promise<string> {
  const r = await k(['rollout', 'status', `deploy/${name}`, '--timeout=30s', ...extra], 40_000);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(`deployment "${name}" successfully rolled out`);
  return r.stdout;
}

describe.skipIf(Boolean(skip))('kubectl rollout against the deployment controller', () => {
  let cluster: Cluster;
  let k: Kubectl;
  const rsOf = async (name: string) => (await cluster.client.list(RS, { namespace: ns, labelSelector: `app=${name}` })).items;
  const rsWithImage = async (name: string, image: string) => (await rsOf(name)).find((rs) => imageOf(rs) === image);

  beforeAll(async () => {
    cluster = await startCluster({ controllers: [...WORKLOAD, 'job'] });
    k = kubectl(bin!, cluster.kubeconfigPath);
  });
  afterAll(async () => cluster?.stop());

  it('create deployment, rollout status; set image, rollout status; history with change-cause and --revision', async () => {
    const c = await k(['create', 'deployment', 'web', '--image=nginx:1.26', '--replicas=3']);
    expect(c.stdout, c.stderr).toContain('deployment.apps/web created');
    await rolledOut(k, 'web');
    const s = await k(['set', 'image', 'deploy/web', 'nginx=nginx:1.27']);
    expect(s.stdout, s.stderr).toContain('deployment.apps/web image updated');
    const a = await k(['annotate', 'deploy/web', 'kubernetes.io/change-cause=nginx to 1.27']);
    expect(a.code, a.stderr).toBe(0);
    // --revision makes kubectl compare the Deployment's own revision annotation.
    await rolledOut(k, 'web', ['--revision=2']);

    const h = await k(['rollout', 'history', 'deploy/web']);
    expect(h.code, h.stderr).toBe(0);
    expect(h.stdout).toMatch(/^REVISION\s+CHANGE-CAUSE$/m);
    expect(h.stdout).toMatch(/^1\s+<none>$/m);
    expect(h.stdout).toMatch(/^2\s+nginx to 1\.27$/m);
    const r2 = await k(['rollout', 'history', 'deploy/web', '--revision=2']);
    expect(r2.stdout).toContain('deployment.apps/web with revision #2');
    expect(r2.stdout).toMatch(/Image:\s+nginx:1\.27/);

    const d = await cluster.client.get(DEPLOY, 'web', ns);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(progressingOf(d)).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    const old = (await rsWithImage('web', 'nginx:1.26'))!;
    expect(replicasOf(old)).toBe(0);
    expect(revisionOf(old)).toBe('1');
  });

  it('rollout undo re-uses the old ReplicaSet as revision 3, keeping revision-history; --to-revision goes further back', async () => {
    const rev1 = (await rsWithImage('web', 'nginx:1.26'))!;
    const u = await k(['rollout', 'undo', 'deploy/web']);
    expect(u.stdout, u.stderr).toContain('deployment.apps/web rolled back');
    await rolledOut(k, 'web', ['--revision=3']);
    const d = await cluster.client.get(DEPLOY, 'web', ns);
    expect(imageOf(d)).toBe('nginx:1.26');
    const back = (await rsWithImage('web', 'nginx:1.26'))!;
    expect(back.metadata.name).toBe(rev1.metadata.name);
    expect(back.metadata.uid).toBe(rev1.metadata.uid);
    expect(back.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(replicasOf(back)).toBe(3);
    const h = await k(['rollout', 'history', 'deploy/web']);
    expect(h.stdout).not.toMatch(/^1\s/m);
    expect(h.stdout).toMatch(/^2\s+nginx to 1\.27$/m);
    expect(h.stdout).toMatch(/^3\s/m);

    const same = await k(['rollout', 'undo', 'deploy/web', '--to-revision=3']);
    expect(same.stdout).toContain('skipped rollback (current template already matches revision 3)');
    const missing = await k(['rollout', 'undo', 'deploy/web', '--to-revision=9']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('unable to find specified revision 9 in history');
    const to2 = await k(['rollout', 'undo', 'deploy/web', '--to-revision=2']);
    expect(to2.code, to2.stderr).toBe(0);
    await rolledOut(k, 'web', ['--revision=4']);
    expect(imageOf(await cluster.client.get(DEPLOY, 'web', ns))).toBe('nginx:1.27');
    // The change-cause came back with revision 2's template and annotations.
    expect((await k(['rollout', 'history', 'deploy/web'])).stdout).toMatch(/^4\s+nginx to 1\.27$/m);
  });

  it('rollout pause holds a new image back (and refuses undo) until rollout resume', async () => {
    expect((await k(['rollout', 'pause', 'deploy/web'])).stdout).toContain('deployment.apps/web paused');
    expect((await k(['set', 'image', 'deploy/web', 'nginx=nginx:1.28'])).code).toBe(0);
    const paused = await waitFor('Progressing DeploymentPaused', async () => {
      const d = await cluster.client.get(DEPLOY, 'web', ns);
      return progressingOf(d)?.reason === 'DeploymentPaused' && (d.status as { observedGeneration: number }).observedGeneration === d.metadata.generation && d;
    });
    expect(progressingOf(paused)?.status).toBe('Unknown');
    expect(await rsWithImage('web', 'nginx:1.28')).toBeUndefined();
    const undo = await k(['rollout', 'undo', 'deploy/web']);
    expect(undo.code).not.toBe(0);
    expect(undo.stderr).toContain("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");

    expect((await k(['rollout', 'resume', 'deploy/web'])).stdout).toContain('deployment.apps/web resumed');
    await rolledOut(k, 'web', ['--revision=5']);
    expect(replicasOf((await rsWithImage('web', 'nginx:1.28'))!)).toBe(3);
  });

  it('rollout restart stamps restartedAt on the template: a new ReplicaSet and revision', async () => {
    const before = (await rsOf('web')).map((rs) => rs.metadata.name);
    expect((await k(['rollout', 'restart', 'deploy/web'])).stdout).toContain('deployment.apps/web restarted');
    await rolledOut(k, 'web', ['--revision=6']);
    const d = await cluster.client.get(DEPLOY, 'web', ns);
    const restartedAt = (d.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
    expect(restartedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const fresh = (await rsOf('web')).find((rs) => !before.includes(rs.metadata.name));
    expect(fresh && revisionOf(fresh)).toBe('6');
    expect(imageOf(fresh!)).toBe('nginx:1.28');
  });

  it('scale after a rollout; scale during a stuck rollout spreads the change proportionally; undo recovers', async () => {
    const sc = await k(['scale', 'deploy/web', '--replicas=5']);
    expect(sc.stdout, sc.stderr).toContain('deployment.apps/web scaled');
    await rolledOut(k, 'web');
    const stable = (await rsOf('web')).find((rs) => replicasOf(rs) > 0)!;
    expect(replicasOf(stable)).toBe(5);

    // Pods no node can take stay Pending: the rollout stalls with two active ReplicaSets.
    const p = await k(['patch', 'deploy/web', '-p', '{"spec":{"template":{"spec":{"nodeSelector":{"disktype":"none"}}}}}']);
    expect(p.code, p.stderr).toBe(0);
    // 5 replicas, maxSurge 2, maxUnavailable 1: the new ReplicaSet gets 2, the old one drops
    // to 4, the new one reaches 3, and there it stays.
    const stuck = await waitFor('the rollout to stall at 4 old + 3 new', async () => {
      const all = await rsOf('web');
      const n = all.find((rs) => rs.metadata.name !== stable.metadata.name && replicasOf(rs) > 0);
      const o = all.find((rs) => rs.metadata.name === stable.metadata.name);
      return n && o && replicasOf(o) === 4 && replicasOf(n) === 3 && { n, o };
    }, 15_000);
    expect(stuck.n.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '5', 'deployment.kubernetes.io/max-replicas': '7' });

    expect((await k(['scale', 'deploy/web', '--replicas=10'])).code).toBe(0);
    // 13 allowed (10 + maxSurge 3), 7 there: +6 as 4*13/7 -> 7 and 3*13/7 -> 6 (sync.go scale).
    await waitFor('proportional sizes 7 + 6', async () => {
      const all = await rsOf('web');
      const size = (name: string) => replicasOf(all.find((rs) => rs.metadata.name === name)!);
      return size(stable.metadata.name!) === 7 && size(stuck.n.metadata.name!) === 6;
    }, 15_000);
    // Events are recorded after the write they report.
    const wanted = [`Scaled up replica set ${stable.metadata.name} from 4 to 7`, `Scaled up replica set ${stuck.n.metadata.name} from 3 to 6`];
    const messages = await waitFor('both ScalingReplicaSet events', async () => {
      const m = (await cluster.client.list(EVENTS, { namespace: ns })).items.map((e) => e.message);
      return wanted.every((w) => m.includes(w)) && m;
    }).catch(async () => (await cluster.client.list(EVENTS, { namespace: ns })).items.map((e) => e.message));
    expect(messages).toEqual(expect.arrayContaining(wanted));
    const status = await k(['rollout', 'status', 'deploy/web', '--watch=false']);
    expect(status.stdout).toContain('Waiting for deployment "web" rollout to finish: 6 out of 10 new replicas have been updated...');

    expect((await k(['rollout', 'undo', 'deploy/web'])).code).toBe(0);
    await rolledOut(k, 'web');
    const all = await rsOf('web');
    expect(replicasOf(all.find((rs) => rs.metadata.name === stable.metadata.name)!)).toBe(10);
    expect(replicasOf(all.find((rs) => rs.metadata.name === stuck.n.metadata.name)!)).toBe(0);
  });

  it('create job --from=cronjob: the Job carries the manual annotation and the CronJob as owner, and runs to completion', async () => {
    const cj = await k(['create', 'cronjob', 'hello', '--image=busybox', '--schedule=0 0 * * *', '--', 'echo', 'hi']);
    expect(cj.stdout, cj.stderr).toContain('cronjob.batch/hello created');
    const j = await k(['create', 'job', 'manual-1', '--from=cronjob/hello']);
    expect(j.stdout, j.stderr).toContain('job.batch/manual-1 created');
    const job = JSON.parse((await k(['get', 'job', 'manual-1', '-o', 'json'])).stdout) as KubeObject;
    const cronjob = JSON.parse((await k(['get', 'cronjob', 'hello', '-o', 'json'])).stdout) as KubeObject;
    expect(job.metadata.annotations).toMatchObject({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cronjob.metadata.uid, controller: true }]);
    expect((job.spec as { template: { spec: { containers: { command: string[] }[] } } }).template.spec.containers[0]!.command).toEqual(['echo', 'hi']);
    const w = await k(['wait', '--for=condition=complete', 'job/manual-1', '--timeout=30s'], 40_000);
    expect(w.stdout, w.stderr).toContain('job.batch/manual-1 condition met');
  });
});

describe.skipIf(Boolean(skip))('kubectl rollout status and the progress deadline (virtual clock)', () => {
  let cluster: Cluster;
  let clock: VirtualClock;
  let k: Kubectl;

  beforeAll(async () => {
    clock = new VirtualClock(new Date());
    cluster = await startCluster({ controllers: WORKLOAD, clock });
    k = kubectl(bin!, cluster.kubeconfigPath);
  });
  afterAll(async () => cluster?.stop());

  it('a rollout that makes no progress for progressDeadlineSeconds is ProgressDeadlineExceeded, and rollout status fails', async () => {
    expect((await k(['create', 'deployment', 'slow', '--image=nginx:1.26', '--replicas=2'])).code).toBe(0);
    await rolledOut(k, 'slow');
    const p = await k(['patch', 'deploy/slow', '-p', '{"spec":{"progressDeadlineSeconds":60,"template":{"spec":{"nodeSelector":{"disktype":"none"}}}}}']);
    expect(p.code, p.stderr).toBe(0);
    const started = await waitFor('the new ReplicaSet counted', async () => {
      const d = await cluster.client.get(DEPLOY, 'slow', ns);
      return (d.status as { updatedReplicas?: number }).updatedReplicas === 1 && d;
    });
    expect(progressingOf(started)).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    const waiting = await k(['rollout', 'status', 'deploy/slow', '--watch=false']);
    expect(waiting.stdout).toContain('Waiting for deployment "slow" rollout to finish: 1 out of 2 new replicas have been updated...');

    clock.advance(59_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(progressingOf(await cluster.client.get(DEPLOY, 'slow', ns))?.reason).toBe('ReplicaSetUpdated');
    // The controller checks again one second past the deadline, on the clock.
    clock.advance(3_000);
    const timedOut = await waitFor('ProgressDeadlineExceeded', async () => {
      const d = await cluster.client.get(DEPLOY, 'slow', ns);
      return progressingOf(d)?.reason === 'ProgressDeadlineExceeded' && d;
    });
    expect(progressingOf(timedOut)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    const r = await k(['rollout', 'status', 'deploy/slow', '--timeout=10s'], 20_000);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: deployment "slow" exceeded its progress deadline');
  });

  it('the controller rolls back a Deployment annotated deprecated.deployment.rollback.to (extensions/v1beta1 rollbackTo)', async () => {
    const a = await k(['annotate', 'deploy/slow', 'deprecated.deployment.rollback.to=0']);
    expect(a.code, a.stderr).toBe(0);
    await rolledOut(k, 'slow', ['--revision=3']);
    const d = await cluster.client.get(DEPLOY, 'slow', ns);
    expect(d.metadata.annotations).not.toHaveProperty('deprecated.deployment.rollback.to');
    expect((d.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeSelector).toBeUndefined();
    expect(progressingOf(d)).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    const messages = (await cluster.client.list(EVENTS, { namespace: ns })).items.filter((e) => e.reason === 'DeploymentRollback').map((e) => e.message);
    expect(messages).toEqual(['Rolled back deployment "slow" to revision 1']);
  });
});
