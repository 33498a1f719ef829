// kubectl delete --cascade=foreground|orphan|background against kubesim with no controllers:
// kubectl sends the policy in a DeleteOptions body, and with no garbage collector running, an
// owner deleted in the foreground or orphaning stays, marked (deletionTimestamp) and held by
// its finalizer, where `kubectl get` shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const [bin] = kubectlBinaries();
const skip = requireClient(bin !== undefined, 'kubectl');

describe.skipIf(Boolean(skip))('kubectl delete --cascade', () => {
  let cluster: Cluster;
  let k: ReturnType<typeof kubectl>;
  beforeAll(async () => {
    cluster = await startCluster({ controllers: 'none' });
    k = kubectl(bin!, cluster.kubeconfigPath);
  });
  afterAll(async () => cluster?.stop());

  const meta = async (kind: string, name: string) => {
    const got = await k(['get', kind, name, '-o', 'json']);
    expect(got.code, got.stderr).toBe(0);
    return JSON.parse(got.stdout).metadata as { finalizers?: string[]; deletionTimestamp?: string; deletionGracePeriodSeconds?: number };
  };

  it('foreground: the Deployment stays with foregroundDeletion until something removes it', async () => {
    expect((await k(['create', 'deployment', 'fg', '--image=nginx'])).code).toBe(0);
    // --wait=false: kubectl would otherwise wait for an object only a garbage collector releases.
    const del = await k(['delete', 'deployment', 'fg', '--cascade=foreground', '--wait=false']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toContain('deployment.apps "fg" deleted');
    const m = await meta('deployment', 'fg');
    expect(m.finalizers).toEqual(['foregroundDeletion']);
    expect(m.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(m.deletionGracePeriodSeconds).toBe(0);
  });

  it('orphan: the finalizer is orphan, and a second delete switches an owner being deleted', async () => {
    expect((await k(['create', 'deployment', 'or', '--image=nginx'])).code).toBe(0);
    expect((await k(['delete', 'deployment', 'or', '--cascade=orphan', '--wait=false'])).code).toBe(0);
    const first = await meta('deployment', 'or');
    expect(first.finalizers).toEqual(['orphan']);
    expect((await k(['delete', 'deployment', 'or', '--cascade=foreground', '--wait=false'])).code).toBe(0);
    const second = await meta('deployment', 'or');
    expect(second.finalizers).toEqual(['foregroundDeletion']);
    expect(second.deletionTimestamp).toBe(first.deletionTimestamp);
  });

  it('background (kubectl\'s default) deletes a Job at once, without the orphaning warning', async () => {
    expect((await k(['create', 'job', 'bg', '--image=busybox'])).code).toBe(0);
    const del = await k(['delete', 'job', 'bg']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stderr).not.toContain('child pods are preserved');
    const got = await k(['get', 'job', 'bg']);
    expect(got.stderr).toContain('NotFound');
    expect((await k(['create', 'job', 'bg2', '--image=busybox'])).code).toBe(0);
    expect((await k(['delete', 'job', 'bg2', '--cascade=background'])).code).toBe(0);
    expect((await k(['get', 'job', 'bg2'])).code).not.toBe(0);
  });

  it('a Job deleted through the API with no policy is orphaned, and kubectl shows the warning kube-apiserver sends', async () => {
    expect((await k(['create', 'job', 'raw', '--image=busybox'])).code).toBe(0);
    const raw = await k(['delete', '--raw', '/apis/batch/v1/namespaces/default/jobs/raw']);
    expect(raw.code, raw.stderr).toBe(0);
    expect(raw.stderr).toContain('Warning: child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning');
    expect((await meta('job', 'raw')).finalizers).toEqual(['orphan']);
  });
});
