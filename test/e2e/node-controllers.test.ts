// The simulated kubelet and scheduler against a cluster on a virtual clock: nodes register
// and renew leases, pods are bound, run, and end as their commands say.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, VirtualClock } from '../../src/index.js';
import type { KubeObject } from '../../src/apiserver/object.js';
import { kubeletController } from '../../src/controllers/kubelet/index.js';
import { schedulerController } from '../../src/controllers/scheduler/index.js';
import { startWithControllers, waitFor, type ControllerHarness } from './controller-harness.js';

const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true };
const EVENTS = { group: '', version: 'v1', resource: 'events', namespaced: true };

type Obj = Record<string, any>;
let cluster: Cluster;
let clock: VirtualClock;
let harness: ControllerHarness;
let errors: unknown[];

beforeAll(async () => {
  // The scheduler binds through the client (POST pods/{name}/binding), as it does in kubesim.
  harness = await startWithControllers([kubeletController, schedulerController], { nodes: 2 });
  ({ cluster, clock, errors } = harness);
});
afterAll(async () => harness?.stop());

const until = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 5000) => waitFor(what, check, timeoutMs, 20);

const getPod = (name: string) => cluster.client.get(PODS, name, 'default');
const phaseIs = (name: string, phase: string) => until(`${name} ${phase}`, async () => {
  const p = await getPod(name);
  return (p.status as Obj | undefined)?.phase === phase && p;
});

function pod(name: string, container: Obj, extra: Obj = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', ...container }], ...extra } };
}

describe('kubelet nodes', () => {
  it('registers Ready nodes with their leases, renewed every 10 s on the clock', async () => {
    const nodes = (await cluster.client.list(NODES)).items;
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['kubesim-node-1', 'kubesim-node-2']);
    const n1 = nodes.find((n) => n.metadata.name === 'kubesim-node-1')!;
    const status = n1.status as Obj;
    expect(status.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect(status.allocatable).toMatchObject({ cpu: '4', memory: '16Gi', pods: '110' });
    expect(status.nodeInfo).toMatchObject({ kubeletVersion: 'v1.33.0', containerRuntimeVersion: 'kubesim://0.1.0', operatingSystem: 'linux' });
    expect(n1.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'kubesim-node-1', 'kubernetes.io/os': 'linux' });

    const lease = await cluster.client.get(LEASES, 'kubesim-node-1', 'kube-node-lease');
    const before = Date.parse((lease.spec as Obj).renewTime);
    expect((lease.spec as Obj).holderIdentity).toBe('kubesim-node-1');
    clock.advance(10_000);
    await until('lease renewed', async () => {
      const l = await cluster.client.get(LEASES, 'kubesim-node-1', 'kube-node-lease');
      return Date.parse((l.spec as Obj).renewTime) >= before + 10_000;
    });
  });
});

describe('scheduling and running pods', () => {
  it('schedules `sleep 30`, runs it, and it succeeds once 30 s pass', async () => {
    await cluster.client.create(PODS, pod('sleeper', { image: 'busybox', command: ['sleep', '30'] }));
    const running = await phaseIs('sleeper', 'Running');
    const status = running.status as Obj;
    expect((running.spec as Obj).nodeName).toMatch(/^kubesim-node-[12]$/);
    expect(status.podIP).toMatch(/^10\.244\.[01]\.\d+$/);
    expect(status.containerStatuses[0]).toMatchObject({ name: 'main', ready: true, state: { running: {} } });
    expect(status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('True');
    const events = async () => (await cluster.client.list(EVENTS, { namespace: 'default' })).items.filter((e) => (e.involvedObject as Obj).name === 'sleeper');
    // Only Scheduled is checked: on a virtual clock the EventRecorder names every event of one
    // object at one instant alike (<name>.<hex ns>), so the kubelet's same-instant events collide.
    await until('Scheduled event', async () => (await events()).some((e) => e.reason === 'Scheduled'));
    expect((await events()).find((e) => e.reason === 'Scheduled')!.message).toBe(`Successfully assigned default/sleeper to ${(running.spec as Obj).nodeName}`);

    clock.advance(29_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(((await getPod('sleeper')).status as Obj).phase).toBe('Running');
    clock.advance(1_000);
    const done = await phaseIs('sleeper', 'Succeeded');
    expect((done.status as Obj).containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect((done.status as Obj).conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('fails a pod whose command exits 3', async () => {
    await cluster.client.create(PODS, pod('exit3', { image: 'busybox', command: ['sh', '-c', 'echo hi; exit 3'] }));
    const failed = await phaseIs('exit3', 'Failed');
    expect((failed.status as Obj).containerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('keeps nginx Running and Ready', async () => {
    await cluster.client.create(PODS, pod('web', { image: 'nginx' }, { restartPolicy: 'Always' }));
    await phaseIs('web', 'Running');
    clock.advance(600_000);
    await new Promise((r) => setTimeout(r, 50));
    const web = await getPod('web');
    expect((web.status as Obj).phase).toBe('Running');
    expect((web.status as Obj).containerStatuses[0]).toMatchObject({ ready: true, restartCount: 0 });
  });

  it('kills a pod being deleted that a finalizer holds, and reports it Failed', async () => {
    const held = pod('held', { image: 'busybox', command: ['sleep', '3600'] });
    held.metadata.finalizers = ['example.com/hold'];
    await cluster.client.create(PODS, held);
    await phaseIs('held', 'Running');
    clock.advance(5000);
    await cluster.client.delete(PODS, 'held', 'default');
    const killed = await phaseIs('held', 'Failed');
    expect((killed.status as Obj).containerStatuses[0].state.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(killed.metadata.deletionTimestamp).toBeDefined();
    await cluster.client.patch(PODS, 'held', { metadata: { finalizers: null } }, 'merge', { namespace: 'default' });
    await until('held gone', async () => !(await cluster.client.list(PODS, { namespace: 'default' })).items.some((p) => p.metadata.name === 'held'));
  });

  it('leaves a pod no node matches Pending and Unschedulable', async () => {
    await cluster.client.create(PODS, pod('nowhere', { image: 'nginx' }, { nodeSelector: { disktype: 'ssd' } }));
    const p = await until('Unschedulable', async () => {
      const got = await getPod('nowhere');
      return ((got.status as Obj).conditions ?? []).some((c: Obj) => c.reason === 'Unschedulable') && got;
    });
    const cond = (p.status as Obj).conditions.find((c: Obj) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(cond.message).toMatch(/^0\/2 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector\./);
    expect((p.status as Obj).phase).toBe('Pending');
    expect((p.spec as Obj).nodeName).toBeUndefined();
    clock.advance(30_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(((await getPod('nowhere')).spec as Obj).nodeName).toBeUndefined();
  });

  it('finishes a graceful deletion: Terminating for the grace period asked, Killing, then gone', async () => {
    await cluster.client.create(PODS, pod('graceful', { image: 'nginx' }, { restartPolicy: 'Always', terminationGracePeriodSeconds: 45 }));
    await phaseIs('graceful', 'Running');
    const at = clock.now().getTime();
    const marked = await cluster.client.delete(PODS, 'graceful', 'default');
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(45);
    expect(Date.parse(marked.metadata.deletionTimestamp!)).toBe(Math.floor((at + 45_000) / 1000) * 1000);
    // The simulated container stops at SIGTERM: the kubelet deletes the pod without waiting the 45 s out.
    await until('the pod gone', async () => (await cluster.client.list(PODS, { namespace: 'default', fieldSelector: 'metadata.name=graceful' })).items.length === 0);
    const events = (await cluster.client.list(EVENTS, { namespace: 'default' })).items.filter((e) => (e.involvedObject as Obj).name === 'graceful');
    expect(events.find((e) => e.reason === 'Killing')).toMatchObject({ type: 'Normal', message: 'Stopping container main', source: { component: 'kubelet', host: expect.stringMatching(/^kubesim-node-[12]$/) }, reportingInstance: expect.stringMatching(/^kubesim-node-[12]$/) });
  });

  it('reported no controller errors', () => {
    // Same-instant event name collisions (see above) are the recorder's, not these controllers'.
    const isEventCollision = (e: unknown) => (e as { reason?: string }).reason === 'AlreadyExists' && /^events /.test((e as Error).message);
    expect(errors.filter((e) => !isEventCollision(e))).toEqual([]);
  });
});
