// ResourceQuota through kubectl as on a real cluster: `kubectl create quota`, creates beyond it
// refused with kube's quota admission messages (and changing nothing), the resourcequota
// controller keeping status.used current for `kubectl describe quota` and `kubectl get quota`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { api } from './http-client.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const [bin] = kubectlBinaries();
const skip = requireClient(bin !== undefined, 'kubectl');

let cluster: Cluster;
let k: ReturnType<typeof kubectl>;

beforeAll(async () => {
  // The resourcequota controller alone: pods stay Pending, so they keep counting.
  cluster = await startCluster({ controllers: ['resourcequota'] });
  if (bin) k = kubectl(bin, cluster.kubeconfigPath);
});
afterAll(async () => cluster?.stop());

const limitsOverride = (name: string, cpu: string, memory: string) =>
  `--overrides=${JSON.stringify({ spec: { containers: [{ name, image: 'busybox', resources: { limits: { cpu, memory } } }] } })}`;

async function ok(args: string[]): Promise<string> {
  const res = await k(args);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return res.stdout;
}

/** `kubectl describe quota q` once it shows every line wanted (the controller counts asynchronously). */
async function describeUntil(ns: string, ...want: string[]): Promise<string> {
  let out = '';
  for (let i = 0; i < 200; i++) {
    out = await ok(['describe', 'quota', 'q', '-n', ns]);
    if (want.every((w) => out.includes(w))) return out;
    await new Promise((r) => setTimeout(r, 25));
  }
  for (const w of want) expect(out).toContain(w);
  return out;
}

describe.skipIf(Boolean(skip))('kubectl and ResourceQuota', () => {
  it('refuses object counts beyond the quota with kube\'s message, and describe shows used/hard', async () => {
    await ok(['create', 'namespace', 'counts']);
    expect(await ok(['create', 'quota', 'q', '-n', 'counts', '--hard=count/configmaps=2,secrets=1,count/deployments.apps=1'])).toBe('resourcequota/q created\n');
    await ok(['create', 'configmap', 'a', '-n', 'counts']);
    await ok(['create', 'configmap', 'b', '-n', 'counts']);
    const before = await api(cluster.url).get('/api/v1/namespaces/counts/configmaps');
    const refused = await k(['create', 'configmap', 'c', '-n', 'counts']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: failed to create configmap: configmaps "c" is forbidden: exceeded quota: q, requested: count/configmaps=1, used: count/configmaps=2, limited: count/configmaps=2\n',
    );
    // The refused create changed nothing: the same objects at the same resourceVersions (the
    // list's own resourceVersion is the cluster's, which the quota controller's writes move).
    const after = await api(cluster.url).get('/api/v1/namespaces/counts/configmaps');
    const versions = (list: { items: { metadata: { name: string; resourceVersion: string } }[] }) => list.items.map((i) => `${i.metadata.name}@${i.metadata.resourceVersion}`);
    expect(versions(after.body)).toEqual(versions(before.body));
    expect(versions(after.body).map((v) => v.split('@')[0])).toEqual(['a', 'b']);

    await ok(['create', 'deployment', 'web', '-n', 'counts', '--image=nginx']);
    const second = await k(['create', 'deployment', 'api', '-n', 'counts', '--image=nginx']);
    expect(second.stderr).toBe(
      'error: failed to create deployment: deployments.apps "api" is forbidden: exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1\n',
    );
    const described = await describeUntil('counts', 'count/configmaps        2     2', 'count/deployments.apps  1     1');
    expect(described).toContain('secrets                 0     1');
    // Deleting frees the room again.
    await ok(['delete', 'configmap', 'a', '-n', 'counts']);
    await describeUntil('counts', 'count/configmaps        1     2');
    await ok(['create', 'configmap', 'c', '-n', 'counts']);
  });

  it('counts pods and their cpu and memory limits, and requires containers to state them', async () => {
    await ok(['create', 'namespace', 'compute']);
    await ok(['create', 'quota', 'q', '-n', 'compute', '--hard=pods=2,limits.cpu=1,limits.memory=1Gi']);
    await ok(['run', 'p1', '-n', 'compute', '--image=busybox', '--restart=Never', limitsOverride('p1', '500m', '512Mi')]);
    const bare = await k(['run', 'p2', '-n', 'compute', '--image=busybox', '--restart=Never']);
    expect(bare.stderr).toBe('Error from server (Forbidden): pods "p2" is forbidden: failed quota: q: must specify limits.cpu,limits.memory\n');
    const big = await k(['run', 'p3', '-n', 'compute', '--image=busybox', '--restart=Never', limitsOverride('p3', '600m', '100Mi')]);
    expect(big.stderr).toBe('Error from server (Forbidden): pods "p3" is forbidden: exceeded quota: q, requested: limits.cpu=600m, used: limits.cpu=500m, limited: limits.cpu=1\n');
    await ok(['run', 'p4', '-n', 'compute', '--image=busybox', '--restart=Never', limitsOverride('p4', '500m', '512Mi')]);
    const third = await k(['run', 'p5', '-n', 'compute', '--image=busybox', '--restart=Never', limitsOverride('p5', '1m', '1Mi')]);
    expect(third.stderr).toBe(
      'Error from server (Forbidden): pods "p5" is forbidden: exceeded quota: q, requested: limits.cpu=1m,limits.memory=1Mi,pods=1, used: limits.cpu=1,limits.memory=1Gi,pods=2, limited: limits.cpu=1,limits.memory=1Gi,pods=2\n',
    );
    await describeUntil('compute', 'pods           2     2', 'limits.cpu     1     1', 'limits.memory  1Gi   1Gi');
    const table = await ok(['get', 'quota', '-n', 'compute']);
    expect(table).toMatch(/^NAME\s+AGE\s+REQUEST\s+LIMIT\nq\s+\S+\s+pods: 2\/2\s+limits\.cpu: 1\/1, limits\.memory: 1Gi\/1Gi\n$/);
  });
});
