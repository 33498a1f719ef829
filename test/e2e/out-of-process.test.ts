// The controllers out of process: `kubesim controllers --kubeconfig` against a kubesim started
// with `--controllers none`, both on the virtual clock, against the same scenario run on a
// kubesim with its controllers in-process. An hour advanced through `/kubesim/clock/advance`
// must give the same results either way: the out-of-process controllers follow the server's
// clock step by step (src/controllers/runtime/clock-follower.ts).
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exitWithin, spawnKubesim, started, type Running } from './cli-process.js';
import { api } from './http-client.js';

let dir: string;
const children: ChildProcess[] = [];

function kubesim(args: string[]): Running {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  delete env.KUBECONFIG;
  const run = spawnKubesim(args, { cwd: dir, env });
  children.push(run.child);
  return run;
}

let inProcess: string;
let outOfProcess: string;
let controllers: Running;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubesim-oop-'));
  const a = kubesim(['--port', '0', '--clock', 'virtual', '--kubeconfig', 'a.yaml']);
  const b = kubesim(['--port', '0', '--clock', 'virtual', '--controllers', 'none', '--kubeconfig', 'b.yaml']);
  [inProcess, outOfProcess] = await Promise.all([started(a), started(b)]);
  controllers = kubesim(['controllers', '--kubeconfig', 'b.yaml']);
  await controllers.waitFor(/^Following the cluster's virtual clock/m, 30_000);
}, 60_000);

afterAll(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function until<T>(what: string | (() => string), fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const NS = '/api/v1/namespaces/default';
const BATCH = '/apis/batch/v1/namespaces/default';
const CRONTABS = '/apis/stable.example.com/v1/namespaces/default/crontabs';

const isComplete = (j: any) => (j.status?.conditions ?? []).some((c: any) => c.type === 'Complete' && c.status === 'True');

/** The scenario, and what it leaves behind in terms that do not depend on when the clock started. */
async function scenario(base: string) {
  const c = api(base);
  await until('a node', async () => ((await c.get('/api/v1/nodes')).body?.items?.length === 1 ? true : undefined));
  await until('the CronTab resource', async () => ((await c.get(CRONTABS)).status === 200 ? true : undefined));

  const created = await Promise.all([
    c.post(CRONTABS, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'demo' }, spec: { cronSpec: '* * * * */5', image: 'busybox', replicas: 2 } }),
    c.post(`${BATCH}/cronjobs`, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick' },
      spec: {
        schedule: '*/5 * * * *',
        successfulJobsHistoryLimit: 3,
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'date; echo tick'] }] } } } },
      },
    }),
    c.post('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
    }),
  ]);
  for (const r of created) expect(r.status, r.text).toBe(201);

  // An hour lived through: an every-5-minutes CronJob fires twelve times, whatever the start.
  expect((await c.post('/kubesim/clock/advance?by=1h', undefined)).status).toBe(200);
  expect((await c.patch(`${BATCH}/cronjobs/tick`, { spec: { suspend: true } }, 'application/merge-patch+json')).status).toBe(200);
  expect((await c.post('/kubesim/clock/advance?by=10m', undefined)).status).toBe(200);

  let seen: unknown;
  return until(() => `the scenario to settle at ${base}; last seen ${JSON.stringify(seen)}`, async () => {
    const [jobs, events, crontab, deploy] = await Promise.all([c.get(`${BATCH}/jobs`), c.get(`${NS}/events`), c.get(`${CRONTABS}/demo`), c.get('/apis/apps/v1/namespaces/default/deployments/web')]);
    const tickJobs = jobs.body.items.filter((j: any) => j.metadata.ownerReferences?.[0]?.name === 'tick');
    const demoJob = jobs.body.items.find((j: any) => j.metadata.name === 'demo');
    const reasons = (name: string) =>
      events.body.items
        .filter((e: any) => e.involvedObject.name === name)
        .reduce((n: Record<string, number>, e: any) => ({ ...n, [e.reason]: (n[e.reason] ?? 0) + (e.count ?? 1) }), {});
    const summary = {
      tickJobsKept: tickJobs.length,
      tickJobsComplete: tickJobs.filter(isComplete).length,
      tickEvents: reasons('tick'),
      demoJob: demoJob && { owner: demoJob.metadata.ownerReferences?.[0]?.kind, succeeded: demoJob.status?.succeeded, complete: isComplete(demoJob) },
      crontab: { jobName: crontab.body.status?.jobName, succeeded: crontab.body.status?.succeeded },
      deployment: { ready: deploy.body.status?.readyReplicas, available: deploy.body.status?.availableReplicas },
    };
    seen = summary;
    const settled = summary.tickJobsKept === 3 && summary.tickJobsComplete === 3 && summary.demoJob?.complete && summary.crontab.succeeded === 2 && summary.deployment.available === 2;
    return settled ? summary : undefined;
  });
}

it('gives the same results with the controllers in-process and out of process, on the virtual clock', async () => {
  const [a, b] = await Promise.all([scenario(inProcess), scenario(outOfProcess)]);
  expect(a.tickEvents).toMatchObject({ SuccessfulCreate: 12 });
  expect(a.demoJob).toEqual({ owner: 'CronTab', succeeded: 2, complete: true });
  expect(a.crontab.jobName).toBe('demo');
  expect(b).toEqual(a);
  expect(controllers.stderr()).toBe('');
}, 60_000);

it('stops cleanly when told', async () => {
  controllers.child.kill('SIGTERM');
  expect((await exitWithin(controllers, 10_000)).code).toBe(0);
});
