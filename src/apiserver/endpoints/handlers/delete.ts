// DELETE of one object (k8s.io/apiserver pkg/endpoints/handlers/delete.go): at once, or marked
// with deletionTimestamp while finalizers or a pod's grace period hold it.
import * as errors from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { isPlainObject } from '../../object.js';
import { validateDeleteOptions, type DeleteOptions } from '../../registry/deletion.js';
import type { Preconditions } from '../../storage/interface.js';
import { parseBody } from '../decode.js';
import { dryRunOf, type ApiRequest, type ApiResponse } from '../request.js';

export type { DeleteOptions };

/**
 * DeleteOptions from the body when there is one, else from the query: the real handler decodes
 * one or the other, never both, so `?propagationPolicy=` beside a body is ignored there too.
 * Then ValidateDeleteOptions, before the object is even looked up.
 */
export function deleteOptionsOf(r: ApiRequest): DeleteOptions {
  const opts = r.body && r.body.length > 0 ? bodyOptions(r) : queryOptions(r.query);
  const errs = validateDeleteOptions(opts);
  if (errs.length) throw errors.invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errs);
  return opts;
}

function queryOptions(query: URLSearchParams): DeleteOptions {
  const opts: DeleteOptions = { dryRun: dryRunOf(query) };
  const grace = query.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') opts.gracePeriodSeconds = integerOption('gracePeriodSeconds', grace);
  const policy = query.get('propagationPolicy');
  if (policy !== null && policy !== '') opts.propagationPolicy = policy;
  const orphan = query.get('orphanDependents');
  if (orphan !== null && orphan !== '') opts.orphanDependents = parseBool(orphan);
  return opts;
}

function bodyOptions(r: ApiRequest): DeleteOptions {
  const parsed = parseBody(r.body, r.headers['content-type'] ?? 'application/json');
  if (!isPlainObject(parsed)) throw errors.badRequest('DeleteOptions must be an object');
  if (parsed.kind !== undefined && parsed.kind !== 'DeleteOptions') {
    throw errors.badRequest(`the kind in the data (${String(parsed.kind)}) does not match the expected kind (DeleteOptions)`);
  }
  const opts: DeleteOptions = { dryRun: false };
  if (Array.isArray(parsed.dryRun)) {
    for (const v of parsed.dryRun) if (v !== 'All') throw errors.badRequest(`Invalid dryRun value: ${JSON.stringify(v)}. Only "All" is supported`);
    opts.dryRun = parsed.dryRun.length > 0;
  }
  if (parsed.gracePeriodSeconds !== undefined && parsed.gracePeriodSeconds !== null) opts.gracePeriodSeconds = integerOption('gracePeriodSeconds', parsed.gracePeriodSeconds);
  if (isPlainObject(parsed.preconditions)) {
    const preconditions: Preconditions = {};
    if (typeof parsed.preconditions.uid === 'string') preconditions.uid = parsed.preconditions.uid;
    if (typeof parsed.preconditions.resourceVersion === 'string') preconditions.resourceVersion = parsed.preconditions.resourceVersion;
    opts.preconditions = preconditions;
  }
  const policy = parsed.propagationPolicy;
  if (policy !== undefined && policy !== null) {
    if (typeof policy !== 'string') throw unmarshalError(policy, 'propagationPolicy', 'v1.DeletionPropagation');
    opts.propagationPolicy = policy;
  }
  const orphan = parsed.orphanDependents;
  if (orphan !== undefined && orphan !== null) {
    if (typeof orphan !== 'boolean') throw unmarshalError(orphan, 'orphanDependents', 'bool');
    opts.orphanDependents = orphan;
  }
  return opts;
}

function unmarshalError(v: unknown, field: string, goType: string): errors.StatusError {
  const jsonType = Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
  return errors.badRequest(`json: cannot unmarshal ${jsonType} into Go struct field DeleteOptions.${field} of type ${goType}`);
}

/** strconv.ParseBool, as the query parameter codec decodes a bool. */
function parseBool(v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function integerOption(name: string, v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw errors.badRequest(`${name}: invalid value ${JSON.stringify(v)}: must be an integer`);
  return n;
}

/** The Warning a kind sends when a delete leaves the propagation to its default (batch/v1 Jobs orphan their pods). */
export function defaultPolicyWarnings(r: ApiRequest, opts: DeleteOptions): string[] | undefined {
  const warning = r.rt.strategy.defaultPolicyDeleteWarning;
  if (!warning || opts.propagationPolicy !== undefined || opts.orphanDependents !== undefined) return undefined;
  return [warning];
}

/** Most kinds answer a Status naming what was deleted; pods answer the pod itself, as kube-apiserver does. */
export function deletedResponse(r: ApiRequest, obj: KubeObject): unknown {
  if (r.rt.group === '' && r.rt.resource === 'pods') return obj;
  const details: Record<string, unknown> = { name: obj.metadata.name, kind: r.rt.resource, uid: obj.metadata.uid };
  if (r.rt.group) details.group = r.rt.group;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

export function deleteHandler(r: ApiRequest): ApiResponse {
  const opts = deleteOptionsOf(r);
  const warnings = defaultPolicyWarnings(r, opts);
  const { object, deleted } = r.store.delete(r.info.namespace, r.info.name, opts);
  // An object kept for its finalizers is answered as it now is, with its deletionTimestamp;
  // 202 only when the legacy orphanDependents=false asked for a cascade that is still pending.
  const code = !deleted && opts.orphanDependents === false ? 202 : 200;
  return { code, body: deleted ? deletedResponse(r, object) : object, ...(warnings ? { warnings } : {}) };
}
