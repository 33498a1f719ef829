// DELETE of one object (k8s.io/apiserver pkg/endpoints/handlers/delete.go): at once, or marked
// with deletionTimestamp while finalizers or a pod's grace period hold it.
import * as errors from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { isPlainObject } from '../../object.js';
import type { Preconditions } from '../../storage/interface.js';
import { parseBody } from '../decode.js';
import { dryRunOf, type ApiRequest, type ApiResponse } from '../request.js';

export interface DeleteOptions {
  dryRun: boolean;
  preconditions?: Preconditions;
  gracePeriodSeconds?: number;
}

export function deleteOptionsOf(r: ApiRequest): DeleteOptions {
  let dryRun = dryRunOf(r.query);
  let preconditions: Preconditions | undefined;
  let gracePeriodSeconds: number | undefined;
  const graceQuery = r.query.get('gracePeriodSeconds');
  if (graceQuery !== null && graceQuery !== '') gracePeriodSeconds = integerOption('gracePeriodSeconds', graceQuery);
  if (r.body && r.body.length > 0) {
    const parsed = parseBody(r.body, r.headers['content-type'] ?? 'application/json');
    if (!isPlainObject(parsed)) throw errors.badRequest('DeleteOptions must be an object');
    if (parsed.kind !== undefined && parsed.kind !== 'DeleteOptions') {
      throw errors.badRequest(`the kind in the data (${String(parsed.kind)}) does not match the expected kind (DeleteOptions)`);
    }
    if (Array.isArray(parsed.dryRun)) {
      for (const v of parsed.dryRun) if (v !== 'All') throw errors.badRequest(`Invalid dryRun value: ${JSON.stringify(v)}. Only "All" is supported`);
      dryRun = dryRun || parsed.dryRun.length > 0;
    }
    if (parsed.gracePeriodSeconds !== undefined && parsed.gracePeriodSeconds !== null) gracePeriodSeconds = integerOption('gracePeriodSeconds', parsed.gracePeriodSeconds);
    if (isPlainObject(parsed.preconditions)) {
      preconditions = {};
      if (typeof parsed.preconditions.uid === 'string') preconditions.uid = parsed.preconditions.uid;
      if (typeof parsed.preconditions.resourceVersion === 'string') preconditions.resourceVersion = parsed.preconditions.resourceVersion;
    }
  }
  return { dryRun, preconditions, ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}) };
}

function integerOption(name: string, v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw errors.badRequest(`${name}: invalid value ${JSON.stringify(v)}: must be an integer`);
  return n;
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
  const { object, deleted } = r.store.delete(r.info.namespace, r.info.name, opts);
  // An object kept for its finalizers is answered as it now is, with its deletionTimestamp.
  return { code: 200, body: deleted ? deletedResponse(r, object) : object };
}
