// `kubectl logs` against kubesim with the scheduler, kubelet and workload controllers on a
// virtual clock: what a container prints comes from the fake runtime, and the test moves the
// clock to make it print more.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, VirtualClock } from '../../src/index.js';
import { deploymentController } from '../../src/controllers/deployment/setup.js';
import { jobController } from '../../src/controllers/job/setup.js';
import { kubeletController } from '../../src/controllers/kubelet/index.js';
import { replicaSetController } from '../../src/controllers/replicaset/setup.js';
import { schedulerController } from '../../src/controllers/scheduler/index.js';
import { startWithControllers, waitFor, type ControllerHarness } from './controller-harness.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

type Obj = Record<string, any>;
const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const bin = kubectlBinaries()[0];
const skip = requireClient(Boolean(bin), 'kubectl');

let harness: ControllerHarness;
let cluster: Cluster;
let clock: VirtualClock;
let k: ReturnType<typeof kubectl>;
const dir = mkdtempSync(join(tmpdir(), 'kubesim-logs-'));

beforeAll(async () => {
  if (skip) return;
  harness = await startWithControllers([schedulerController, kubeletController, jobController, replicaSetController, deploymentController]);
  ({ cluster, clock } = harness);
  k = kubectl(bin!, cluster.kubeconfigPath);
});
afterAll(async () => harness?.stop());

async function apply(name: string, yaml: string): Promise<void> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const r = await k(['apply', '-f', file]);
  expect(r.code, r.stderr).toBe(0);
}

const podYAML = (name: string, script: string, restartPolicy = 'Never') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: ${restartPolicy}
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", ${JSON.stringify(script)}]
`;

const statusOf = async (name: string): Promise<Obj> => ((await cluster.client.get(PODS, name, 'default')).status ?? {}) as Obj;
const running = (name: string) => waitFor(`${name} running`, async () => (await statusOf(name)).containerStatuses?.[0]?.state?.running, 5000, 20);
const ok = async (args: string[]) => {
  const r = await k(args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};

describe.skipIf(Boolean(skip))('kubectl logs', () => {
  it('prints what the container printed so far, with --tail, --timestamps and --limit-bytes', async () => {
    await apply('counter', podYAML('counter', 'i=0; while true; do echo "$i: hello"; i=$((i+1)); sleep 1; done', 'Always'));
    const started = Date.parse((await running('counter')).startedAt);
    clock.advanceTo(new Date(started + 2500));
    expect(await ok(['logs', 'counter'])).toBe('0: hello\n1: hello\n2: hello\n');
    expect(await ok(['logs', 'counter', '--tail=1'])).toBe('2: hello\n');
    expect(await ok(['logs', 'counter', '-c', 'main', '--limit-bytes=12'])).toBe('0: hello\n1: ');
    const stamp = new Date(started + 1000).toISOString().replace('.000Z', 'Z');
    expect((await ok(['logs', 'counter', '--timestamps'])).split('\n')[1]).toBe(`${stamp} 1: hello`);
    expect(await ok(['logs', 'counter', '--since=2s'])).toBe('1: hello\n2: hello\n');
  });

  it('follows with -f until the container ends', async () => {
    await apply('steps', podYAML('steps', 'echo start; sleep 5; echo middle; sleep 5; echo done'));
    await running('steps');
    const child = spawn(bin!.path, ['logs', '-f', 'steps'], { env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath, HOME: dir } });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor('the first line', async () => out === 'start\n', 10_000, 20);
      clock.advance(6000);
      await waitFor('the second line', async () => out === 'start\nmiddle\n', 5000, 20);
      clock.advance(6000);
      expect(await exited).toBe(0);
      expect(out).toBe('start\nmiddle\ndone\n');
    } finally {
      child.kill();
    }
  });

  it('reads the run before a restart with --previous', async () => {
    await apply('crasher', podYAML('crasher', 'echo "run at $(date +%s)"; sleep 5; exit 1', 'Always'));
    const first = Date.parse((await running('crasher')).startedAt);
    clock.advance(5000); // exits; back-off 10 s
    clock.advance(10_000); // restarted
    await waitFor('a restart', async () => (await statusOf('crasher')).containerStatuses?.[0]?.restartCount === 1, 5000, 20);
    const second = Date.parse((await statusOf('crasher')).containerStatuses[0].state.running.startedAt);
    expect(await ok(['logs', 'crasher', '--previous'])).toBe(`run at ${first / 1000}\n`);
    expect(await ok(['logs', 'crasher'])).toBe(`run at ${second / 1000}\n`);
    const none = await k(['logs', 'counter', '--previous']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('previous terminated container "main" in pod "counter" not found');
  });

  it('prints every container with --all-containers, and names them with -c', async () => {
    await apply('pair', `apiVersion: v1
kind: Pod
metadata:
  name: pair
spec:
  restartPolicy: Never
  containers:
  - name: left
    image: busybox
    command: ["echo", "from left"]
  - name: right
    image: busybox
    command: ["sh", "-c", "echo from right; printenv HOSTNAME"]
`);
    await waitFor('pair done', async () => (await statusOf('pair')).phase === 'Succeeded', 5000, 20);
    expect(await ok(['logs', 'pair', '-c', 'right'])).toBe('from right\npair\n');
    // kubectl reads the containers' logs from a Go map, so their order varies from run to run.
    const all = await ok(['logs', 'pair', '--all-containers']);
    expect(all.split('\n').sort()).toEqual(['', 'from left', 'from right', 'pair']);
    expect(all).toContain('from right\npair\n');
    const missing = await k(['logs', 'pair', '-c', 'nope']);
    expect(missing.stderr).toContain('container nope is not valid for pod pair');
  });

  it('finds the pod of job/NAME, deploy/NAME and -l SELECTOR', async () => {
    await apply('pi', `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  backoffLimit: 4
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]
`);
    await waitFor('the pi Job to complete', async () => {
      const r = await k(['get', 'job', 'pi', '-o', 'jsonpath={.status.succeeded}']);
      return r.stdout === '1';
    }, 10_000, 50);
    const pi = await ok(['logs', 'job/pi']);
    expect(pi).toMatch(/^3\.14159265358979323846\d{1979}\n$/);

    await apply('web', `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: busybox
        command: ["sh", "-c", "echo serving on $HOSTNAME; sleep infinity"]
`);
    await waitFor('a web pod running', async () => {
      const pods = (await cluster.client.list(PODS, { namespace: 'default', labelSelector: 'app=web' })).items;
      return pods.some((p) => (p.status as Obj | undefined)?.containerStatuses?.[0]?.state?.running);
    }, 10_000, 20);
    expect(await ok(['logs', 'deploy/web'])).toMatch(/^serving on web-[a-z0-9]+-[a-z0-9]{5}\n$/);
    expect(await ok(['logs', '-l', 'app=web', '--prefix'])).toMatch(/^\[pod\/(web-[a-z0-9]+-[a-z0-9]{5})\/web\] serving on \1\n$/);
  });
});
