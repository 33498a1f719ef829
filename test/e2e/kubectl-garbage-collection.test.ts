// Garbage collection as kubectl users see it on `npx kubesim` (every controller, real clock):
// `kubectl delete --cascade=background|foreground|orphan` over chains of owners, watched step
// by step; a dangling ownerReference collected; CronTabs and Deployments taking what they
// own with them; a namespace emptied (ConfigMaps, a Job with pods, custom resources) and removed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { waitFor } from './controller-harness.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const [bin] = kubectlBinaries();
const skip = requireClient(Boolean(bin), 'kubectl');

type Obj = Record<string, any>;

describe.skipIf(Boolean(skip))('kubectl delete, the garbage collector and namespaces', () => {
  let cluster: Cluster;
  let k: ReturnType<typeof kubectl>;
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-kubectl-deletion-'));
  let n = 0;
  const apply = async (docs: Obj[]) => {
    const p = join(dir, `m${++n}.json`);
    writeFileSync(p, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
    const r = await k(['apply', '-f', p]);
    expect(r.code, r.stderr).toBe(0);
  };
  const getJSON = async (args: string[]): Promise<Obj | undefined> => {
    const r = await k(['get', ...args, '-o', 'json']);
    return r.code === 0 ? (JSON.parse(r.stdout) as Obj) : undefined;
  };
  const gone = async (args: string[]) => (await k(['get', ...args])).stderr.includes('NotFound');

  const poll = <T>(what: string, check: () => Promise<T | undefined | false>, ms = 20_000) => waitFor(what, check, ms, 50);

  /** A ConfigMap, owned by the given ConfigMaps (their uids read from the cluster). */
  async function cm(name: string, owners: string[] = [], extra: Obj = {}): Promise<Obj> {
    const ownerReferences = [];
    for (const o of owners) {
      const owner = (await getJSON(['cm', o]))!;
      ownerReferences.push({ apiVersion: 'v1', kind: 'ConfigMap', name: o, uid: owner.metadata.uid, blockOwnerDeletion: true });
    }
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(ownerReferences.length ? { ownerReferences } : {}), ...extra }, data: { name } };
  }

  beforeAll(async () => {
    cluster = await startCluster();
    k = kubectl(bin!, cluster.kubeconfigPath);
  });
  afterAll(async () => cluster?.stop());

  it('--cascade=background deletes the owner at once and its dependents after it, down the chain', async () => {
    await apply([await cm('bg-a')]);
    await apply([await cm('bg-b', ['bg-a'])]);
    await apply([await cm('bg-c', ['bg-b'])]);
    const del = await k(['delete', 'cm', 'bg-a', '--cascade=background']);
    expect(del.stdout, del.stderr).toContain('configmap "bg-a" deleted');
    await poll('bg-b and bg-c collected', async () => (await gone(['cm', 'bg-b'])) && (await gone(['cm', 'bg-c'])));
  });

  it('--cascade=foreground keeps the owner, marked, until its blocking dependents are gone', async () => {
    await apply([await cm('fg-a')]);
    await apply([await cm('fg-b', ['fg-a'])]);
    await apply([await cm('fg-c', ['fg-b'], { finalizers: ['example.com/hold'] })]);
    const del = await k(['delete', 'cm', 'fg-a', '--cascade=foreground', '--wait=false']);
    expect(del.code, del.stderr).toBe(0);

    // The chain is marked from the top: each owner waits on its blocking dependents.
    const a = (await getJSON(['cm', 'fg-a']))!;
    expect(a.metadata.deletionTimestamp).toBeDefined();
    expect(a.metadata.finalizers).toContain('foregroundDeletion');
    const c = await poll('fg-c marked for deletion', async () => {
      const got = await getJSON(['cm', 'fg-c']);
      return got?.metadata.deletionTimestamp ? got : undefined;
    });
    expect(c.metadata.finalizers).toEqual(['example.com/hold']);
    const b = (await getJSON(['cm', 'fg-b']))!;
    expect(b.metadata.deletionTimestamp).toBeDefined();
    expect(b.metadata.finalizers).toContain('foregroundDeletion');
    await new Promise((r) => setTimeout(r, 300));
    expect(await getJSON(['cm', 'fg-a'])).toBeDefined(); // still held

    const release = await k(['patch', 'cm', 'fg-c', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    expect(release.code, release.stderr).toBe(0);
    await poll('the whole chain gone', async () => (await gone(['cm', 'fg-c'])) && (await gone(['cm', 'fg-b'])) && (await gone(['cm', 'fg-a'])));
  });

  it('--cascade=orphan deletes the owner and leaves its dependents without the reference', async () => {
    await apply([await cm('or-a')]);
    await apply([await cm('or-b', ['or-a']), await cm('or-c', ['or-a'])]);
    const del = await k(['delete', 'cm', 'or-a', '--cascade=orphan']);
    expect(del.stdout, del.stderr).toContain('configmap "or-a" deleted');
    expect(await gone(['cm', 'or-a'])).toBe(true);
    for (const name of ['or-b', 'or-c']) {
      const dep = await poll(`${name} orphaned`, async () => {
        const got = await getJSON(['cm', name]);
        return got && !got.metadata.ownerReferences ? got : undefined;
      });
      expect(dep.metadata.deletionTimestamp).toBeUndefined();
    }
  });

  it('collects a dependent whose owner does not exist', async () => {
    const dangling = await cm('dangling');
    dangling.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never-was', uid: '6f1a2b3c-0000-4000-8000-000000000001' }];
    await apply([dangling]);
    await poll('the dangling ConfigMap collected', () => gone(['cm', 'dangling']));
  });

  it('deleting a CronTab removes its Job and the Job pods; deleting a Deployment its ReplicaSets and pods', async () => {
    await apply([
      { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'tick' }, spec: { cronSpec: '*/5 * * * *', image: 'nginx', replicas: 2 } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
      },
    ]);
    await poll('two running pods of the CronTab Job', async () => (await getJSON(['pods', '-l', 'job-name=tick']))?.items.filter((p: Obj) => p.status.phase === 'Running').length === 2);
    await poll('two pods of the Deployment', async () => (await getJSON(['pods', '-l', 'app=web']))?.items.length === 2);

    expect((await k(['delete', 'crontab', 'tick'])).code).toBe(0);
    expect((await k(['delete', 'deployment', 'web'])).code).toBe(0);
    await poll('the Job and its pods gone', async () => (await gone(['job', 'tick'])) && (await getJSON(['pods', '-l', 'job-name=tick']))?.items.length === 0);
    await poll('the ReplicaSets and pods gone', async () => (await getJSON(['rs', '-l', 'app=web']))?.items.length === 0 && (await getJSON(['pods', '-l', 'app=web']))?.items.length === 0);
  });

  it('empties a namespace (ConfigMaps, a Job with pods, custom resources) and removes it', async () => {
    expect((await k(['create', 'namespace', 'doomed'])).code).toBe(0);
    const inNs = (o: Obj) => ({ ...o, metadata: { ...o.metadata, namespace: 'doomed' } });
    await apply([
      inNs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' }, data: { a: '1' } }),
      inNs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' }, data: { b: '2' } }),
      inNs({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'sleeper' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] } } } }),
      inNs({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'cron' }, spec: { cronSpec: '* * * * *', image: 'busybox' } }),
    ]);
    await poll('the Job pod running', async () => (await getJSON(['pods', '-n', 'doomed', '-l', 'job-name=sleeper']))?.items.some((p: Obj) => p.status.phase === 'Running'));

    const del = await k(['delete', 'namespace', 'doomed', '--wait=false']);
    expect(del.stdout, del.stderr).toContain('namespace "doomed" deleted');
    // Nothing new gets in while it empties (or it is already gone).
    const created = await k(['create', 'configmap', 'late', '-n', 'doomed']);
    expect(created.code).not.toBe(0);
    expect(created.stderr).toMatch(/because it is being terminated|namespaces "doomed" not found/);
    const wait = await k(['wait', '--for=delete', 'namespace/doomed', '--timeout=30s'], 40_000);
    expect(wait.code, wait.stderr).toBe(0);
    expect(await gone(['namespace', 'doomed'])).toBe(true);
  });

  it('removes a namespace deleted with --cascade=orphan once the collector has released it', async () => {
    expect((await k(['create', 'namespace', 'released'])).code).toBe(0);
    const del = await k(['delete', 'namespace', 'released', '--cascade=orphan', '--wait=false']);
    expect(del.code, del.stderr).toBe(0);
    // It carries the orphan finalizer (namespace-lifecycle.test.ts) until the collector lets go.
    const wait = await k(['wait', '--for=delete', 'namespace/released', '--timeout=30s'], 40_000);
    expect(wait.code, wait.stderr).toBe(0);
  });
});
