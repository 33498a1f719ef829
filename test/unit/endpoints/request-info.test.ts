import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from '../../../src/apiserver/endpoints/request-info.js';

describe('parseRequestInfo', () => {
  const cases: [string, string, string, Record<string, unknown>][] = [
    ['GET', '/api/v1/namespaces/default/pods', '', { verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: '' }],
    ['GET', '/api/v1/namespaces/default/pods/web', '', { verb: 'get', resource: 'pods', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=true', { verb: 'watch', resource: 'pods' }],
    ['GET', '/api/v1/watch/namespaces/default/pods', '', { verb: 'watch', resource: 'pods', namespace: 'default' }],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=True', { verb: 'watch', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=false', { verb: 'list', resource: 'pods' }],
    ['PUT', '/api/v1/namespaces/default/pods/web/status', '', { verb: 'update', resource: 'pods', name: 'web', subresource: 'status' }],
    ['GET', '/api/v1/namespaces/kube-system', '', { verb: 'get', resource: 'namespaces', name: 'kube-system' }],
    ['PUT', '/api/v1/namespaces/x/status', '', { verb: 'update', resource: 'namespaces', name: 'x', subresource: 'status' }],
    ['PUT', '/api/v1/namespaces/x/finalize', '', { verb: 'update', resource: 'namespaces', name: 'x', subresource: 'finalize' }],
    ['POST', '/apis/apps/v1/namespaces/ns/deployments', '', { verb: 'create', group: 'apps', resource: 'deployments' }],
    ['DELETE', '/apis/apps/v1/namespaces/ns/deployments', '', { verb: 'deletecollection' }],
    ['DELETE', '/apis/apps/v1/namespaces/ns/deployments/d', '', { verb: 'delete', name: 'd' }],
    ['PATCH', '/apis/batch/v1/namespaces/ns/jobs/j', '', { verb: 'patch', group: 'batch', resource: 'jobs' }],
    ['GET', '/api/v1/nodes', '', { verb: 'list', resource: 'nodes', namespace: '' }],
    ['GET', '/api/v1/pods', '', { verb: 'list', resource: 'pods', namespace: '' }],
  ];
  it.each(cases)('%s %s?%s', (method, path, query, want) => {
    const info = parseRequestInfo(method, path, new URLSearchParams(query));
    expect(info).toMatchObject({ isResourceRequest: true, ...want });
  });

  it('recognises discovery paths', () => {
    expect(parseRequestInfo('GET', '/api', new URLSearchParams())).toEqual({ isResourceRequest: false, path: '/api' });
    expect(parseRequestInfo('GET', '/apis/apps', new URLSearchParams())).toMatchObject({ isResourceRequest: false, path: '/apis/apps' });
    expect(parseRequestInfo('GET', '/apis/apps/v1', new URLSearchParams())).toMatchObject({ isResourceRequest: false, path: '/apis/apps/v1' });
    expect(parseRequestInfo('GET', '/healthz', new URLSearchParams())).toBeUndefined();
  });
});
