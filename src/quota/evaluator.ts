// What an object counts against a ResourceQuota (kube's pkg/quota/v1/evaluator/core and
// generic object counting): every object counts 1 of count/<resource>[.<group>]; the core
// kinds with a legacy name also count under it (pods, services, configmaps, secrets,
// persistentvolumeclaims, replicationcontrollers, resourcequotas); a pod that is not finished
// counts `pods` and its containers' cpu and memory requests and limits. Shared by the quota
// admission plugin and the resourcequota controller, so both count the same way.
import type { KubeObject } from '../apiserver/object.js';
import { add, count, max, parseResourceList, type ResourceList } from './resource-list.js';

export interface GroupResource {
  group: string;
  resource: string;
}

/** Core resources whose quota name is the bare resource name (kube's legacy object counts). */
const LEGACY_COUNTS = new Set(['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas']);

/** Pod compute resources quota knows (requests.cpu and cpu are the same thing). */
const POD_COMPUTE = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];
const POD_COMPUTE_SET = new Set(POD_COMPUTE);

/** count/pods, count/deployments.apps: the generic object-count name of a resource. */
export function objectCountName(gr: GroupResource): string {
  return gr.group ? `count/${gr.resource}.${gr.group}` : `count/${gr.resource}`;
}

/** The resource a quota name measures, or undefined for names kubesim does not count (requests.storage ...). */
export function resourceOfQuotaName(name: string): GroupResource | undefined {
  if (name.startsWith('count/')) {
    const rest = name.slice('count/'.length);
    const dot = rest.indexOf('.');
    return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
  }
  if (LEGACY_COUNTS.has(name)) return { group: '', resource: name };
  if (POD_COMPUTE_SET.has(name)) return { group: '', resource: 'pods' };
  return undefined;
}

/** The hard resource names that objects of `gr` count against (MatchingResources). */
export function matchingResources(gr: GroupResource, hardNames: Iterable<string>): string[] {
  const out: string[] = [];
  for (const name of hardNames) {
    const r = resourceOfQuotaName(name);
    if (r && r.group === gr.group && r.resource === gr.resource) out.push(name);
  }
  return out.sort();
}

/** Whether a pod still counts its compute resources (QuotaV1Pod): not Succeeded or Failed, not past its deletion. */
export function podCountsCompute(pod: KubeObject, now: number): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = pod.metadata.deletionTimestamp;
  if (deletion) {
    const grace = (pod.metadata.deletionGracePeriodSeconds as number | undefined) ?? 0;
    if (Date.parse(deletion) + grace * 1000 < now) return false;
  }
  return true;
}

interface Container {
  name?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

function containersOf(pod: KubeObject, field: 'containers' | 'initContainers'): Container[] {
  const list = (pod.spec as Record<string, unknown> | undefined)?.[field];
  return Array.isArray(list) ? (list.filter((c) => c && typeof c === 'object') as Container[]) : [];
}

/**
 * One container's compute usage (podComputeUsageHelper): requests.cpu and cpu from its cpu
 * request (the API defaults a request from the limit when only the limit is set), limits.cpu
 * from its limit; the same for memory.
 */
function containerUsage(c: Container): ResourceList {
  const requests = parseResourceList(c.resources?.requests);
  const limits = parseResourceList(c.resources?.limits);
  const out: ResourceList = new Map();
  for (const r of ['cpu', 'memory']) {
    const request = requests.get(r) ?? limits.get(r);
    if (request) {
      out.set(r, request);
      out.set(`requests.${r}`, request);
    }
    const limit = limits.get(r);
    if (limit) out.set(`limits.${r}`, limit);
  }
  return out;
}

/** What an object adds to its namespace's usage. */
export function usageOf(gr: GroupResource, obj: KubeObject, now: number): ResourceList {
  const out: ResourceList = new Map([[objectCountName(gr), count(1)]]);
  if (gr.group !== '') return out;
  if (gr.resource === 'pods') {
    if (!podCountsCompute(obj, now)) return out;
    out.set('pods', count(1));
    // Containers run together, init containers one at a time: the pod needs the larger.
    let sum: ResourceList = new Map();
    for (const c of containersOf(obj, 'containers')) sum = add(sum, containerUsage(c));
    for (const c of containersOf(obj, 'initContainers')) sum = max(sum, containerUsage(c));
    const overhead = parseResourceList((obj.spec as Record<string, unknown> | undefined)?.overhead);
    for (const r of ['cpu', 'memory']) {
      const o = overhead.get(r);
      if (!o) continue;
      sum = add(sum, new Map([[`requests.${r}`, o], [r, o], ...(sum.has(`limits.${r}`) ? [[`limits.${r}`, o] as const] : [])]));
    }
    for (const [name, q] of sum) out.set(name, q);
    return out;
  }
  if (LEGACY_COUNTS.has(gr.resource)) out.set(gr.resource, count(1));
  return out;
}

/**
 * The pod evaluator's Constraints: a quota on cpu or memory requires every container to say
 * what it uses of it (a backward-compatibility rule kube keeps). The message names what is
 * missing, e.g. "must specify limits.cpu,limits.memory"; undefined when nothing is.
 */
export function podConstraints(required: Iterable<string>, pod: KubeObject): string | undefined {
  const requiredSet = new Set([...required].filter((n) => POD_COMPUTE_SET.has(n)));
  if (requiredSet.size === 0) return undefined;
  const missing = new Set<string>();
  for (const c of [...containersOf(pod, 'containers'), ...containersOf(pod, 'initContainers')]) {
    const has = containerUsage(c);
    for (const name of requiredSet) if (!has.has(name)) missing.add(name);
  }
  return missing.size ? `must specify ${[...missing].sort().join(',')}` : undefined;
}
