// The scheduler's filter and score plugins, as pure functions (kube-scheduler's NodeUnschedulable,
// NodeName, NodeAffinity (nodeSelector part), TaintToleration, NodeResourcesFit, and the
// NodeResourcesFit LeastAllocated score), plus the FitError message the scheduler reports.
import { quantityValue } from '../../apimachinery/quantity.js';
import type { KubeObject } from '../runtime/types.js';

type Obj = Record<string, any>;

export interface Resources {
  cpu: number; // millicores
  memory: number; // bytes
  pods: number;
}

/** A resource.Quantity ("100m", "1.5Gi", "2e3") as a number of base units; 0 when it does not parse. */
export function parseQuantity(q: unknown): number {
  return quantityValue(q) ?? 0;
}

/**
 * What a pod asks for (computePodResourceRequest): the sum over containers, or the largest
 * init container if more; containers without requests count as zero for the fit check.
 */
export function podRequests(pod: KubeObject): Resources {
  const spec = (pod.spec ?? {}) as Obj;
  const of = (c: Obj) => {
    const r = (c.resources?.requests ?? {}) as Obj;
    return { cpu: parseQuantity(r.cpu) * 1000, memory: parseQuantity(r.memory) };
  };
  const sum = { cpu: 0, memory: 0, pods: 1 };
  for (const c of (spec.containers ?? []) as Obj[]) {
    const r = of(c);
    sum.cpu += r.cpu;
    sum.memory += r.memory;
  }
  for (const c of (spec.initContainers ?? []) as Obj[]) {
    const r = of(c);
    sum.cpu = Math.max(sum.cpu, r.cpu);
    sum.memory = Math.max(sum.memory, r.memory);
  }
  return sum;
}

export function allocatable(node: KubeObject): Resources {
  const a = ((node.status as Obj | undefined)?.allocatable ?? {}) as Obj;
  return { cpu: parseQuantity(a.cpu) * 1000, memory: parseQuantity(a.memory), pods: parseQuantity(a.pods) };
}

function tolerates(tolerations: Obj[], taint: Obj): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/**
 * Why the pod cannot go to this node, in the scheduler's own words (one reason per failing
 * plugin, the first failing one only, as the framework stops at the first filter that fails).
 */
export function unfitReasons(pod: KubeObject, node: KubeObject, requested: Resources): string[] {
  const spec = (pod.spec ?? {}) as Obj;
  const nodeSpec = (node.spec ?? {}) as Obj;
  const ready = ((node.status as Obj | undefined)?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
  if (!ready || ready.status !== 'True') return ["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"];
  if (nodeSpec.unschedulable === true && !tolerates(spec.tolerations ?? [], { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return ['node(s) were unschedulable'];
  }
  const labels = node.metadata.labels ?? {};
  const selector = (spec.nodeSelector ?? {}) as Record<string, string>;
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return ["node(s) didn't match Pod's node affinity/selector"];
  const taint = ((nodeSpec.taints ?? []) as Obj[]).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(spec.tolerations ?? [], t));
  if (taint) return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`];
  const want = podRequests(pod);
  const cap = allocatable(node);
  const out: string[] = [];
  if (requested.pods + 1 > cap.pods) out.push('Too many pods');
  if (want.cpu > 0 && requested.cpu + want.cpu > cap.cpu) out.push('Insufficient cpu');
  if (want.memory > 0 && requested.memory + want.memory > cap.memory) out.push('Insufficient memory');
  return out;
}

/** NodeResourcesFit LeastAllocated: 0-100, more free cpu and memory after placing the pod scores higher. */
export function leastAllocatedScore(pod: KubeObject, node: KubeObject, requested: Resources): number {
  const want = podRequests(pod);
  const cap = allocatable(node);
  // Pods with no requests count as 100m cpu and 200Mi memory when scoring (non-zero defaults).
  const cpu = requested.cpu + (want.cpu || 100);
  const mem = requested.memory + (want.memory || 200 * 2 ** 20);
  const free = (used: number, total: number) => (total <= 0 ? 0 : Math.max(0, ((total - used) * 100) / total));
  return (free(cpu, cap.cpu) + free(mem, cap.memory)) / 2;
}

/**
 * FitError.Error(): "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match
 * Pod's node affinity/selector." with reasons counted and sorted, then the preemption note.
 */
export function fitErrorMessage(total: number, reasonsByNode: string[][]): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const counts = new Map<string, number>();
  for (const reasons of reasonsByNode) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}
