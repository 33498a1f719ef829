// The Client interface end to end: one table of cases run against the HTTP client and the
// in-process client, each against its own real startCluster().
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startCluster, type Cluster } from '../../src/cluster.js';
import type { KubeObject } from '../../src/apiserver/object.js';
import { HttpClient } from '../../src/clients/http.js';
import { InProcessClient } from '../../src/clients/in-process.js';
import { ApiError, isAlreadyExists, isConflict, isNotFound, type ResourceRef, type WatchEvent } from '../../src/clients/interfaces.js';
import { loadKubeconfig } from '../../src/clients/kubeconfig-loader.js';
import type { RestClient } from '../../src/clients/rest-client.js';

const CM: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const DEPLOY: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const CRD: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };
const NS = 'default';

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: NS, ...(labels ? { labels } : {}) },
  data,
});

const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: NS },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }, { name: 'side', image: 'busybox:1' }] } },
  },
});

async function eventually<T>(fn: () => Promise<T | undefined>, what: string, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const transports: [string, (c: Cluster) => Promise<RestClient>][] = [
  ['HttpClient', async (c) => new HttpClient(await loadKubeconfig({ path: c.kubeconfigPath }))],
  ['InProcessClient', async (c) => new InProcessClient(c.server)],
];

describe.each(transports)('%s', (_name, makeClient) => {
  let cluster: Cluster;
  let client: RestClient;

  beforeAll(async () => {
    cluster = await startCluster({ watchCacheSize: 5, controllers: 'none' });
    client = await makeClient(cluster);
  });
  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  it('creates a subresource: binds a pod through pods/binding', async () => {
    const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
    await client.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tobind', namespace: NS }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await client.createSubresource(PODS, 'tobind', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'tobind', namespace: NS }, target: { kind: 'Node', name: 'n1' } } as KubeObject);
    const pod = await client.get<KubeObject & { spec: { nodeName?: string } }>(PODS, 'tobind', NS);
    expect(pod.spec.nodeName).toBe('n1');
  });

  it('creates, gets, lists, updates and deletes a ConfigMap', async () => {
    const created = await client.create(CM, cm('crud', { k: 'v' }));
    expect(created.metadata).toMatchObject({ name: 'crud', namespace: NS });
    expect(created.metadata.managedFields?.[0]?.manager).toBe('kubesim-controller');
    const got = await client.get(CM, 'crud', NS);
    expect(got).toEqual(created);
    const list = await client.list(CM, { namespace: NS });
    expect(list.items.map((i) => i.metadata.name)).toContain('crud');
    const updated = await client.update(CM, { ...got, data: { k: 'v2' } });
    expect(updated.data).toEqual({ k: 'v2' });
    // DeleteOptions travel as the DELETE body: a wrong uid precondition is refused.
    await expect(client.delete(CM, 'crud', NS, { preconditions: { uid: 'not-the-uid' } })).rejects.toSatisfy(isConflict);
    await client.delete(CM, 'crud', NS, { propagationPolicy: 'Background', preconditions: { uid: created.metadata.uid } });
    await expect(client.get(CM, 'crud', NS)).rejects.toSatisfy(isNotFound);
  });

  it('answers a stale update with a 409 Conflict ApiError, a duplicate with AlreadyExists', async () => {
    const created = await client.create(CM, cm('conflict', { k: 'v' }));
    await client.update(CM, { ...created, data: { k: 'v2' } });
    const err = await client.update(CM, { ...created, data: { k: 'v3' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 409, reason: 'Conflict' });
    expect((err as ApiError).message).toMatch(/the object has been modified/);
    expect(isConflict(err)).toBe(true);
    await expect(client.create(CM, cm('conflict'))).rejects.toSatisfy(isAlreadyExists);
  });

  // Server-side apply is covered in test/e2e/kubectl-server-side-apply.test.ts; its request shape in test/unit/clients.
  it('patches with merge, json and strategic merge', async () => {
    await client.create(CM, cm('patched', { a: '1' }));
    const merged = await client.patch(CM, 'patched', { data: { b: '2' } }, 'merge', { namespace: NS });
    expect(merged.data).toEqual({ a: '1', b: '2' });
    const json = await client.patch(CM, 'patched', [{ op: 'remove', path: '/data/a' }], 'json', { namespace: NS });
    expect(json.data).toEqual({ b: '2' });

    await client.create(DEPLOY, deployment('smp'));
    // Strategic merge merges the containers list by name instead of replacing it.
    const patch = { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } };
    const smp = await client.patch<KubeObject & { spec: { template: { spec: { containers: { name: string; image: string }[] } } } }>(DEPLOY, 'smp', patch, 'strategic', { namespace: NS });
    expect(smp.spec.template.spec.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['web=nginx:2', 'side=busybox:1']);

    const bad = await client.patch(CM, 'patched', '{not json', 'merge', { namespace: NS }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 400 });
  });

  it('writes a Deployment status with updateStatus and a status patch, leaving spec alone', async () => {
    const created = await client.create(DEPLOY, deployment('status'));
    const status = { observedGeneration: 1, replicas: 2, readyReplicas: 1 };
    const res = await client.updateStatus(DEPLOY, { ...created, spec: { ...(created.spec as object), replicas: 9 }, status });
    expect(res.status).toMatchObject(status);
    expect((res.spec as { replicas: number }).replicas).toBe(2);
    const patched = await client.patch(DEPLOY, 'status', { status: { readyReplicas: 2 } }, 'merge', { namespace: NS, subresource: 'status' });
    expect(patched.status).toMatchObject({ readyReplicas: 2 });
    // The main resource ignores status (the status/spec split of the Deployment strategy).
    const upd = await client.update(DEPLOY, { ...patched, status: { replicas: 42 } });
    expect((upd.status as { replicas: number }).replicas).toBe(2);
  });

  it('lists with label and field selectors', async () => {
    await client.create(CM, cm('sel-a', {}, { tier: 'front' }));
    await client.create(CM, cm('sel-b', {}, { tier: 'back' }));
    const byLabel = await client.list(CM, { namespace: NS, labelSelector: 'tier=front' });
    expect(byLabel.items.map((i) => i.metadata.name)).toEqual(['sel-a']);
    const byField = await client.list(CM, { fieldSelector: 'metadata.name=sel-b' });
    expect(byField.items.map((i) => i.metadata.name)).toEqual(['sel-b']);
    const err = await client.list(CM, { labelSelector: 'tier in (' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('pages a list with limit and continue', async () => {
    for (let i = 0; i < 5; i++) await client.create(CM, cm(`page-${i}`, {}, { paged: 'yes' }));
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await client.list(CM, { namespace: NS, labelSelector: 'paged=yes', limit: 2, continue: cont });
      names.push(...page.items.map((i) => i.metadata.name!));
      cont = page.metadata.continue || undefined;
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(names).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  });

  it('watches ADDED, MODIFIED and DELETED, and done resolves at timeoutSeconds', async () => {
    const list = await client.list(CM, { namespace: NS });
    const events: WatchEvent[] = [];
    const w = await client.watch(CM, { namespace: NS, resourceVersion: list.metadata.resourceVersion, fieldSelector: 'metadata.name=watched', timeoutSeconds: 1 }, (ev) =>
      events.push(ev),
    );
    await client.create(CM, cm('watched', { a: '1' }));
    await client.patch(CM, 'watched', { data: { a: '2' } }, 'merge', { namespace: NS });
    await client.delete(CM, 'watched', NS);
    await w.done;
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED watched', 'MODIFIED watched', 'DELETED watched']);
  });

  it('stops a watch from the client side; done resolves', async () => {
    await client.create(CM, cm('before-stop'));
    const events: WatchEvent[] = [];
    const w = await client.watch(CM, { namespace: NS }, (ev) => events.push(ev));
    await eventually(async () => (events.length > 0 ? true : undefined), 'the initial ADDED events');
    w.stop();
    await w.done;
    const seen = events.length;
    await client.create(CM, cm('after-stop'));
    await new Promise((r) => setTimeout(r, 50));
    expect(events.length).toBe(seen);
  });

  it('delivers an ERROR event for an expired resourceVersion', async () => {
    const start = await client.create(CM, cm('churn', { n: '0' }));
    for (let i = 1; i <= 12; i++) await client.patch(CM, 'churn', { data: { n: String(i) } }, 'merge', { namespace: NS });
    const events: WatchEvent[] = [];
    const w = await client.watch(CM, { namespace: NS, resourceVersion: start.metadata.resourceVersion }, (ev) => events.push(ev));
    await w.done;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('refuses a watch before streaming with an ApiError', async () => {
    await expect(client.watch(CM, { labelSelector: 'a in (' }, () => undefined)).rejects.toMatchObject({ code: 400 });
  });

  it('discovers built-in resources and a CRD once it is Established', async () => {
    const before = await client.serverResources();
    expect(before).toContainEqual(expect.objectContaining({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true }));
    expect(before).toContainEqual(expect.objectContaining({ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' }));
    expect(before.some((r) => r.resource.includes('/'))).toBe(false);
    expect(before.find((r) => r.resource === 'namespaces')).toMatchObject({ namespaced: false, verbs: expect.arrayContaining(['list', 'watch', 'delete']) });

    const crd = parse(readFileSync(new URL('./testdata/crontab-crd.yaml', import.meta.url), 'utf8')) as KubeObject;
    await client.create(CRD, crd);
    await eventually(async () => {
      const got = await client.get<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(CRD, 'crontabs.stable.example.com');
      return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
    }, 'the CRD to be Established');
    const after = await client.serverResources();
    expect(after).toContainEqual(expect.objectContaining({ group: 'stable.example.com', version: 'v1', resource: 'crontabs', kind: 'CronTab', namespaced: true }));
    const CT: ResourceRef = { group: 'stable.example.com', version: 'v1', resource: 'crontabs', namespaced: true };
    const ct = await client.create<KubeObject>(CT, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c1', namespace: NS }, spec: { image: 'x', cronSpec: '* * * * *' } });
    expect(ct.metadata.uid).toBeTruthy();
  });

  it('loads the cluster kubeconfig', async () => {
    const config = await loadKubeconfig({ path: cluster.kubeconfigPath });
    expect(config).toMatchObject({ server: cluster.url, namespace: 'default', insecureSkipTLSVerify: true });
    const http = new HttpClient(config);
    try {
      expect((await http.get(CM, 'conflict', NS)).metadata.name).toBe('conflict');
    } finally {
      http.close();
    }
  });
});

describe('InProcessClient and cluster.stop()', () => {
  it('ends open watches when the server closes, though they have no socket to close', async () => {
    const cluster = await startCluster();
    const client = new InProcessClient(cluster.server);
    const w = await client.watch(CM, {}, () => undefined);
    await cluster.stop();
    await w.done;
  });
});
