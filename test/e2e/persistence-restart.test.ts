// --data-dir across a restart, judged by real clients: kubectl sees the same objects, uids and
// resourceVersions, new writes continue upward, a CRD comes back serving its custom resources,
// controllers resume without duplicating a Deployment's pods, a namespace being deleted goes on
// being deleted, and a watch from before the restart is told to relist (410) — which makes a
// client-node informer list again and see what changed, instead of being fed a gap.
import * as k8s from '@kubernetes/client-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster, type ClusterOptions } from '../../src/index.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const bin = kubectlBinaries()[0];
const skip = requireClient(bin !== undefined, 'kubectl');
const work = mkdtempSync(join(tmpdir(), 'kubesim-persist-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 3 } } } } } },
      },
    ],
  },
};

/** A cluster on `dataDir`, on the same port and kubeconfig each time, as a restarted `kubesim serve`. */
function restartable(name: string, extra: ClusterOptions = {}) {
  const dataDir = join(work, name);
  const kubeconfigPath = join(work, `${name}.kubeconfig`);
  let port = 0;
  return async (): Promise<Cluster> => {
    const c = await startCluster({ dataDir, kubeconfigPath, port, ...extra });
    port = c.port;
    return c;
  };
}

describe.skipIf(Boolean(skip))('kubectl across a restart with --data-dir', () => {
  const start = restartable('kubectl');
  let cluster: Cluster;
  afterAll(async () => cluster?.stop());
  const k = () => kubectl(bin!, cluster.kubeconfigPath);
  const json = async (args: string[]) => {
    const r = await k()([...args, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  const before: Record<string, unknown> = {};

  it('keeps objects, uids and resourceVersions; new writes continue upward', async () => {
    cluster = await start();
    const file = join(work, 'objects.yaml');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [WIDGET_CRD] }));
    expect((await k()(['apply', '-f', file])).code).toBe(0);
    expect((await k()(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s'])).code).toBe(0);
    writeFileSync(file, JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: {} }));
    expect((await k()(['apply', '-f', file])).stderr).toBe('');
    expect((await k()(['create', 'configmap', 'kept', '--from-literal=lesson=one'])).code).toBe(0);
    expect((await k()(['create', 'configmap', 'gone', '--from-literal=x=y'])).code).toBe(0);
    expect((await k()(['delete', 'configmap', 'gone'])).code).toBe(0);
    expect((await k()(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2'])).code).toBe(0);
    expect((await k()(['rollout', 'status', 'deployment/web', '--timeout=30s'])).code).toBe(0);
    // A namespace held by a finalizer on one of its objects stays Terminating.
    expect((await k()(['create', 'namespace', 'leaving'])).code).toBe(0);
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: 'leaving', finalizers: ['example.com/hold'] } }));
    expect((await k()(['apply', '-f', file])).code).toBe(0);
    expect((await k()(['delete', 'namespace', 'leaving', '--wait=false'])).code).toBe(0);
    await cluster.waitFor({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: 'leaving' } }, (o) => Boolean(o.metadata.deletionTimestamp));

    before.kept = (await json(['get', 'configmap', 'kept'])).metadata;
    before.widget = await json(['get', 'widget', 'w1']);
    before.pods = (await json(['get', 'pods', '-l', 'app=web'])).items.map((p: k8s.V1Pod) => p.metadata!.name).sort();
    before.listRV = Number((await json(['get', 'configmaps', '-A'])).metadata.resourceVersion);
    await cluster.stop();

    cluster = await start();
    const kept = (await json(['get', 'configmap', 'kept'])).metadata;
    expect(kept).toEqual(before.kept);
    expect((await k()(['get', 'configmap', 'gone'])).stderr).toContain('configmaps "gone" not found');
    const next = await k()(['create', 'configmap', 'after', '--from-literal=x=y', '-o', 'jsonpath={.metadata.resourceVersion}']);
    expect(Number(next.stdout)).toBeGreaterThan(before.listRV as number);
  });

  it('serves the CRD and its custom resources again', async () => {
    expect(await json(['get', 'widget', 'w1'])).toEqual(before.widget);
    expect((before.widget as { spec: { size: number } }).spec.size).toBe(3);
  });

  it('resumes the controllers: a Deployment keeps its pods and scales from them', async () => {
    expect((await k()(['scale', 'deployment/web', '--replicas=3'])).code).toBe(0);
    expect((await k()(['rollout', 'status', 'deployment/web', '--timeout=30s'])).code).toBe(0);
    const pods = (await json(['get', 'pods', '-l', 'app=web'])).items.map((p: k8s.V1Pod) => p.metadata!.name);
    expect(pods).toHaveLength(3);
    for (const name of before.pods as string[]) expect(pods).toContain(name);
  });

  it('goes on deleting a namespace that was being deleted', async () => {
    expect((await k()(['get', 'namespace', 'leaving', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Terminating');
    expect((await k()(['patch', 'configmap', 'held', '-n', 'leaving', '--type=merge', '-p', '{"metadata":{"finalizers":null}}'])).code).toBe(0);
    const gone = await k()(['wait', '--for=delete', 'namespace/leaving', '--timeout=30s']);
    expect(gone.code, gone.stderr).toBe(0);
  });

  it('answers a watch from before the restart with 410 Expired', async () => {
    const oldRV = (before.kept as { resourceVersion: string }).resourceVersion;
    const w = await k()(['get', '--raw', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${oldRV}`, '--request-timeout=10s']);
    const event = JSON.parse(w.stdout.trim().split('\n')[0]!);
    expect(event).toMatchObject({ type: 'ERROR', object: { kind: 'Status', reason: 'Expired', code: 410 } });
    expect(event.object.message).toMatch(new RegExp(`^too old resource version: ${oldRV} \\(\\d+\\)$`));
  });
});

describe('a client-node informer across a restart', () => {
  const start = restartable('informer', { controllers: 'none' });
  let cluster: Cluster | undefined;
  afterAll(async () => cluster?.stop());

  it('relists after the 410 and sees what changed while it was away', async () => {
    cluster = await start();
    const kc = new k8s.KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'inf' } } });
    for (const name of ['a', 'b']) await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name } } });
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/inf/configmaps', () => core.listNamespacedConfigMap({ namespace: 'inf' }));
    const deleted: string[] = [];
    informer.on('delete', (o) => deleted.push(o.metadata!.name!));
    const cached = () => informer.list().map((o) => o.metadata!.name).sort();
    await informer.start();
    await until(() => cached().join() === 'a,b');
    await informer.stop();

    // While the informer is away: a change, then a restart.
    await core.deleteNamespacedConfigMap({ namespace: 'inf', name: 'b' });
    await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'c' } } });
    await cluster.stop();
    cluster = await start();

    // It resumes from its old resourceVersion; the server says 410 and it lists again.
    await informer.start();
    await until(() => cached().join() === 'a,c');
    expect(deleted).toEqual(['b']);
    await informer.stop();
  });
});

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
