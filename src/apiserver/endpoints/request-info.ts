// Parses a request path into what the API is being asked, as k8s.io/apiserver
// pkg/endpoints/request/requestinfo.go does:
//   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
//   /apis/{group}/{version}/{resource}/{name}
// plus the deprecated /watch/ path prefix.

export type RequestVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequestInfo {
  isResourceRequest: true;
  verb: RequestVerb;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** Path segments after the subresource (e.g. pod proxy paths); unsupported here. */
  extraParts: string[];
}

export interface NonResourceRequestInfo {
  isResourceRequest: false;
  /** "/api", "/apis", "/api/v1", "/apis/apps", "/apis/apps/v1". */
  path: string;
  group?: string;
  version?: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

/** Subresources of a namespace that name the namespace itself rather than a resource in it. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Go's strconv.ParseBool, which query parameters are decoded with: Python sends "True". */
export function parseQueryBool(v: string | null): boolean | undefined {
  if (v === null) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False', ''].includes(v)) return false;
  return undefined;
}

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  let i = 0;
  let group = '';
  let version: string;
  if (parts[0] === 'api') {
    if (parts.length < 2) return { isResourceRequest: false, path: '/api' };
    version = parts[1]!;
    i = 2;
  } else if (parts[0] === 'apis') {
    if (parts.length < 2) return { isResourceRequest: false, path: '/apis' };
    group = parts[1]!;
    if (parts.length < 3) return { isResourceRequest: false, path: `/apis/${group}`, group };
    version = parts[2]!;
    i = 3;
  } else {
    return undefined;
  }
  let rest = parts.slice(i).map(decodeURIComponent);
  if (rest.length === 0) {
    return { isResourceRequest: false, path: group ? `/apis/${group}/${version}` : `/api/${version}`, group, version };
  }
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1]!;
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
  }
  const [resource = '', name = '', subresource = '', ...extraParts] = rest;
  let verb: RequestVerb;
  switch (method) {
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = name ? 'get' : 'list';
  }
  if ((method === 'GET' || method === 'HEAD') && (watchPrefix || parseQueryBool(query.get('watch')) === true)) {
    verb = 'watch';
  }
  return { isResourceRequest: true, verb, group, version, resource, subresource, namespace, name, extraParts };
}
