// The official JavaScript client (@kubernetes/client-node 1.x) against kubesim on a free
// port: typed CRUD, optimistic concurrency, every patch type, selectors, pagination,
// informers and watches, and the Status errors a real kube-apiserver returns.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCluster, type Cluster } from '../../src/index.js';

let cluster: Cluster;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;

beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none' }); // pods on unknown nodes stay Pending
  kc = new k8s.KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
});
afterAll(async () => cluster?.stop());

// In 1.x the patch type is a Content-Type header set by a middleware (the generated client
// would otherwise send the first type it knows, application/json-patch+json).
const as = (type: k8s.PatchStrategy) => k8s.setHeaderOptions('Content-Type', type);

/** Each test works in its own namespace, so lists see only what the test made. */
async function namespace(name: string): Promise<string> {
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

function configMap(name: string, labels?: Record<string, string>, data: Record<string, string> = { k: 'v' }): k8s.V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

/** The HTTP code and the parsed Status of a request that must fail. */
async function failure(request: Promise<unknown>): Promise<{ code: number; status: k8s.V1Status }> {
  try {
    await request;
  } catch (err) {
    if (err instanceof k8s.ApiException) return { code: err.code, status: JSON.parse(String(err.body)) as k8s.V1Status };
    throw err;
  }
  throw new Error('expected the request to fail');
}

const names = (list: { items: { metadata?: k8s.V1ObjectMeta }[] }) => list.items.map((o) => o.metadata?.name ?? '').sort();

it('uses the kubeconfig kubesim renders, unchanged', async () => {
  const plain = new k8s.KubeConfig();
  plain.loadFromString(cluster.kubeconfig);
  expect(plain.getCurrentCluster()?.server).toBe(cluster.url);
  // client-node 1.x refuses a plain-http server unless the kubeconfig marks it insecure-skip-tls-verify.
  const namespaces = await plain.makeApiClient(k8s.CoreV1Api).listNamespace();
  expect(namespaces.items.map((n) => n.metadata?.name)).toContain('default');
});

describe('ConfigMap CRUD', () => {
  it('creates, reads, lists, replaces and deletes', async () => {
    const ns = await namespace('crud');
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: configMap('a') });
    expect(created.metadata).toMatchObject({ name: 'a', namespace: ns });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);

    const read = await core.readNamespacedConfigMap({ name: 'a', namespace: ns });
    expect(read.data).toEqual({ k: 'v' });
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

    const list = await core.listNamespacedConfigMap({ namespace: ns });
    expect(names(list)).toEqual(['a']);
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);

    // client-node sends creationTimestamp back with milliseconds; the server keeps the stored one (rest.BeforeUpdate).
    const replaced = await core.replaceNamespacedConfigMap({ name: 'a', namespace: ns, body: { ...read, data: { k: 'v2' } } });
    expect(replaced.data).toEqual({ k: 'v2' });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));

    const deleted = await core.deleteNamespacedConfigMap({ name: 'a', namespace: ns });
    expect(deleted).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'a', kind: 'configmaps' } });
    expect(names(await core.listNamespacedConfigMap({ namespace: ns }))).toEqual([]);
    expect((await failure(core.readNamespacedConfigMap({ name: 'a', namespace: ns }))).code).toBe(404);
  });

  it('answers 409 Conflict to a replace with a stale resourceVersion', async () => {
    const ns = await namespace('conflict');
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: configMap('x') });
    const withVersion = (k: string): k8s.V1ConfigMap => ({ metadata: { name: 'x', resourceVersion: created.metadata?.resourceVersion }, data: { k } });
    await core.replaceNamespacedConfigMap({ name: 'x', namespace: ns, body: withVersion('fresh') });
    const { code, status } = await failure(core.replaceNamespacedConfigMap({ name: 'x', namespace: ns, body: withVersion('stale') }));
    expect(code).toBe(409);
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message: 'Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'x', kind: 'configmaps' },
    });
    expect((await core.readNamespacedConfigMap({ name: 'x', namespace: ns })).data).toEqual({ k: 'fresh' });
  });
});

describe('patches', () => {
  it('applies a merge patch and a JSON patch to a ConfigMap', async () => {
    const ns = await namespace('patch');
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('p', { app: 'x' }, { a: '1', b: '2' }) });

    const merged = await core.patchNamespacedConfigMap(
      { name: 'p', namespace: ns, body: { metadata: { labels: { tier: 'web' } }, data: { a: null, c: '3' } } },
      as(k8s.PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ b: '2', c: '3' });
    expect(merged.metadata?.labels).toEqual({ app: 'x', tier: 'web' });

    const patched = await core.patchNamespacedConfigMap(
      {
        name: 'p',
        namespace: ns,
        body: [
          { op: 'test', path: '/data/b', value: '2' },
          { op: 'replace', path: '/data/b', value: 'two' },
          { op: 'add', path: '/data/d', value: '4' },
          { op: 'remove', path: '/metadata/labels/app' },
        ],
      },
      as(k8s.PatchStrategy.JsonPatch),
    );
    expect(patched.data).toEqual({ b: 'two', c: '3', d: '4' });
    expect(patched.metadata?.labels).toEqual({ tier: 'web' });

    // A failing "test" operation is 422 in kube-apiserver and changes nothing.
    const failed = await failure(
      core.patchNamespacedConfigMap({ name: 'p', namespace: ns, body: [{ op: 'test', path: '/data/b', value: '2' }] }, as(k8s.PatchStrategy.JsonPatch)),
    );
    expect(failed.code).toBe(422);
    const after = await core.readNamespacedConfigMap({ name: 'p', namespace: ns });
    expect(after.metadata?.resourceVersion).toBe(patched.metadata?.resourceVersion);
  });

  it('merges a Deployment\'s containers by name with a strategic merge patch', async () => {
    const ns = await namespace('smp');
    const labels = { app: 'web' };
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'sidecar', image: 'busybox:1.36' }] },
          },
        },
      },
    });
    const smp = as(k8s.PatchStrategy.StrategicMergePatch);
    const images = (d: k8s.V1Deployment) => d.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`);

    const updated = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } } },
      smp,
    );
    expect(images(updated)).toEqual(['app=nginx:1.27', 'sidecar=busybox:1.36']);
    expect(updated.metadata?.generation).toBe(2);

    const added = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'logger', image: 'fluent-bit:3' }] } } } } },
      smp,
    );
    expect(images(added)).toEqual(['logger=fluent-bit:3', 'app=nginx:1.27', 'sidecar=busybox:1.36']);

    const removed = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } } },
      smp,
    );
    expect(images(removed)).toEqual(['logger=fluent-bit:3', 'app=nginx:1.27']);

    // A merge patch, by contrast, replaces the whole list.
    const replaced = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'only', image: 'nginx:1.27' }] } } } } },
      as(k8s.PatchStrategy.MergePatch),
    );
    expect(images(replaced)).toEqual(['only=nginx:1.27']);
  });
});

describe('selectors', () => {
  it('filters by label selector: =, !=, in, notin, exists, !', async () => {
    const ns = await namespace('labels');
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('a', { env: 'prod', tier: 'web' }) });
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('b', { env: 'dev', tier: 'web' }) });
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('c', { env: 'staging' }) });
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('d') });
    const select = async (labelSelector: string) => names(await core.listNamespacedConfigMap({ namespace: ns, labelSelector }));

    expect(await select('env=prod')).toEqual(['a']);
    expect(await select('env==dev')).toEqual(['b']);
    expect(await select('env!=prod')).toEqual(['b', 'c', 'd']); // != also matches objects without the label
    expect(await select('env in (prod, dev)')).toEqual(['a', 'b']);
    expect(await select('env notin (prod,dev)')).toEqual(['c', 'd']);
    expect(await select('tier')).toEqual(['a', 'b']);
    expect(await select('!tier')).toEqual(['c', 'd']);
    expect(await select('env,!tier')).toEqual(['c']);
    expect(await select('tier=web,env!=dev')).toEqual(['a']);
    expect(await select('')).toEqual(['a', 'b', 'c', 'd']);

    const bad = await failure(core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'env in prod' }));
    expect(bad.code).toBe(400);
    expect(bad.status.reason).toBe('BadRequest');
  });

  it('filters by field selector: metadata.name, and pods by status.phase and spec.nodeName', async () => {
    const ns = await namespace('fields');
    for (const n of ['a', 'b']) await core.createNamespacedConfigMap({ namespace: ns, body: configMap(n) });
    const cms = async (fieldSelector: string) => names(await core.listNamespacedConfigMap({ namespace: ns, fieldSelector }));
    expect(await cms('metadata.name=a')).toEqual(['a']);
    expect(await cms('metadata.name!=a')).toEqual(['b']);
    expect(await cms(`metadata.namespace=${ns}`)).toEqual(['a', 'b']);

    for (const [name, nodeName] of [['p1', 'node-a'], ['p2', 'node-b'], ['p3', 'node-a']] as const) {
      const body: k8s.V1Pod = { metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] } };
      const created = await core.createNamespacedPod({ namespace: ns, body });
      expect(created.status?.phase).toBe('Pending');
    }
    const running = await core.patchNamespacedPodStatus(
      { name: 'p3', namespace: ns, body: { status: { phase: 'Running' } } },
      as(k8s.PatchStrategy.MergePatch),
    );
    expect(running.status?.phase).toBe('Running');

    const pods = async (fieldSelector: string) => names(await core.listNamespacedPod({ namespace: ns, fieldSelector }));
    expect(await pods('status.phase=Running')).toEqual(['p3']);
    expect(await pods('status.phase=Pending')).toEqual(['p1', 'p2']);
    expect(await pods('status.phase!=Pending')).toEqual(['p3']);
    expect(await pods('spec.nodeName=node-a')).toEqual(['p1', 'p3']);
    expect(await pods('spec.nodeName=node-a,status.phase=Pending')).toEqual(['p1']);
    expect(await pods('spec.nodeName=node-c')).toEqual([]);
    // The same selector across all namespaces.
    const all = await core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=node-b' });
    expect(all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([`${ns}/p2`]);

    const bad = await failure(core.listNamespacedPod({ namespace: ns, fieldSelector: 'spec.foo=bar' }));
    expect(bad.code).toBe(400);
    expect(bad.status.message).toContain('field label not supported: spec.foo');
  });
});

describe('pagination', () => {
  it('pages 25 objects with limit and continue, each exactly once, from one snapshot', async () => {
    const ns = await namespace('pages');
    const want = Array.from({ length: 25 }, (_, i) => `cm-${String(i).padStart(2, '0')}`);
    for (const n of want) await core.createNamespacedConfigMap({ namespace: ns, body: configMap(n) });

    const seen: string[] = [];
    const remaining: (number | undefined)[] = [];
    const versions = new Set<string | undefined>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: ns, limit: 10, _continue: token });
      seen.push(...page.items.map((o) => o.metadata?.name ?? ''));
      remaining.push(page.metadata?.remainingItemCount);
      versions.add(page.metadata?.resourceVersion);
      token = page.metadata?._continue || undefined;
      // Written after the first page: a continued list reads the first page's snapshot.
      if (pages++ === 0) await core.createNamespacedConfigMap({ namespace: ns, body: configMap('cm-99') });
    } while (token && pages < 10);

    expect(pages).toBe(3);
    expect(seen).toEqual(want); // in key order, each once, without the later cm-99
    expect(remaining).toEqual([15, 5, undefined]);
    expect(versions.size).toBe(1);
    expect(names(await core.listNamespacedConfigMap({ namespace: ns }))).toEqual([...want, 'cm-99']);

    const bad = await failure(core.listNamespacedConfigMap({ namespace: ns, limit: 10, _continue: 'not-a-token' }));
    expect(bad.code).toBe(400);
  });
});

describe('informer and watch', () => {
  it('an informer sees add, update and delete, and its cache matches the server', async () => {
    const ns = await namespace('informer');
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('before') });
    const informer = k8s.makeInformer<k8s.V1ConfigMap>(kc, `/api/v1/namespaces/${ns}/configmaps`, () =>
      core.listNamespacedConfigMap({ namespace: ns }),
    );
    const events: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (o) => events.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => events.push(`update ${o.metadata?.name} ${o.data?.k}`));
    informer.on('delete', (o) => events.push(`delete ${o.metadata?.name}`));
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    try {
      await vi.waitFor(() => expect(events).toEqual(['add before']));
      await core.createNamespacedConfigMap({ namespace: ns, body: configMap('i1') });
      await core.patchNamespacedConfigMap({ name: 'i1', namespace: ns, body: { data: { k: 'v2' } } }, as(k8s.PatchStrategy.MergePatch));
      await core.createNamespacedConfigMap({ namespace: ns, body: configMap('i2') });
      await core.deleteNamespacedConfigMap({ name: 'before', namespace: ns });
      await vi.waitFor(() => expect(events).toEqual(['add before', 'add i1', 'update i1 v2', 'add i2', 'delete before']));

      const server = await core.listNamespacedConfigMap({ namespace: ns });
      const cached = informer.list(ns);
      expect(cached.map((o) => o.metadata?.name).sort()).toEqual(names(server));
      for (const o of server.items) {
        expect(informer.get(o.metadata!.name!, ns)?.metadata?.resourceVersion).toBe(o.metadata?.resourceVersion);
      }
      expect(informer.get('i1', ns)?.data).toEqual({ k: 'v2' });
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it('k8s.Watch receives ADDED, MODIFIED and DELETED for a namespace', async () => {
    const ns = await namespace('watch');
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const start = await core.listNamespacedConfigMap({ namespace: ns });
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    let ended = false;
    const controller = await watch.watch(
      path,
      { resourceVersion: start.metadata?.resourceVersion, allowWatchBookmarks: false },
      (type, obj: k8s.V1ConfigMap) => events.push(`${type} ${obj.metadata?.name} ${obj.data?.k}`),
      () => (ended = true),
    );
    try {
      await core.createNamespacedConfigMap({ namespace: ns, body: configMap('w') });
      await core.patchNamespacedConfigMap({ name: 'w', namespace: ns, body: { data: { k: 'v2' } } }, as(k8s.PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ name: 'w', namespace: ns });
      // Another namespace's objects never reach this watch.
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('elsewhere') });
      await vi.waitFor(() => expect(events).toEqual(['ADDED w v', 'MODIFIED w v2', 'DELETED w v2']));
      expect(ended).toBe(false);
    } finally {
      controller.abort();
    }
  });

  it('k8s.Watch calls done when the server ends the watch at timeoutSeconds', async () => {
    const ns = await namespace('watch-timeout');
    const events: string[] = [];
    const began = Date.now();
    const done = new Promise<unknown>((resolve) => {
      void new k8s.Watch(kc).watch(
        `/api/v1/namespaces/${ns}/configmaps`,
        { timeoutSeconds: 1 },
        (type, obj: k8s.V1ConfigMap) => events.push(`${type} ${obj.metadata?.name}`),
        resolve,
      );
    });
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('t') });
    // A clean end of the stream by the server: done(null), not an error.
    expect(await done).toBeNull();
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
    expect(events).toEqual(['ADDED t']);
  });
});

describe('errors', () => {
  it('404 for a missing object', async () => {
    const { code, status } = await failure(core.readNamespacedConfigMap({ name: 'missing', namespace: 'default' }));
    expect(code).toBe(404);
    expect(status).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'configmaps "missing" not found' });
    expect(status.details).toEqual({ name: 'missing', kind: 'configmaps' });
  });

  it('422 for an invalid name, with the field in details.causes', async () => {
    const { code, status } = await failure(core.createNamespacedConfigMap({ namespace: 'default', body: configMap('Bad_Name') }));
    expect(code).toBe(422);
    expect(status).toMatchObject({ reason: 'Invalid', code: 422, details: { name: 'Bad_Name', kind: 'ConfigMap' } });
    expect(status.message).toMatch(/^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    expect(status.details?.causes?.[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'metadata.name' });
    expect((await failure(core.readNamespacedConfigMap({ name: 'Bad_Name', namespace: 'default' }))).code).toBe(404);
  });

  it('404 for a create into a namespace that does not exist', async () => {
    const { code, status } = await failure(core.createNamespacedConfigMap({ namespace: 'nope', body: configMap('x') }));
    expect(code).toBe(404);
    expect(status).toMatchObject({ reason: 'NotFound', code: 404, message: 'namespaces "nope" not found' });
    expect(status.details).toEqual({ name: 'nope', kind: 'namespaces' });
  });
});
