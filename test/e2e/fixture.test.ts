// The test fixture as a developer uses it: startCluster() with manifests, cluster.apply of
// text, objects and files, waitFor on predicates, conditions and deletion (and the timeout
// error a failing test prints), events, clock.advance, and clusters that share nothing.
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, startCluster, WaitTimeoutError, type Cluster, type KubeObject } from '../../src/index.js';

const CRD = new URL('../../examples/crontab-operator/crd.yaml', import.meta.url);
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };

const JOB_YAML = `apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: hello
          image: busybox
          command: ["sh", "-c", "echo hello; sleep 30"]
`;

describe('on a virtual clock with every controller', () => {
  let cluster: Cluster;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubesim-fixture-'));
    cluster = await startCluster({
      clock: 'virtual',
      manifests: [CRD, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }],
    });
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the manifests given at start: a CRD is served by the time startCluster resolves', async () => {
    const [crontab] = await cluster.apply({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'at-start' }, spec: { cronSpec: '* * * * */5', image: 'busybox' } });
    expect(crontab!.metadata!.namespace).toBe('default');
    // Defaults from the CRD's schema were applied by the server.
    expect((crontab!.spec as { replicas?: number }).replicas).toBe(1);
    expect((await cluster.waitFor('namespace/team', 'exists', { timeout: 50 }))!.kind).toBe('Namespace');
  });

  it('applies YAML text with several documents, a CRD and its custom resource in one go, in the order given', async () => {
    const text = [
      'apiVersion: widgets.example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: team\ndata:\n  mode: fast',
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.widgets.example.com
spec:
  group: widgets.example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer, maximum: 10 }`,
    ].join('\n---\n');
    const stored = await cluster.apply(text);
    expect(stored.map((o) => `${o.kind}/${o.metadata!.name}`)).toEqual(['Widget/w1', 'ConfigMap/settings', 'CustomResourceDefinition/widgets.widgets.example.com']);
    expect(stored[0]!.metadata!.managedFields?.[0]?.manager).toBe('kubesim-fixture');

    // Applying the same again changes nothing: same resourceVersion, as server-side apply answers
    // a no-op (the CRD's moved on since: the server wrote its Established status).
    const again = await cluster.apply(text);
    expect(again.slice(0, 2).map((o) => o.metadata!.resourceVersion)).toEqual(stored.slice(0, 2).map((o) => o.metadata!.resourceVersion));
    const third = await cluster.apply(text);
    expect(third.map((o) => o.metadata!.resourceVersion)).toEqual(again.map((o) => o.metadata!.resourceVersion));
  });

  it('applies files and folders, reading them as kubectl apply -f does', async () => {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\ndata:\n  k: v\n');
    writeFileSync(join(dir, 'app', 'b.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-list' } }] }));
    const stored = await cluster.apply(join(dir, 'app'), { namespace: 'team' });
    expect(stored.map((o) => `${o.metadata!.namespace}/${o.metadata!.name}`)).toEqual(['team/from-file', 'team/from-list']);
    const relative = await cluster.apply('app/a.yaml', { cwd: dir });
    expect(relative[0]!.metadata!.namespace).toBe('default');
  });

  it('throws the server\'s error, naming the manifest, and stores nothing of the bad object', async () => {
    const bad = 'apiVersion: widgets.example.com/v1\nkind: Widget\nmetadata:\n  name: too-big\nspec:\n  size: 11\n';
    const err = await cluster.apply(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(422);
    expect((err as ApiError).message).toBe('manifest: Widget.widgets.example.com "too-big" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10');
    await expect(cluster.waitFor('widget/too-big', 'exists', { timeout: 50 })).rejects.toThrow(WaitTimeoutError);

    const unknown = await cluster.apply({ apiVersion: 'nowhere.example.com/v1', kind: 'Ghost', metadata: { name: 'g' } }).catch((e: unknown) => e);
    expect((unknown as Error).message).toBe('manifest: resource mapping not found for name: "g": no matches for kind "Ghost" in version "nowhere.example.com/v1"; ensure CRDs are installed first');
  });

  it('reports a conflict with another manager, and takes the field with force', async () => {
    await cluster.client.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned', namespace: 'default' }, data: { k: 'theirs' } }, { fieldManager: 'someone-else' });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned' }, data: { k: 'mine' } };
    const err = await cluster.apply(cm).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe(409);
    expect((err as ApiError).message).toContain('conflict with "someone-else"');
    const [taken] = await cluster.apply(cm, { force: true });
    expect(taken!.data).toEqual({ k: 'mine' });
  });

  it('waits for a condition while the clock moves, and shows the Events about the object', async () => {
    await cluster.apply(JOB_YAML);
    // The pods run for 30s of cluster time: nothing completes until the clock moves.
    await expect(cluster.waitFor('job/hello', { condition: 'Complete' }, { timeout: 100 })).rejects.toThrow(WaitTimeoutError);
    await cluster.clock.advance('1m');
    const job = await cluster.waitFor('jobs.batch/hello', { condition: 'Complete' });
    expect((job!.status as { succeeded?: number }).succeeded).toBe(2);

    const events = await cluster.events('job/hello');
    expect(events.map((e) => e.reason)).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'Completed']);
    expect(events.every((e) => e.involvedObject.name === 'hello' && e.involvedObject.kind === 'Job')).toBe(true);
    const completed = await cluster.events(job!, { reason: 'Completed' });
    expect(completed).toHaveLength(1);
    expect(completed[0]!.message).toBe('Job completed');
    const pods = await cluster.client.list({ group: '', version: 'v1', resource: 'pods', namespaced: true }, { namespace: 'default', labelSelector: 'job-name=hello' });
    const started = await cluster.events(pods.items[0]!, { reason: 'Started' });
    expect(started[0]!.source?.component).toBe('kubelet');
  });

  it('waits for a predicate, treating one that throws as not yet, and for deletion', async () => {
    const waiting = cluster.waitFor<KubeObject & { data?: Record<string, string> }>('cm/later', (cm) => cm.data!.ready === 'yes', { timeout: '5s' });
    await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' } });
    await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' }, data: { ready: 'yes' } });
    expect((await waiting)!.data).toEqual({ ready: 'yes' });

    const gone = cluster.waitFor('configmap/later', 'deleted');
    await cluster.client.delete(CONFIGMAPS, 'later', 'default');
    await expect(gone).resolves.toBeUndefined();
  });

  it('times out with a message that names the wait and shows the object\'s last state', async () => {
    await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stuck', namespace: 'team' }, data: { phase: 'waiting' } });
    const err = (await cluster.waitFor('configmaps/stuck', { condition: 'Ready' }, { namespace: 'team', timeout: 50 }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.message).toMatch(/^timed out after 50ms waiting for configmap\/stuck in namespace team to have condition Ready=True; its last state:\n/);
    expect(err.message).toContain('data:\n  phase: waiting\n');
    expect(err.message).not.toContain('managedFields');
    expect(err.lastState?.metadata?.name).toBe('stuck');

    const never = (await cluster.waitFor('deploy/nothing', (d) => d.metadata?.name === 'x', { timeout: 20 }).catch((e: unknown) => e)) as Error;
    expect(never.message).toMatch(/^timed out after 20ms waiting for deployment\.apps\/nothing in namespace default to satisfy \(d\) => .*; it did not exist$/);

    await expect(cluster.waitFor('gizmo/x', 'exists')).rejects.toThrow('the server doesn\'t have a resource type "gizmo"');
  });

  it('moves only when told: clock.advance lives through every timer on the way', async () => {
    const t0 = cluster.clock.now().getTime();
    await cluster.apply({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick' },
      spec: { schedule: '*/5 * * * *', successfulJobsHistoryLimit: 20, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    });
    const now = await cluster.clock.advance('1h');
    expect(now.getTime() - t0).toBe(3_600_000);
    const jobs = await cluster.client.list({ group: 'batch', version: 'v1', resource: 'jobs', namespaced: true }, { namespace: 'default', labelSelector: '' });
    expect(jobs.items.filter((j) => j.metadata?.ownerReferences?.[0]?.name === 'tick')).toHaveLength(12);
    await expect(cluster.clock.advance('soon')).rejects.toThrow('give a duration such as 90s');
  });
});

describe('clusters share nothing', () => {
  it('starts several at once, each with its own objects, port and kubeconfig', async () => {
    const [a, b] = await Promise.all([startCluster({ controllers: 'none' }), startCluster({ controllers: 'none' })]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.kubeconfigPath).not.toBe(b.kubeconfigPath);
      await a.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: only-in-a\n');
      await expect(a.waitFor('cm/only-in-a', 'exists')).resolves.toBeDefined();
      await expect(b.waitFor('cm/only-in-a', 'exists', { timeout: 30 })).rejects.toThrow('it did not exist');
      // The real clock cannot be moved by hand.
      await expect(a.clock.advance('1m')).rejects.toThrow('runs on the real clock');
      expect(a.clock.virtual).toBe(false);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    await expect(a.clock.advance('1m')).rejects.toThrow(`the cluster at ${a.url} has been stopped`);
    await expect(b.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n')).rejects.toThrow('has been stopped');
  });

  it('refuses to start with a manifest it cannot apply, and leaves nothing listening', async () => {
    const err = await startCluster({ controllers: 'none', manifests: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n' }).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe(422);
    expect((err as Error).message).toContain('ConfigMap "Not_Valid" is invalid');
  });
});
