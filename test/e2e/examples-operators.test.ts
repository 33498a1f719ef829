// The CronTab operator examples (examples/crontab-operator/operator.ts with client-node, and
// examples/crontab-python/crontab_controller.py with Debian's python3-kubernetes), each run
// as a subprocess against kubesim over HTTP, as a learner would run them. kubesim runs the
// scheduler, kubelet and Job controllers but not its own crontab controller: the example is
// the only CronTab controller, so every Job the test sees is the example's.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, startCluster, type Client, type Cluster, type KubeObject } from '../../src/index.js';
import { CRDS, CRONTAB_CRD, CRONTAB_CRD_NAME, CRONTABS } from '../../src/controllers/crontab/crd.js';
import { isEstablished } from '../../src/controllers/crontab/setup.js';
import { JOBS } from '../../src/controllers/crontab/job.js';
import { waitFor } from './controller-harness.js';
import { Example, root, startExample } from './example-process.js';
import { requireClient } from './support.js';

const NAMESPACES = { ts: 'ts-operator', py: 'py-controller' };
const WAIT_MS = 15_000;
/** Starting tsx or python and importing a client takes a while on a busy machine. */
const START_MS = 40_000;

/** Debian's python3 has the module; a python3 earlier on PATH (pyenv, venv) may not. */
function pythonWithKubernetes(): string | undefined {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import kubernetes'], { stdio: 'ignore' });
    return '/usr/bin/python3';
  } catch {
    return undefined;
  }
}

let cluster: Cluster;
let client: Client;

beforeAll(async () => {
  cluster = await startCluster({ controllers: ['scheduler', 'kubelet', 'job'], port: 0 });
  client = cluster.client;
  // Install the example's CRD as its README says (kubectl apply), and wait until it is served.
  await client.create(CRDS, parse(readFileSync(`${root}examples/crontab-operator/crd.yaml`, 'utf8')));
  await waitFor('CronTab CRD Established', async () => isEstablished(await client.get(CRDS, CRONTAB_CRD_NAME)), WAIT_MS);
  for (const ns of [NAMESPACES.ts, NAMESPACES.py]) await client.create({ group: '', version: 'v1', resource: 'namespaces', namespaced: false }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});
afterAll(async () => cluster?.stop());

const cronTab = (name: string, namespace: string, replicas: number): KubeObject => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name, namespace },
  spec: { cronSpec: '* * * * */5', image: 'busybox', replicas },
});
const getJob = async (name: string, ns: string) => {
  try {
    return await client.get(JOBS, name, ns);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
};
const jobSpec = (job: KubeObject) => job.spec as { parallelism: number; completions: number; template: { spec: { containers: { image: string }[] } } };
const jobConditions = (job: KubeObject) => ((job.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions ?? [];
/** The spec-hash annotation both examples write: sha256 of the spec as compact JSON with sorted keys. */
const specHash = (spec: Record<string, unknown>) =>
  createHash('sha256').update(JSON.stringify(spec, Object.keys(spec).sort())).digest('hex').slice(0, 10);
const HASH = 'stable.example.com/spec-hash';
const setReplicas = (name: string, ns: string, replicas: number) => client.patch(CRONTABS, name, { spec: { replicas } }, 'merge', { namespace: ns });

it('examples/crontab-operator/crd.yaml is the CRD the in-tree crontab controller installs', () => {
  const crd = parse(readFileSync(`${root}examples/crontab-operator/crd.yaml`, 'utf8'));
  expect(crd).toEqual(CRONTAB_CRD);
  const sample = parse(readFileSync(`${root}examples/crontab-operator/crontab.yaml`, 'utf8'));
  expect(sample).toMatchObject({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'my-new-cron-object' }, spec: { image: 'busybox' } });
});

describe('examples/crontab-operator/operator.ts (client-node)', () => {
  const ns = NAMESPACES.ts;
  let op: Example;
  let uid: string;
  beforeAll(async () => {
    op = startExample(process.execPath, ['--import', 'tsx', 'examples/crontab-operator/operator.ts', '--namespace', ns], cluster.kubeconfigPath);
    await op.waitFor('the operator to start', async () => op.output().includes(`watching CronTabs in namespace ${ns}`), START_MS);
  }, START_MS + 5000);
  afterAll(() => op?.kill());

  it('creates a Job owned by a new CronTab, running its image spec.replicas times', async () => {
    uid = (await client.create(CRONTABS, cronTab('nightly', ns, 2))).metadata.uid!;
    const job = await op.waitFor('the Job', () => getJob('nightly', ns));
    expect(job.metadata.ownerReferences).toEqual([
      { apiVersion: 'stable.example.com/v1', kind: 'CronTab', name: 'nightly', uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(jobSpec(job)).toMatchObject({ parallelism: 2, completions: 2 });
    expect(jobSpec(job).template.spec.containers.map((c) => c.image)).toEqual(['busybox']);
    expect(job.metadata.annotations?.[HASH]).toBe(specHash({ cronSpec: '* * * * */5', image: 'busybox', replicas: 2 }));
  });

  it('reports the Job running to completion in the CronTab status', async () => {
    await op.waitFor('the Job to complete', async () => jobConditions((await getJob('nightly', ns))!).some((c) => c.type === 'Complete' && c.status === 'True'));
    const ct = await op.waitFor('status succeeded=2', async () => {
      const got = await client.get(CRONTABS, 'nightly', ns);
      return (got.status as { succeeded?: number } | undefined)?.succeeded === 2 && got;
    });
    expect(ct.status).toEqual({ jobName: 'nightly', active: 0, succeeded: 2, observedGeneration: 1 });
  });

  it('replaces the Job when spec.replicas changes', async () => {
    const old = (await getJob('nightly', ns))!;
    await setReplicas('nightly', ns, 3);
    const job = await op.waitFor('a new Job', async () => {
      const j = await getJob('nightly', ns);
      return j && j.metadata.uid !== old.metadata.uid && j;
    });
    expect(jobSpec(job)).toMatchObject({ parallelism: 3, completions: 3 });
    expect(job.metadata.annotations?.[HASH]).toBe(specHash({ cronSpec: '* * * * */5', image: 'busybox', replicas: 3 }));
    const ct = await op.waitFor('status of generation 2', async () => {
      const got = await client.get(CRONTABS, 'nightly', ns);
      return (got.status as { succeeded?: number } | undefined)?.succeeded === 3 && got;
    });
    expect(ct.status).toEqual({ jobName: 'nightly', active: 0, succeeded: 3, observedGeneration: 2 });
  });

  it('makes the Job again when someone deletes it', async () => {
    const old = (await getJob('nightly', ns))!;
    await client.delete(JOBS, 'nightly', ns, { propagationPolicy: 'Background' });
    const job = await op.waitFor('the Job made again', async () => {
      const j = await getJob('nightly', ns);
      return j && j.metadata.uid !== old.metadata.uid && j;
    });
    expect(job.metadata.ownerReferences?.[0]?.uid).toBe(uid);
  });

  it('deletes the Job when the CronTab is deleted', async () => {
    await client.delete(CRONTABS, 'nightly', ns);
    await op.waitFor('the Job deleted', async () => (await getJob('nightly', ns)) === undefined);
  });

  it('stops cleanly on SIGTERM', async () => {
    op.child.kill('SIGTERM');
    expect(await op.exited, op.output()).toEqual({ code: 0, signal: null });
    expect(op.output()).toContain('SIGTERM: stopping');
  });
});

const python = pythonWithKubernetes();
const skipPython = requireClient(python !== undefined, 'the Python kubernetes client (Debian package python3-kubernetes) for /usr/bin/python3');

describe.skipIf(Boolean(skipPython))('examples/crontab-python/crontab_controller.py (python3-kubernetes)', () => {
  const ns = NAMESPACES.py;
  let ctl: Example;
  beforeAll(async () => {
    ctl = startExample(python!, ['examples/crontab-python/crontab_controller.py'], cluster.kubeconfigPath);
    await ctl.waitFor('the controller to start', async () => ctl.output().includes('watching CronTabs'), START_MS);
  }, START_MS + 5000);
  afterAll(() => ctl?.kill());

  it('creates the Job for a CronTab', async () => {
    const uid = (await client.create(CRONTABS, cronTab('hourly', ns, 1))).metadata.uid!;
    const job = await ctl.waitFor('the Job', () => getJob('hourly', ns));
    expect(job.metadata.ownerReferences).toEqual([
      { apiVersion: 'stable.example.com/v1', kind: 'CronTab', name: 'hourly', uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(jobSpec(job)).toMatchObject({ parallelism: 1, completions: 1 });
    // The same annotation as the TypeScript operator's, so either can take over from the other.
    expect(job.metadata.annotations?.[HASH]).toBe(specHash({ cronSpec: '* * * * */5', image: 'busybox', replicas: 1 }));
    await ctl.waitFor('its log line', async () => ctl.output().includes(`${ns}/hourly: created Job hourly`));
  });

  it('replaces the Job when the spec changes', async () => {
    const old = (await getJob('hourly', ns))!;
    await setReplicas('hourly', ns, 2);
    const job = await ctl.waitFor('a new Job', async () => {
      const j = await getJob('hourly', ns);
      return j && j.metadata.uid !== old.metadata.uid && j;
    });
    expect(jobSpec(job)).toMatchObject({ parallelism: 2, completions: 2 });
  });

  it('deletes the Job when the CronTab is deleted', async () => {
    await client.delete(CRONTABS, 'hourly', ns);
    await ctl.waitFor('the Job deleted', async () => (await getJob('hourly', ns)) === undefined);
    await ctl.waitFor('its log line', async () => ctl.output().includes(`${ns}/hourly: deleted Job hourly (its CronTab was deleted)`));
  });

  it('stops cleanly on SIGTERM', async () => {
    ctl.child.kill('SIGTERM');
    expect(await ctl.exited, ctl.output()).toEqual({ code: 0, signal: null });
    expect(ctl.output()).toContain('stopping');
  });
});
