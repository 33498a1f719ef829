// Sorting a Job's pods by where they are in their life (pkg/controller controller_utils.go
// FilterActivePods, CountTerminatingPods, ActivePods ordering; podutil.IsPodReady).
import type { KubeObject } from '../runtime/types.js';

export function phaseOf(pod: KubeObject): string | undefined {
  return (pod.status as { phase?: string } | undefined)?.phase;
}

const isTerminal = (pod: KubeObject) => phaseOf(pod) === 'Succeeded' || phaseOf(pod) === 'Failed';

export function isPodReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Active: not finished and not being deleted. */
export function isActive(pod: KubeObject): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

/** Terminating: being deleted and not yet finished (status.terminating). */
export function isTerminating(pod: KubeObject): boolean {
  return !isTerminal(pod) && pod.metadata.deletionTimestamp !== undefined;
}

/**
 * The order kube deletes surplus pods in (controller.ActivePods): unscheduled before
 * scheduled, Pending before Running, not ready before ready, then the newest first.
 */
export function byDeletionPreference(a: KubeObject, b: KubeObject): number {
  const scheduled = (p: KubeObject) => Number(Boolean((p.spec as { nodeName?: string } | undefined)?.nodeName));
  const rank = (p: KubeObject) => ({ Pending: 0, Running: 2 } as Record<string, number>)[phaseOf(p) ?? 'Pending'] ?? 1;
  return (
    scheduled(a) - scheduled(b) ||
    rank(a) - rank(b) ||
    Number(isPodReady(a)) - Number(isPodReady(b)) ||
    (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')
  );
}
