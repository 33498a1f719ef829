// The controllers as a learner meets them, with real kubectl against `npx kubesim`'s default
// set (every controller, the real clock): a CronTab becomes a Job it owns, the Job's pods are
// scheduled and run by the simulated kubelet, `kubectl wait` sees the Job complete, `kubectl
// logs job/...` prints what the container printed, and `kubectl describe` shows the events.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { waitFor } from './controller-harness.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const all = kubectlBinaries();
// The default kubectl and the oldest versioned one.
const binaries = all.filter((_, i) => i === 0 || i === 1);
const skip = requireClient(all.length > 1, 'kubectl (with kubectl.1.27 .. kubectl.1.33 beside it)');

describe.skipIf(Boolean(skip)).each(binaries)('$name: the controllers', (bin) => {
  let cluster: Cluster;
  let k: ReturnType<typeof kubectl>;
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-kubectl-controllers-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(async () => {
    cluster = await startCluster();
    k = kubectl(bin, cluster.kubeconfigPath);
  });
  afterAll(async () => cluster?.stop());

  const poll = <T>(what: string, check: () => Promise<T | undefined | false>, ms = 15_000) => waitFor(what, check, ms, 50);

  it('turns a CronTab into a Job it owns, which completes with logs and events', async () => {
    const crontab = ['apiVersion: stable.example.com/v1', 'kind: CronTab', 'metadata:', '  name: hello', 'spec:', '  cronSpec: "*/5 * * * *"', '  image: hello-world', '  replicas: 2', ''].join('\n');
    const applied = await k(['apply', '-f', file('crontab.yaml', crontab)]);
    expect(applied.stdout, applied.stderr).toContain('crontab.stable.example.com/hello created');

    const job = await poll('the Job of the CronTab', async () => {
      const r = await k(['get', 'job', 'hello', '-o', 'json']);
      return r.code === 0 ? JSON.parse(r.stdout) : undefined;
    });
    expect(job.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', name: 'hello', controller: true, blockOwnerDeletion: true })]);
    expect(job.spec).toMatchObject({ parallelism: 2, completions: 2 });

    const wait = await k(['wait', '--for=condition=complete', 'job/hello', '--timeout=30s'], 40_000);
    expect(wait.stdout, wait.stderr).toContain('job.batch/hello condition met');

    // kubectl picks one of the Job's pods; both printed the image's greeting.
    const logs = await k(['logs', 'job/hello']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('Hello from Docker!');

    const describeJob = await k(['describe', 'job', 'hello']);
    expect(describeJob.stdout).toMatch(/Controlled By:\s+CronTab\/hello/);
    expect(describeJob.stdout).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 2 Succeeded \/ 0 Failed/);
    expect(describeJob.stdout).toMatch(/Normal\s+SuccessfulCreate\s+\S+\s+job-controller\s+Created pod: hello-/);
    expect(describeJob.stdout).toMatch(/Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);

    const describeCronTab = await k(['describe', 'crontab', 'hello']);
    expect(describeCronTab.stdout).toMatch(/Normal\s+JobCreated\s+\S+\s+crontab-controller\s+Created Job hello/);
    const status = JSON.parse((await k(['get', 'crontab', 'hello', '-o', 'json'])).stdout).status;
    expect(status).toMatchObject({ jobName: 'hello', succeeded: 2 });

    const pod = JSON.parse((await k(['get', 'pods', '-l', 'job-name=hello', '-o', 'json'])).stdout).items[0];
    const describePod = await k(['describe', 'pod', pod.metadata.name]);
    expect(describePod.stdout).toMatch(/Node:\s+kubesim-node-1\//);
    for (const [reason, from] of [['Scheduled', 'default-scheduler'], ['Pulled', 'kubelet'], ['Created', 'kubelet'], ['Started', 'kubelet']]) {
      expect(describePod.stdout).toMatch(new RegExp(`Normal\\s+${reason}\\s+\\S+\\s+${from}\\s`));
    }
  });

  it('shows a failing Job fail with the backoff limit, in wait and describe', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'doomed' },
      spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo trying; exit 3'] }] } } },
    };
    expect((await k(['create', '-f', file('doomed.json', JSON.stringify(job))])).code).toBe(0);
    const wait = await k(['wait', '--for=condition=failed', 'job/doomed', '--timeout=30s'], 40_000);
    expect(wait.stdout, wait.stderr).toContain('job.batch/doomed condition met');
    const describe = await k(['describe', 'job', 'doomed']);
    expect(describe.stdout).toMatch(/Warning\s+BackoffLimitExceeded\s+\S+\s+job-controller\s+Job has reached the specified backoff limit/);
    const pod = JSON.parse((await k(['get', 'pods', '-l', 'job-name=doomed', '-o', 'json'])).stdout).items[0];
    expect(pod.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });
});
