// The ResourceQuota admission plugin (k8s.io/apiserver pkg/admission/plugin/resourcequota):
// a create in a namespace with quotas is refused when it would take any quota's usage past
// its hard limit: `exceeded quota: NAME, requested: pods=1, used: pods=10, limited: pods=10`,
// or, for a quota on cpu or memory, when a container does not say what it uses:
// `failed quota: NAME: must specify limits.cpu`. Both are 403 Forbidden.
//
// Usage is counted from storage at the moment of the request rather than from the quota's
// status.used, which the resourcequota controller keeps for readers: the check and the write
// that follows run in one turn of the event loop, so no other create can slip in between and
// a refused create changes nothing. (kube-apiserver instead reserves the usage by writing
// status.used before admitting, retrying on conflicts, because its servers run in parallel.)
// Like kube's evaluators, only creates are checked: updates change no object count, and a
// pod's resources cannot change.
import * as errors from '../errors.js';
import type { KubeObject } from '../object.js';
import { isPlainObject } from '../object.js';
import { mediaType, parseBody } from '../endpoints/decode.js';
import { APPLY_PATCH_TYPE } from '../endpoints/handlers/apply.js';
import type { ApiRequest } from '../endpoints/request.js';
import { storageResource } from '../registry/catalog.js';
import { matchingResources, podConstraints, usageOf, type GroupResource } from '../../quota/evaluator.js';
import { add, count, lessThanOrEqual, mask, parseResourceList, prettyPrint, removeZeros, type ResourceList } from '../../quota/resource-list.js';
import { putCreates } from './namespace-lifecycle.js';

const QUOTAS = 'resourcequotas';

export function admitResourceQuota(r: ApiRequest): void {
  const { info, rt } = r;
  if (!rt.namespaced || !info.namespace || info.subresource) return;
  if (r.ctx.storage.count(QUOTAS, info.namespace) === 0) return;
  if (!(info.verb === 'create' || putCreates(r))) return;
  const gr: GroupResource = { group: rt.group, resource: rt.resource };
  const quotas = r.ctx.storage.list(QUOTAS, { namespace: info.namespace }).items;
  let obj: KubeObject | undefined;
  let used: ResourceList | undefined;
  const now = r.ctx.clock.now().getTime();
  for (const quota of quotas) {
    const hard = parseResourceList(isPlainObject(quota.spec) ? quota.spec.hard : undefined);
    const tracked = matchingResources(gr, hard.keys());
    if (tracked.length === 0) continue;
    obj ??= objectOf(r);
    // A body the handler will refuse anyway is not quota's business.
    if (!obj) return;
    const name = info.name || (typeof obj.metadata?.name === 'string' ? obj.metadata.name : '');
    if (gr.group === '' && gr.resource === 'pods') {
      const missing = podConstraints(tracked, obj);
      if (missing) throw errors.forbidden(gr, name, `failed quota: ${quota.metadata.name}: ${missing}`);
    }
    const requested = removeZeros(mask(usageOf(gr, obj, now), tracked));
    if (requested.size === 0) continue;
    used ??= namespaceUsage(r, gr, now);
    const usedHere = withZeros(mask(used, tracked), tracked);
    const { exceeded } = lessThanOrEqual(mask(add(usedHere, requested), requested.keys()), mask(hard, tracked));
    if (exceeded.length) {
      const message =
        `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(mask(requested, exceeded))}, ` +
        `used: ${prettyPrint(mask(usedHere, exceeded))}, limited: ${prettyPrint(mask(hard, exceeded))}`;
      throw errors.forbidden(gr, name, message);
    }
  }
}

/** What every object of the resource in the request's namespace uses now. */
export function namespaceUsage(r: Pick<ApiRequest, 'ctx' | 'rt' | 'info'>, gr: GroupResource, now: number): ResourceList {
  const resource = storageResource(r.rt);
  // Other kinds count one each: their usage is the count, no need to read them.
  if (!(gr.group === '' && gr.resource === 'pods')) {
    const n = r.ctx.storage.count(resource, r.info.namespace);
    const total: ResourceList = new Map();
    if (n > 0) for (const [name] of usageOf(gr, { metadata: {} } as KubeObject, now)) total.set(name, count(n));
    return total;
  }
  let total: ResourceList = new Map();
  for (const pod of r.ctx.storage.list(resource, { namespace: r.info.namespace }).items) total = add(total, usageOf(gr, pod, now));
  return total;
}

function withZeros(list: ResourceList, names: string[]): ResourceList {
  const out: ResourceList = new Map(list);
  for (const name of names) if (!out.has(name)) out.set(name, count(0));
  return out;
}

function objectOf(r: ApiRequest): KubeObject | undefined {
  try {
    // A server-side apply that creates sends its configuration as YAML (or JSON, which YAML reads).
    const contentType = mediaType(r.headers['content-type']) === APPLY_PATCH_TYPE ? 'application/yaml' : r.headers['content-type'];
    const body = parseBody(r.body, contentType);
    if (!isPlainObject(body)) return undefined;
    if (!isPlainObject(body.metadata)) body.metadata = {};
    return body as unknown as KubeObject;
  } catch {
    return undefined;
  }
}
