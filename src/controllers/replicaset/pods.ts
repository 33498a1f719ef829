// Pure helpers the ReplicaSet (and Deployment) controllers share: label selectors, pod
// readiness and availability (k8s.io/kubernetes pkg/api/v1/pod podutil.IsPodAvailable), the
// order surplus pods are deleted in (pkg/controller controller_utils.go ActivePodsWithRanks),
// and the pod a template stamps out (GetPodFromTemplate).
import type { KubeObject, OwnerReference } from '../runtime/types.js';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

/** metav1.LabelSelectorAsSelector: an empty selector matches everything. */
export function selectorMatches(sel: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !vals.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

interface Condition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

function readyCondition(pod: KubeObject): Condition | undefined {
  const conds = asObj(pod.status).conditions;
  return Array.isArray(conds) ? (conds as Condition[]).find((c) => c.type === 'Ready') : undefined;
}

export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/**
 * Ready for at least minReadySeconds (podutil.IsPodAvailable). With minReadySeconds > 0 a
 * Ready condition without lastTransitionTime never counts, as kube's zero time does not.
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: Date): boolean {
  const c = readyCondition(pod);
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  if (!c.lastTransitionTime) return false;
  return Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 < now.getTime();
}

/** Milliseconds until a ready pod turns available, or undefined when it never will by waiting. */
export function msUntilAvailable(pod: KubeObject, minReadySeconds: number, now: Date): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || minReadySeconds <= 0 || !c.lastTransitionTime) return undefined;
  const left = Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 - now.getTime();
  return left >= 0 ? left + 1 : undefined;
}

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = asObj(pod.status).phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: KubeObject): number {
  const cs = asObj(pod.status).containerStatuses;
  return Array.isArray(cs) ? cs.reduce((n: number, c) => Math.max(n, Number(asObj(c).restartCount ?? 0)), 0) : 0;
}

const time = (s: unknown): number => (typeof s === 'string' ? Date.parse(s) : 0);

/**
 * Sort comparator: pods to delete first (ActivePodsWithRanks.Less). Unscheduled before
 * scheduled; Pending, Unknown, Running; not ready before ready; more colocated replicas (rank)
 * first; ready for less time first; more restarts first; newer first.
 */
export function deletionOrder(ranks: Map<KubeObject, number> = new Map()) {
  return (a: KubeObject, b: KubeObject): number => {
    const nodeA = Boolean(asObj(a.spec).nodeName);
    const nodeB = Boolean(asObj(b.spec).nodeName);
    if (nodeA !== nodeB) return nodeA ? 1 : -1;
    const pa = PHASE_RANK[String(asObj(a.status).phase)] ?? 0;
    const pb = PHASE_RANK[String(asObj(b.status).phase)] ?? 0;
    if (pa !== pb) return pa - pb;
    const ra = isPodReady(a);
    const rb = isPodReady(b);
    if (ra !== rb) return ra ? 1 : -1;
    const ka = ranks.get(a) ?? 0;
    const kb = ranks.get(b) ?? 0;
    if (ka !== kb) return kb - ka;
    if (ra && rb) {
      const ta = time(readyCondition(a)?.lastTransitionTime);
      const tb = time(readyCondition(b)?.lastTransitionTime);
      if (ta !== tb) return tb - ta;
    }
    const xa = restarts(a);
    const xb = restarts(b);
    if (xa !== xb) return xb - xa;
    const ca = time(a.metadata.creationTimestamp);
    const cb = time(b.metadata.creationTimestamp);
    if (ca !== cb) return cb - ca;
    return (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '');
  };
}

/**
 * The `diff` pods to delete (getPodsToDelete): ranked by how many of the controller's pods
 * share their node, so a crowded node loses pods first, then by deletionOrder.
 */
export function podsToDelete(pods: KubeObject[], diff: number): KubeObject[] {
  if (diff >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const p of pods) {
    const node = String(asObj(p.spec).nodeName ?? '');
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranks = new Map<KubeObject, number>();
  for (const p of pods) ranks.set(p, perNode.get(String(asObj(p.spec).nodeName ?? '')) ?? 0);
  return [...pods].sort(deletionOrder(ranks)).slice(0, diff);
}

/** A pod from the owner's spec.template (controller.GetPodFromTemplate). */
export function podFromTemplate(owner: KubeObject, ownerRef: OwnerReference): KubeObject {
  const template = asObj(asObj(owner.spec).template);
  const meta = asObj(template.metadata);
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      ownerReferences: [ownerRef],
    },
    spec: structuredClone(template.spec ?? {}),
  };
  if (meta.labels) pod.metadata.labels = { ...(meta.labels as Record<string, string>) };
  if (meta.annotations) pod.metadata.annotations = { ...(meta.annotations as Record<string, string>) };
  if (Array.isArray(meta.finalizers)) pod.metadata.finalizers = [...(meta.finalizers as string[])];
  return pod;
}


/** The active pods (neither terminal nor being deleted) whose controller is the ReplicaSet `uid`: what its status counts. */
export function controlledActivePods(pods: KubeObject[], uid: string | undefined): KubeObject[] {
  return pods.filter((p) => isPodActive(p) && controllerRef(p)?.uid === uid);
}
