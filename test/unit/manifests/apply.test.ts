// applyManifests against a fake API served through an injected fetch: discovery documents
// plus a Map store that answers POST/GET/PUT with the status codes kube-apiserver uses.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { applyManifests, formatApplyResult, type LoadedManifest } from '../../../src/manifests/index.js';

type Obj = { apiVersion?: string; kind?: string; metadata: Record<string, unknown>; [k: string]: unknown };

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message };
}

function fakeApi(options: { bumpOnNoop?: boolean } = {}) {
  const store = new Map<string, Obj>();
  const calls: string[] = [];
  let rv = 1;
  const resources: Record<string, { name: string; kind: string; namespaced: boolean }[]> = {
    '/api/v1': [
      { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
      { name: 'namespaces', kind: 'Namespace', namespaced: false },
      { name: 'namespaces/status', kind: 'Namespace', namespaced: false },
    ],
    '/apis/apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
  };
  const json = (code: number, body: unknown) =>
    new Response(JSON.stringify(body), { status: code, headers: { 'content-type': 'application/json' } });

  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${url.pathname}`);
    if (url.pathname === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'] });
    if (url.pathname === '/apis') {
      return json(200, { kind: 'APIGroupList', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }] }] });
    }
    if (resources[url.pathname]) return json(200, { kind: 'APIResourceList', resources: resources[url.pathname] });
    const body = init?.body ? (JSON.parse(String(init.body)) as Obj) : undefined;
    if (method === 'POST') {
      const key = `${url.pathname}/${String(body!.metadata.name)}`;
      if (body!.metadata.name === 'invalid') {
        return json(422, status(422, 'Invalid', 'ConfigMap "invalid" is invalid: data: Invalid value'));
      }
      if (store.has(key)) return json(409, status(409, 'AlreadyExists', `"${String(body!.metadata.name)}" already exists`));
      const stored = { ...body!, metadata: { ...body!.metadata, uid: 'u1', resourceVersion: String(rv++) } };
      store.set(key, stored);
      return json(201, stored);
    }
    const current = store.get(url.pathname);
    if (!current) return json(404, status(404, 'NotFound', 'not found'));
    if (method === 'GET') return json(200, current);
    if (method === 'PUT') {
      if (body!.metadata.resourceVersion !== current.metadata.resourceVersion) {
        return json(409, status(409, 'Conflict', 'the object has been modified'));
      }
      const { resourceVersion: _a, ...a } = current.metadata;
      const { resourceVersion: _b, ...b } = body!.metadata;
      const noop = isDeepStrictEqual({ ...current, metadata: { ...a, uid: undefined } }, { ...body!, metadata: { ...b, uid: undefined } });
      if (noop && !options.bumpOnNoop) return json(200, current);
      const stored = { ...body!, metadata: { ...body!.metadata, uid: current.metadata.uid, resourceVersion: String(rv++) } };
      store.set(url.pathname, stored);
      return json(200, stored);
    }
    return json(405, status(405, 'MethodNotAllowed', 'no'));
  }) as typeof fetch;
  return { fetch: fetchImpl, store, calls };
}

const m = (object: object, source = 'm.yaml'): LoadedManifest => ({ source, object });
const cm = (name: string, data: Record<string, string> = { a: '1' }, namespace?: string) =>
  m({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) }, data }, `${name}.yaml`);

describe('applyManifests', () => {
  it('creates objects, defaulting the namespace of namespaced kinds', async () => {
    const api = fakeApi();
    const results = await applyManifests('http://sim/', [cm('x'), cm('y', {}, 'team')], { fetch: api.fetch });
    expect(results.map(formatApplyResult)).toEqual(['configmap/x created', 'configmap/y created']);
    expect([...api.store.keys()]).toEqual(['/api/v1/namespaces/default/configmaps/x', '/api/v1/namespaces/team/configmaps/y']);
    expect(results[0]!.object).toMatchObject({ metadata: { namespace: 'default', resourceVersion: '1' } });
  });

  it('names grouped kinds kind.group and keeps cluster-scoped objects out of namespaces', async () => {
    const api = fakeApi();
    const deploy = m({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {} });
    const ns = m({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const results = await applyManifests('http://sim', [deploy, ns], { fetch: api.fetch, namespace: 'dev' });
    // Namespaces go first whatever the input order.
    expect(results.map(formatApplyResult)).toEqual(['namespace/team created', 'deployment.apps/web created']);
    expect(api.store.has('/api/v1/namespaces/team')).toBe(true);
    expect(api.store.has('/apis/apps/v1/namespaces/dev/deployments/web')).toBe(true);
  });

  it('replaces an existing object with the current resourceVersion, or reports it unchanged', async () => {
    const api = fakeApi();
    await applyManifests('http://sim', [cm('x')], { fetch: api.fetch });
    const again = await applyManifests('http://sim', [cm('x')], { fetch: api.fetch });
    expect(again.map(formatApplyResult)).toEqual(['configmap/x unchanged']);
    const changed = await applyManifests('http://sim', [cm('x', { a: '2' })], { fetch: api.fetch });
    expect(changed.map(formatApplyResult)).toEqual(['configmap/x configured']);
    expect(api.store.get('/api/v1/namespaces/default/configmaps/x')!.data).toEqual({ a: '2' });
  });

  it('reports unchanged even when the server bumps resourceVersion on a no-op update', async () => {
    const api = fakeApi({ bumpOnNoop: true });
    await applyManifests('http://sim', [cm('x')], { fetch: api.fetch });
    const again = await applyManifests('http://sim', [cm('x')], { fetch: api.fetch });
    expect(again.map(formatApplyResult)).toEqual(['configmap/x unchanged']);
  });

  it('drops resourceVersion and uid copied from `kubectl get -o yaml`', async () => {
    const api = fakeApi();
    const exported = m({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e', resourceVersion: '99', uid: 'old' } });
    expect((await applyManifests('http://sim', [exported], { fetch: api.fetch }))[0]!.action).toBe('created');
    expect(exported.object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e', resourceVersion: '99', uid: 'old' } });
  });

  it('reports each bad object with its source and carries on', async () => {
    const api = fakeApi();
    const results = await applyManifests(
      'http://sim',
      [
        m({ metadata: { name: 'n' } }, 'no-kind.yaml'),
        m({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, 'widget.yaml'),
        cm('invalid'),
        cm('ok'),
      ],
      { fetch: api.fetch },
    );
    expect(results.map(formatApplyResult)).toEqual([
      'error: no-kind.yaml: error validating data: [apiVersion not set, kind not set]',
      'error: widget.yaml: no matches for kind "Widget" in version "example.com/v1" (ensure CRDs are installed first)',
      'error: invalid.yaml: ConfigMap "invalid" is invalid: data: Invalid value',
      'configmap/ok created',
    ]);
  });

  it('fetches discovery once per run', async () => {
    const api = fakeApi();
    await applyManifests('http://sim', [cm('a'), cm('b'), cm('c')], { fetch: api.fetch });
    expect(api.calls.filter((c) => c === 'GET /api/v1')).toHaveLength(1);
    expect(api.calls.filter((c) => c === 'GET /apis')).toHaveLength(1);
  });

  it('reports an unreachable server per object instead of throwing', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    }) as typeof fetch;
    const results = await applyManifests('http://127.0.0.1:1', [cm('a')], { fetch: refused });
    expect(results.map(formatApplyResult)).toEqual(['error: a.yaml: connect ECONNREFUSED 127.0.0.1:1']);
  });
});
