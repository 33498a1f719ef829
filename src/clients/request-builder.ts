// URLs, query strings, bodies and error decoding, as client-go's rest.Request builds them
// (k8s.io/client-go rest/request.go: AbsPath, Namespace, Resource, Name, SubResource, Param;
// and transformResponse for errors). Pure functions, shared by every transport.
import type { DeleteOptions, ListOptions, PatchType, ResourceRef, WatchOptions, WriteOptions } from './interfaces.js';
import { ApiError } from './interfaces.js';
import type { TransportResponse } from './transport.js';

/**
 * /api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]] for the core group,
 * /apis/{group}/{version}/... for named groups. A namespace is only placed in the path of a
 * namespaced resource; without one, a list or watch spans all namespaces.
 */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  const segments = ref.group === '' ? ['api', ref.version] : ['apis', ref.group, ref.version];
  if (ref.namespaced && namespace) segments.push('namespaces', namespace);
  segments.push(ref.resource);
  if (name !== undefined) {
    // client-go refuses an empty name rather than silently addressing the collection.
    if (name === '') throw new Error(`resource name may not be empty (${ref.resource})`);
    segments.push(name);
    if (subresource) segments.push(...subresource.split('/'));
  }
  return '/' + segments.map(encodeURIComponent).join('/');
}

type Scalar = string | number | boolean | undefined;

function params(entries: [string, Scalar][]): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of entries) if (v !== undefined && v !== '') q.set(k, String(v));
  return q;
}

export function listQuery(opts: ListOptions = {}): URLSearchParams {
  return params([
    ['labelSelector', opts.labelSelector],
    ['fieldSelector', opts.fieldSelector],
    ['limit', opts.limit],
    ['continue', opts.continue],
    ['resourceVersion', opts.resourceVersion],
    ['resourceVersionMatch', opts.resourceVersionMatch],
  ]);
}

/** client-go's Watch() sets `watch=true` on the list URL (metav1.ListOptions.Watch). */
export function watchQuery(opts: WatchOptions = {}): URLSearchParams {
  return params([
    ['watch', 'true'],
    ['labelSelector', opts.labelSelector],
    ['fieldSelector', opts.fieldSelector],
    ['resourceVersion', opts.resourceVersion],
    ['resourceVersionMatch', opts.resourceVersionMatch],
    ['allowWatchBookmarks', opts.allowWatchBookmarks],
    ['sendInitialEvents', opts.sendInitialEvents],
    ['timeoutSeconds', opts.timeoutSeconds],
  ]);
}

/** metav1.CreateOptions / UpdateOptions / PatchOptions: dryRun is a list, `All` the only value. */
export function writeQuery(opts: WriteOptions = {}, defaultFieldManager?: string, force?: boolean): URLSearchParams {
  return params([
    ['dryRun', opts.dryRun ? 'All' : undefined],
    ['fieldManager', opts.fieldManager ?? defaultFieldManager],
    ['fieldValidation', opts.fieldValidation],
    ['force', force],
  ]);
}

/** DELETE carries metav1.DeleteOptions as its body, the way client-go's Delete().Body(opts) does. */
export function deleteOptionsBody(opts: DeleteOptions = {}): string | undefined {
  const body: Record<string, unknown> = {};
  if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
  if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.preconditions) body.preconditions = opts.preconditions;
  if (opts.dryRun) body.dryRun = ['All'];
  if (Object.keys(body).length === 0) return undefined;
  return JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...body });
}

/** types.PatchType: the content type names the patch format. */
export const PATCH_CONTENT_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const satisfies Record<PatchType, string>;

// apimachinery's reasonForCode: the reason a bare HTTP status implies when the body is no Status.
const REASON_FOR_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/**
 * A non-2xx answer as an ApiError: the Status body's code, reason and message when the server
 * sent one, else a generic error from the HTTP status (client-go newUnstructuredResponseError).
 */
export function errorFromResponse(status: number, body: Buffer | string): ApiError {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) {
    const code = typeof parsed.code === 'number' && parsed.code > 0 ? parsed.code : status;
    const reason = typeof parsed.reason === 'string' && parsed.reason !== '' ? parsed.reason : (REASON_FOR_CODE[code] ?? 'Unknown');
    const message = typeof parsed.message === 'string' ? parsed.message : `the server responded with the status code ${code}`;
    return new ApiError(code, reason, message, parsed);
  }
  const snippet = text.length > 200 ? `${text.slice(0, 200)}...` : text;
  const message = `the server responded with the status code ${status}${snippet ? `: ${snippet}` : ''}`;
  return new ApiError(status, REASON_FOR_CODE[status] ?? 'Unknown', message);
}

export function isStatus(v: unknown): v is Record<string, unknown> & { kind: 'Status' } {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

/** The JSON of a successful answer; an undecodable one is an error, never silently `undefined`. */
export function decodeResponse<T>(res: TransportResponse): T {
  if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, res.body);
  const text = res.body.toString('utf8');
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(500, 'InternalError', `unable to decode the server's response (status ${res.status}): ${text.slice(0, 200)}`);
  }
}
