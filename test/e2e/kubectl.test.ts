// Every kubectl on this machine (kubectl and kubectl.1.27 .. 1.33) against kubesim.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const binaries = kubectlBinaries();
const skip = requireClient(binaries.length > 1, 'kubectl (with kubectl.1.27 .. kubectl.1.33 beside it)');

function configMapYAML(data: Record<string, string>): string {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`);
  return ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app-config', '  namespace: e2e', 'data:', ...lines, ''].join('\n');
}

describe.skipIf(Boolean(skip)).each(binaries)('$name against kubesim', (bin) => {
  let cluster: Cluster;
  let k: ReturnType<typeof kubectl>;
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-e2e-'));

  beforeAll(async () => {
    cluster = await startCluster({ controllers: 'none' }); // the READY column stays 0/2
    k = kubectl(bin, cluster.kubeconfigPath);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('version and api-resources', async () => {
    const v = await k(['version', '-o', 'json']);
    expect(v.stderr).not.toMatch(/error/i);
    expect(JSON.parse(v.stdout).serverVersion.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    const r = await k(['api-resources']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(r.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(r.stdout).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
  });

  it('create ns, apply a ConfigMap twice, get -o yaml with the last-applied annotation', async () => {
    expect((await k(['create', 'ns', 'e2e'])).stdout).toContain('namespace/e2e created');
    const file = join(dir, 'cm.yaml');
    writeFileSync(file, configMapYAML({ color: 'blue' }));
    const first = await k(['apply', '-f', file]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('configmap/app-config created');
    writeFileSync(file, configMapYAML({ color: 'green', size: 'L' }));
    const second = await k(['apply', '-f', file]);
    expect(second.stderr).toBe('');
    expect(second.stdout).toContain('configmap/app-config configured');
    const y = await k(['get', 'cm', 'app-config', '-n', 'e2e', '-o', 'yaml']);
    expect(y.code, y.stderr).toBe(0);
    expect(y.stdout).toContain('kubectl.kubernetes.io/last-applied-configuration');
    expect(y.stdout).toMatch(/color: green/);
    expect(y.stdout).toMatch(/size: L/);
  });

  it('create deployment and get it with its READY column; get all', async () => {
    const c = await k(['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '-n', 'e2e']);
    expect(c.stdout, c.stderr).toContain('deployment.apps/web created');
    const g = await k(['get', 'deploy', '-n', 'e2e']);
    expect(g.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    expect(g.stdout).toMatch(/^web\s+0\/2\s+0\s+0\s+\d+s$/m);
    const all = await k(['get', 'all', '-n', 'e2e']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('deployment.apps/web');
  });

  it('label, get -l, get --field-selector', async () => {
    expect((await k(['label', 'cm', 'app-config', 'tier=backend', '-n', 'e2e'])).stdout).toContain('configmap/app-config labeled');
    const l = await k(['get', 'cm', '-l', 'tier=backend', '-n', 'e2e', '-o', 'name']);
    expect(l.stdout.trim()).toBe('configmap/app-config');
    const none = await k(['get', 'cm', '-l', 'tier=frontend', '-n', 'e2e', '-o', 'name']);
    expect(none.stdout.trim()).toBe('');
    const f = await k(['get', 'cm', '--field-selector', 'metadata.name=app-config', '-n', 'e2e', '-o', 'name']);
    expect(f.stdout.trim()).toBe('configmap/app-config');
    const bad = await k(['get', 'cm', '--field-selector', 'spec.nope=x', '-n', 'e2e']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('field label not supported: spec.nope');
  });

  it('get -w --output-watch-events streams events', async () => {
    const child = spawn(bin.path, ['get', 'cm', '-n', 'e2e', '-w', '--output-watch-events'], {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath, HOME: mkdtempSync(join(tmpdir(), 'kubesim-home-')) },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 200 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 25));
      return re.test(out);
    };
    try {
      expect(await waitFor(/ADDED\s+app-config/)).toBe(true);
      await k(['create', 'cm', 'watched', '--from-literal=a=b', '-n', 'e2e']);
      expect(await waitFor(/ADDED\s+watched/)).toBe(true);
      await k(['delete', 'cm', 'watched', '-n', 'e2e']);
      expect(await waitFor(/DELETED\s+watched/)).toBe(true);
    } finally {
      child.kill();
    }
  });

  it('kubectl create for the kinds it generates (protobuf bodies from kubectl 1.32 on)', async () => {
    const cases: [string[], string][] = [
      [['create', 'configmap', 'lit', '--from-literal=a=b'], 'configmap/lit created'],
      [['create', 'secret', 'generic', 'sec', '--from-literal=password=s3cr3t'], 'secret/sec created'],
      [['create', 'service', 'clusterip', 'svc', '--tcp=80:8080'], 'service/svc created'],
      [['create', 'serviceaccount', 'robot'], 'serviceaccount/robot created'],
      [['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi'], 'job.batch/once created'],
      [['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *'], 'cronjob.batch/tick created'],
    ];
    for (const [args, want] of cases) {
      const res = await k(['-n', 'e2e', ...args]);
      expect(res.stdout, `${args.join(' ')}: ${res.stderr}`).toContain(want);
    }
    const secret = JSON.parse((await k(['get', 'secret', 'sec', '-n', 'e2e', '-o', 'json'])).stdout);
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('s3cr3t');
    const job = JSON.parse((await k(['get', 'job', 'once', '-n', 'e2e', '-o', 'json'])).stdout);
    expect(job.spec.template.spec.containers[0].command).toEqual(['echo', 'hi']);
    expect(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(job.metadata.uid);
    const svc = JSON.parse((await k(['get', 'svc', 'svc', '-n', 'e2e', '-o', 'json'])).stdout);
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, protocol: 'TCP' });
  });

  it('explain pod.spec.containers', async () => {
    const e = await k(['explain', 'pod.spec.containers']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/FIELD:\s+containers/);
    expect(e.stdout).toMatch(/image\s+<string>/);
    expect(e.stdout).toMatch(/DESCRIPTION:/);
  });

  it('delete', async () => {
    expect((await k(['delete', 'cm', 'app-config', '-n', 'e2e'])).stdout).toContain('configmap "app-config" deleted');
    const g = await k(['get', 'cm', 'app-config', '-n', 'e2e']);
    expect(g.code).not.toBe(0);
    expect(g.stderr).toContain('configmaps "app-config" not found');
  });
});
