// What RestClient puts on the wire for each verb, seen through a recording transport, and how
// it reads answers: URLs for core and named groups, query options, patch content types,
// DeleteOptions bodies, and Status errors.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ApiError, type ResourceRef } from '../../../src/clients/interfaces.js';
import { errorFromResponse, resourcePath } from '../../../src/clients/request-builder.js';
import { RestClient } from '../../../src/clients/rest-client.js';
import type { Transport, TransportRequest, TransportResponse } from '../../../src/clients/transport.js';

const CM: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const DEPLOY: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const CRD: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };

function recording(answer: (req: TransportRequest) => TransportResponse = () => ({ status: 200, headers: {}, body: Buffer.from('{"metadata":{}}') })) {
  const seen: TransportRequest[] = [];
  const transport: Transport = {
    async request(req) {
      seen.push(req);
      return answer(req);
    },
    async stream(req) {
      seen.push(req);
      const body = new PassThrough();
      body.end();
      return { status: 200, headers: {}, body, cancel: () => undefined };
    },
  };
  const url = (i = seen.length - 1) => {
    const q = seen[i]!.query?.toString();
    return `${seen[i]!.method} ${seen[i]!.path}${q ? `?${q}` : ''}`;
  };
  return { seen, transport, url };
}

describe('resourcePath', () => {
  it.each([
    [CM, 'ns', undefined, undefined, '/api/v1/namespaces/ns/configmaps'],
    [CM, undefined, undefined, undefined, '/api/v1/configmaps'],
    [CM, 'ns', 'a', undefined, '/api/v1/namespaces/ns/configmaps/a'],
    [DEPLOY, 'ns', 'd', 'status', '/apis/apps/v1/namespaces/ns/deployments/d/status'],
    [DEPLOY, 'ns', 'd', 'scale', '/apis/apps/v1/namespaces/ns/deployments/d/scale'],
    [NODES, 'ignored', 'n1', undefined, '/api/v1/nodes/n1'],
    [CRD, undefined, 'crontabs.stable.example.com', undefined, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com'],
    [CM, 'ns', 'a b', undefined, '/api/v1/namespaces/ns/configmaps/a%20b'],
  ] as const)('%o %s %s %s', (ref, ns, name, sub, want) => {
    expect(resourcePath(ref, ns, name, sub)).toBe(want);
  });

  it('refuses an empty name', () => {
    expect(() => resourcePath(CM, 'ns', '')).toThrow(/may not be empty/);
  });
});

describe('RestClient requests', () => {
  it('sends list and watch options as query parameters', async () => {
    const r = recording();
    const c = new RestClient(r.transport);
    await c.list(CM, { namespace: 'ns', labelSelector: 'a=b', fieldSelector: 'metadata.name=x', limit: 5, continue: 'tok', resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' });
    expect(r.url()).toBe('GET /api/v1/namespaces/ns/configmaps?labelSelector=a%3Db&fieldSelector=metadata.name%3Dx&limit=5&continue=tok&resourceVersion=0&resourceVersionMatch=NotOlderThan');
    const w = await c.watch(DEPLOY, { resourceVersion: '7', allowWatchBookmarks: true, timeoutSeconds: 30, sendInitialEvents: false }, () => undefined);
    await w.done;
    expect(r.url()).toBe('GET /apis/apps/v1/deployments?watch=true&resourceVersion=7&allowWatchBookmarks=true&sendInitialEvents=false&timeoutSeconds=30');
  });

  it('sends the user agent and the default field manager on writes', async () => {
    const r = recording();
    const c = new RestClient(r.transport);
    await c.create(CM, { metadata: { name: 'a', namespace: 'ns' } }, { dryRun: true, fieldValidation: 'Strict' });
    expect(r.url()).toBe('POST /api/v1/namespaces/ns/configmaps?dryRun=All&fieldManager=kubesim-controller&fieldValidation=Strict');
    expect(r.seen[0]!.headers).toMatchObject({ 'user-agent': 'kubesim-controller', 'content-type': 'application/json', accept: 'application/json' });
    expect(JSON.parse(r.seen[0]!.body!)).toEqual({ metadata: { name: 'a', namespace: 'ns' } });

    const named = new RestClient(r.transport, { userAgent: 'my-operator/1.2', fieldManager: undefined });
    await named.update(CM, { metadata: { name: 'a', namespace: 'ns' } }, { fieldManager: 'explicit' });
    expect(r.url()).toBe('PUT /api/v1/namespaces/ns/configmaps/a?fieldManager=explicit');
    expect(r.seen[1]!.headers['user-agent']).toBe('my-operator/1.2');
    await named.updateStatus(DEPLOY, { metadata: { name: 'd', namespace: 'ns' } });
    expect(r.url()).toBe('PUT /apis/apps/v1/namespaces/ns/deployments/d/status?fieldManager=my-operator');
    // A PUT-only subresource, as client-go's Namespaces().Finalize: the namespace is the object, not a path segment.
    await named.update({ group: '', version: 'v1', resource: 'namespaces', namespaced: false }, { metadata: { name: 'gone' }, spec: { finalizers: [] } }, { subresource: 'finalize' });
    expect(r.url()).toBe('PUT /api/v1/namespaces/gone/finalize?fieldManager=my-operator');
  });

  it.each([
    ['json', 'application/json-patch+json'],
    ['merge', 'application/merge-patch+json'],
    ['strategic', 'application/strategic-merge-patch+json'],
    ['apply', 'application/apply-patch+yaml'],
  ] as const)('patches with %s as %s', async (type, contentType) => {
    const r = recording();
    const c = new RestClient(r.transport, { fieldManager: 'mgr' });
    await c.patch(DEPLOY, 'd', { spec: {} }, type, { namespace: 'ns', subresource: 'scale', force: true });
    expect(r.seen[0]!.headers['content-type']).toBe(contentType);
    // force is for apply only: the server rejects it on other patch types.
    expect(r.url()).toBe(`PATCH /apis/apps/v1/namespaces/ns/deployments/d/scale?fieldManager=mgr${type === 'apply' ? '&force=true' : ''}`);
    expect(r.seen[0]!.body).toBe('{"spec":{}}');
  });

  it('sends DeleteOptions as the body of DELETE, and list options with deleteCollection', async () => {
    const r = recording();
    const c = new RestClient(r.transport);
    await c.delete(CM, 'a', 'ns');
    expect(r.seen[0]!.body).toBeUndefined();
    await c.delete(CM, 'a', 'ns', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1' }, dryRun: true });
    expect(JSON.parse(r.seen[1]!.body!)).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1' },
      dryRun: ['All'],
    });
    await c.deleteCollection(CM, { namespace: 'ns', labelSelector: 'x=y', propagationPolicy: 'Background' });
    expect(r.url()).toBe('DELETE /api/v1/namespaces/ns/configmaps?labelSelector=x%3Dy');
    expect(JSON.parse(r.seen[2]!.body!)).toMatchObject({ propagationPolicy: 'Background' });
  });

  it('discovers preferred versions and skips subresources', async () => {
    const docs: Record<string, unknown> = {
      '/apis': { groups: [{ name: 'apps', preferredVersion: { groupVersion: 'apps/v1', version: 'v1' }, versions: [{ groupVersion: 'apps/v1', version: 'v1' }] }, { name: 'gone', versions: [{ groupVersion: 'gone/v1', version: 'v1' }] }] },
      '/api/v1': { resources: [{ name: 'pods', namespaced: true, kind: 'Pod', verbs: ['get'] }, { name: 'pods/status', namespaced: true, kind: 'Pod', verbs: ['get'] }] },
      '/apis/apps/v1': { resources: [{ name: 'deployments', namespaced: true, kind: 'Deployment', verbs: ['list'] }] },
    };
    const r = recording((req) =>
      docs[req.path] ? { status: 200, headers: {}, body: Buffer.from(JSON.stringify(docs[req.path])) } : { status: 404, headers: {}, body: Buffer.from('404 page not found') },
    );
    const got = await new RestClient(r.transport).serverResources();
    expect(got).toEqual([
      { group: '', version: 'v1', resource: 'pods', namespaced: true, kind: 'Pod', verbs: ['get'] },
      { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, kind: 'Deployment', verbs: ['list'] },
    ]);
  });
});

describe('errors', () => {
  it('carries code, reason and message of a Status body', async () => {
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'configmaps "a" not found' };
    const r = recording(() => ({ status: 404, headers: {}, body: Buffer.from(JSON.stringify(status)) }));
    const err = await new RestClient(r.transport).get(CM, 'a', 'ns').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 404, reason: 'NotFound', message: 'configmaps "a" not found', status });
  });

  it('derives a reason from the HTTP status when the body is not a Status', () => {
    expect(errorFromResponse(503, 'upstream down')).toMatchObject({ code: 503, reason: 'ServiceUnavailable', message: 'the server responded with the status code 503: upstream down' });
    expect(errorFromResponse(418, '')).toMatchObject({ code: 418, reason: 'Unknown' });
    expect(errorFromResponse(409, '{"kind":"Status","code":409,"message":"m"}')).toMatchObject({ reason: 'Conflict', message: 'm' });
  });

  it('treats an undecodable success body as an error', async () => {
    const r = recording(() => ({ status: 200, headers: {}, body: Buffer.from('<html>') }));
    await expect(new RestClient(r.transport).get(CM, 'a', 'ns')).rejects.toMatchObject({ code: 500, reason: 'InternalError' });
  });
});
