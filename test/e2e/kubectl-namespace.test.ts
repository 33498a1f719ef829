// `kubectl delete namespace` against kubesim with every controller on a virtual clock: kubectl
// waits until the namespace is gone; meanwhile `kubectl get ns` shows it Terminating and
// creating into it is Forbidden with kube's message; default may not be deleted at all.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const [bin] = kubectlBinaries();
const skip = requireClient(bin !== undefined, 'kubectl');

describe.skipIf(Boolean(skip))('kubectl and namespace termination', () => {
  let cluster: Cluster;
  let k: ReturnType<typeof kubectl>;

  beforeAll(async () => {
    cluster = await startCluster({ clock: 'virtual' });
    k = kubectl(bin!, cluster.kubeconfigPath);
  });
  afterAll(async () => cluster?.stop());

  it('refuses to delete default', async () => {
    const res = await k(['delete', 'namespace', 'default']);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
  });

  it('deletes a namespace and its content, waiting until it is gone', async () => {
    expect((await k(['create', 'namespace', 'demo'])).stdout).toBe('namespace/demo created\n');
    expect((await k(['create', 'configmap', 'settings', '-n', 'demo', '--from-literal=a=1'])).code).toBe(0);
    expect((await k(['run', 'web', '-n', 'demo', '--image=nginx'])).code).toBe(0);

    let finished = false;
    const deleting = k(['delete', 'namespace', 'demo'], 60_000).finally(() => (finished = true));
    let row = '';
    for (let i = 0; i < 100 && !row.includes('Terminating'); i++) {
      row = (await k(['get', 'namespace', 'demo', '--no-headers'])).stdout;
    }
    expect(row).toMatch(/^demo\s+Terminating\s+\S+\n$/);
    const late = await k(['create', 'configmap', 'late', '-n', 'demo']);
    expect(late.stderr.trim()).toBe('error: failed to create configmap: configmaps "late" is forbidden: unable to create new content in namespace demo because it is being terminated');

    // Cluster time moves only when told: the namespace waits 5s, then for the pod's grace period.
    for (let s = 0; s < 60 && !finished; s++) {
      await cluster.clock.advance(1000);
      await new Promise((r) => setTimeout(r, 50));
    }
    const res = await deleting;
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('namespace "demo" deleted\n');
    const after = await k(['get', 'namespace', 'demo']);
    expect(after.stderr.trim()).toBe('Error from server (NotFound): namespaces "demo" not found');
    expect((await k(['get', 'configmaps,pods', '-n', 'demo', '-o', 'name'])).stdout).toBe('');
  });

  it('describes a terminating namespace, and lets the finalize subresource force it out (kubectl replace --raw)', async () => {
    await k(['create', 'namespace', 'stuck']);
    const del = await k(['delete', 'namespace', 'stuck', '--wait=false']);
    expect(del.stdout).toBe('namespace "stuck" deleted\n');
    const described = await k(['describe', 'namespace', 'stuck']);
    expect(described.stdout).toMatch(/^Status:\s+Terminating$/m);

    // The well-known recipe for a namespace stuck Terminating: PUT it back without spec.finalizers.
    const ns = JSON.parse((await k(['get', 'namespace', 'stuck', '-o', 'json'])).stdout);
    const file = join(mkdtempSync(join(tmpdir(), 'kubesim-ns-')), 'stuck.json');
    writeFileSync(file, JSON.stringify({ ...ns, spec: { finalizers: [] } }));
    const replaced = await k(['replace', '--raw', '/api/v1/namespaces/stuck/finalize', '-f', file]);
    expect(replaced.code, replaced.stderr).toBe(0);
    // The answer is the namespace as storage last held it, as an update that deletes returns it.
    expect(JSON.parse(replaced.stdout)).toMatchObject({ kind: 'Namespace', metadata: { name: 'stuck' } });
    expect((await k(['get', 'namespace', 'stuck'])).stderr.trim()).toBe('Error from server (NotFound): namespaces "stuck" not found');
  });
});
