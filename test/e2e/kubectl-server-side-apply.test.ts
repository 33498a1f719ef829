// Server-side apply with real kubectl: `apply --server-side` creates and updates, a field
// dropped from the manifest disappears, a field another manager owns is a 409 naming the field
// and the manager, `--force-conflicts` takes it over, and `get --show-managed-fields` shows who
// owns what.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const all = kubectlBinaries();
const skip = requireClient(all.length > 0, 'kubectl');

const deployment = (replicas: number | undefined, image: string, extraLabel = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web${extraLabel ? `\n    extra: "${extraLabel}"` : ''}
spec:${replicas === undefined ? '' : `\n  replicas: ${replicas}`}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${image}
`;

describe.skipIf(Boolean(skip))('kubectl apply --server-side', () => {
  let cluster: Cluster;
  let k: ReturnType<typeof kubectl>;
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-ssa-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const getDeployment = async () => {
    const r = await k(['get', 'deployment', 'web', '-o', 'json', '--show-managed-fields']);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as { metadata: { labels: Record<string, string>; managedFields: { manager: string; operation: string; fieldsV1: Record<string, unknown> }[] }; spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
  };

  beforeAll(async () => {
    cluster = await startCluster({ controllers: 'none' });
    k = kubectl(all[0]!, cluster.kubeconfigPath);
  });
  afterAll(async () => cluster?.stop());

  it('creates, then re-applies a change', async () => {
    const created = await k(['apply', '--server-side', '-f', file('v1.yaml', deployment(2, 'nginx:1', 'yes'))]);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('deployment.apps/web serverside-applied');
    let d = await getDeployment();
    expect(d.spec.replicas).toBe(2);
    const applied = d.metadata.managedFields.find((m) => m.manager === 'kubectl');
    expect(applied).toMatchObject({ operation: 'Apply' });
    expect(applied!.fieldsV1).toMatchObject({ 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } });

    const updated = await k(['apply', '--server-side', '-f', file('v2.yaml', deployment(2, 'nginx:2', 'yes'))]);
    expect(updated.stderr).toBe('');
    d = await getDeployment();
    expect(d.spec.template.spec.containers[0]!.image).toBe('nginx:2');
  });

  it('removes a field the manifest no longer has', async () => {
    const r = await k(['apply', '--server-side', '-f', file('v3.yaml', deployment(2, 'nginx:2'))]);
    expect(r.stderr).toBe('');
    const d = await getDeployment();
    expect(d.metadata.labels).toEqual({ app: 'web' });
  });

  it('answers a conflict with another manager, and --force-conflicts takes the field', async () => {
    const scaled = await k(['patch', 'deployment', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":5}}', '--field-manager', 'scaler']);
    expect(scaled.stderr).toBe('');
    const conflicted = await k(['apply', '--server-side', '-f', file('v4.yaml', deployment(3, 'nginx:2'))]);
    expect(conflicted.code).not.toBe(0);
    expect(conflicted.stderr).toContain('Apply failed with 1 conflict: conflict with "scaler" using apps/v1: .spec.replicas');
    expect((await getDeployment()).spec.replicas).toBe(5);

    const forced = await k(['apply', '--server-side', '--force-conflicts', '-f', file('v4.yaml', deployment(3, 'nginx:2'))]);
    expect(forced.stderr).toBe('');
    const d = await getDeployment();
    expect(d.spec.replicas).toBe(3);
    // The scaler owned only replicas: it has nothing left and its entry is gone.
    expect(d.metadata.managedFields.map((m) => `${m.manager}/${m.operation}`).sort()).toEqual(['kubectl/Apply']);
  });

  it('migrates a client-side-applied object: a key dropped from the manifest then disappears', async () => {
    const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: migrated\ndata:\n${data}`;
    expect((await k(['apply', '-f', file('csa.yaml', cm('  a: "1"\n  b: "2"\n'))])).stderr).toBe('');
    const r = await k(['apply', '--server-side', '-f', file('ssa.yaml', cm('  a: "1"\n'))]);
    expect(r.stderr).toBe('');
    const got = JSON.parse((await k(['get', 'configmap', 'migrated', '-o', 'json', '--show-managed-fields'])).stdout) as { data: Record<string, string>; metadata: { managedFields: { manager: string; operation: string }[] } };
    expect(got.data).toEqual({ a: '1' });
    // kubectl rewrote kubectl-client-side-apply's Update entry into its Apply entries.
    expect(got.metadata.managedFields.map((m) => `${m.manager}/${m.operation}`).sort()).toEqual(['kubectl-last-applied/Apply', 'kubectl/Apply']);
  });

  it('kubectl diff --server-side shows a pending change and exits 1', async () => {
    const r = await k(['diff', '--server-side', '-f', file('diff.yaml', deployment(3, 'nginx:9'))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^-\s+- image: nginx:2$/m);
    expect(r.stdout).toMatch(/^\+\s+- image: nginx:9$/m);
    const same = await k(['diff', '--server-side', '-f', file('same.yaml', deployment(3, 'nginx:2'))]);
    expect(same.code).toBe(0);
  });

  it('server-side dry run changes nothing', async () => {
    const r = await k(['apply', '--server-side', '--dry-run=server', '-f', file('v5.yaml', deployment(4, 'nginx:3'))]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('serverside-applied (server dry run)');
    expect((await getDeployment()).spec.replicas).toBe(3);
  });
});
