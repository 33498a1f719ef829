// The in-process client's direct path (buildServer's directDispatcher) must answer exactly as
// the server does through fastify: each request of the table is sent both ways and the
// status, content type, warnings and body compared. Writes run with dryRun=All so both see
// the same state; generated fields (uid, timestamps) are left out of the comparison.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directDispatcher, type DirectRequest } from '../../src/apiserver/server.js';
import { startCluster, type Cluster } from '../../src/index.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ controllers: 'none', logLevel: 'silent' });
  await cluster.apply(`
apiVersion: v1
kind: ConfigMap
metadata: { name: present, namespace: default, labels: { app: a } }
data: { k: v }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions:
    - name: v1beta1
      served: true
      storage: false
      deprecated: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`);
});
afterAll(() => cluster?.stop());

const JSON_BODY = { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'direct-test' };
const cm = (extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new-one' }, data: { a: 'b' }, ...extra });

const answered: Array<[string, DirectRequest]> = [
  ['get', { method: 'GET', url: '/api/v1/namespaces/default/configmaps/present', headers: { accept: 'application/json' } }],
  ['get missing (404)', { method: 'GET', url: '/api/v1/namespaces/default/configmaps/absent', headers: { accept: 'application/json' } }],
  ['get as YAML', { method: 'GET', url: '/api/v1/namespaces/default/configmaps/present', headers: { accept: 'application/yaml' } }],
  ['get as a Table', { method: 'GET', url: '/api/v1/namespaces/default/configmaps/present', headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } }],
  ['list with a label selector', { method: 'GET', url: '/api/v1/configmaps?labelSelector=app%3Da', headers: { accept: 'application/json' } }],
  ['list with a bad selector (400)', { method: 'GET', url: '/api/v1/configmaps?labelSelector=%3D%3D', headers: { accept: 'application/json' } }],
  ['unknown resource (404)', { method: 'GET', url: '/api/v1/namespaces/default/gizmos', headers: { accept: 'application/json' } }],
  ['create, dry run', { method: 'POST', url: '/api/v1/namespaces/default/configmaps?dryRun=All', headers: JSON_BODY, body: cm() }],
  ['create with an unknown field, warned', { method: 'POST', url: '/api/v1/namespaces/default/configmaps?dryRun=All&fieldValidation=Warn', headers: JSON_BODY, body: cm({ bogus: 1 }) }],
  ['create with an unknown field, strict (400)', { method: 'POST', url: '/api/v1/namespaces/default/configmaps?dryRun=All&fieldValidation=Strict', headers: JSON_BODY, body: cm({ bogus: 1 }) }],
  ['create, malformed JSON (400)', { method: 'POST', url: '/api/v1/namespaces/default/configmaps?dryRun=All', headers: JSON_BODY, body: '{"apiVersion":' }],
  ['create that exists (409)', { method: 'POST', url: '/api/v1/namespaces/default/configmaps?dryRun=All', headers: JSON_BODY, body: cm({ metadata: { name: 'present' } }) }],
  ['create in a missing namespace (404)', { method: 'POST', url: '/api/v1/namespaces/nowhere/configmaps?dryRun=All', headers: JSON_BODY, body: cm() }],
  ['update with a stale resourceVersion (409)', { method: 'PUT', url: '/api/v1/namespaces/default/configmaps/present?dryRun=All', headers: JSON_BODY, body: cm({ metadata: { name: 'present', resourceVersion: '1' } }) }],
  ['merge patch, dry run', { method: 'PATCH', url: '/api/v1/namespaces/default/configmaps/present?dryRun=All', headers: { ...JSON_BODY, 'content-type': 'application/merge-patch+json' }, body: '{"data":{"k":"w"}}' }],
  ['patch with an unsupported type (415)', { method: 'PATCH', url: '/api/v1/namespaces/default/configmaps/present?dryRun=All', headers: { ...JSON_BODY, 'content-type': 'text/plain' }, body: 'x' }],
  ['delete missing (404)', { method: 'DELETE', url: '/api/v1/namespaces/default/configmaps/absent', headers: { accept: 'application/json' } }],
  ['discovery: /api', { method: 'GET', url: '/api', headers: { accept: 'application/json' } }],
  ['discovery: a group version', { method: 'GET', url: '/apis/apps/v1', headers: { accept: 'application/json' } }],
  ['discovery: aggregated', { method: 'GET', url: '/apis', headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } }],
  ['a deprecated version warns', { method: 'GET', url: '/apis/example.com/v1beta1/namespaces/default/widgets', headers: { accept: 'application/json' } }],
];

const passedOn: Array<[string, DirectRequest]> = [
  ['a watch', { method: 'GET', url: '/api/v1/configmaps?watch=1', headers: {} }],
  ['pod logs', { method: 'GET', url: '/api/v1/namespaces/default/pods/p/log', headers: {} }],
  ['a group version not served', { method: 'GET', url: '/apis/nothing.example.com/v1', headers: {} }],
  ['the version endpoint', { method: 'GET', url: '/version', headers: {} }],
  ['HEAD', { method: 'HEAD', url: '/api/v1/namespaces/default/configmaps/present', headers: {} }],
  ['a body over the 3 MiB limit', { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: JSON_BODY, body: 'x'.repeat(3 * 1024 * 1024 + 1) }],
];

/** The answer without what differs between two dry-run creates. */
function comparable(body: Buffer, contentType: string | undefined): unknown {
  const text = body.toString('utf8');
  if (!contentType?.startsWith('application/json')) return text;
  return JSON.parse(text, (k, v) => (k === 'uid' || k === 'creationTimestamp' || k === 'time' ? undefined : v));
}

describe('the in-process direct path', () => {
  it.each(answered)('answers as the server does: %s', async (_name, req) => {
    const direct = directDispatcher(cluster.server)!.request(req);
    expect(direct, 'taken by the direct path').toBeDefined();
    const viaServer = await cluster.server.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.body !== undefined ? { payload: req.body } : {}) });
    expect(direct!.status).toBe(viaServer.statusCode);
    expect(direct!.headers['content-type']).toBe(viaServer.headers['content-type']);
    expect(direct!.headers.warning).toEqual(viaServer.headers.warning);
    expect(comparable(direct!.body, direct!.headers['content-type'] as string)).toEqual(comparable(viaServer.rawPayload, viaServer.headers['content-type'] as string));
  });

  it.each(passedOn)('leaves %s to the server', (_name, req) => {
    expect(directDispatcher(cluster.server)!.request(req)).toBeUndefined();
  });
});

describe('the in-process direct watch', () => {
  const read = async (body: NodeJS.ReadableStream, until: (text: string) => boolean): Promise<string> => {
    let text = '';
    for await (const chunk of body) {
      text += chunk.toString();
      if (until(text)) break;
    }
    return text;
  };

  it('streams the events a watch over HTTP would, and stops the storage watch when cancelled', async () => {
    const list = await cluster.client.list({ group: '', version: 'v1', resource: 'configmaps', namespaced: true }, { namespace: 'default' });
    const watch = directDispatcher(cluster.server)!.watch({ method: 'GET', url: `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${list.metadata.resourceVersion}`, headers: { accept: 'application/json' } })!;
    expect(watch.status).toBe(200);
    expect(watch.headers['content-type']).toBe('application/json');
    await cluster.client.create({ group: '', version: 'v1', resource: 'configmaps', namespaced: true }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace: 'default' } });
    const text = await read(watch.body, (t) => t.includes('\n'));
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'watched' } } });
    watch.cancel();
    await new Promise((r) => setImmediate(r));
    expect(watch.body.readableEnded || watch.body.destroyed).toBe(true);
  });

  it('answers a watch from an expired resourceVersion with a 410 ERROR event, as kube-apiserver does', async () => {
    const watch = directDispatcher(cluster.server)!.watch({ method: 'GET', url: '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1', headers: { accept: 'application/json' } })!;
    const text = await read(watch.body, () => false);
    expect(JSON.parse(text.trim())).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('answers a bad watch request with a Status, not a stream', async () => {
    const watch = directDispatcher(cluster.server)!.watch({ method: 'GET', url: '/api/v1/namespaces/default/configmaps?watch=1&labelSelector=%3D%3D', headers: { accept: 'application/json' } })!;
    expect(watch.status).toBe(400);
    expect(JSON.parse(await read(watch.body, () => false))).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });
});
