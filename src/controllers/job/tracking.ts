// Job tracking with finalizers (job_controller.go trackJobStatusAndRemoveFinalizers and
// friends): every pod a Job creates carries batch.kubernetes.io/job-tracking, so it cannot
// vanish before the Job counted it. A finished pod's uid goes to
// status.uncountedTerminatedPods first, then its finalizer is removed, then the uid moves
// from the uncounted list into status.succeeded / status.failed.
import type { KubeObject } from '../runtime/types.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

export interface UncountedTerminatedPods {
  succeeded?: string[];
  failed?: string[];
}

export function hasTrackingFinalizer(pod: KubeObject): boolean {
  return (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

/** The strategic merge patch kube sends to drop only our finalizer, leaving others in place. */
export const removeTrackingFinalizerPatch = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };

export interface Counters {
  succeeded: number;
  failed: number;
  uncountedTerminatedPods: UncountedTerminatedPods;
}

/**
 * cleanUncountedPodsWithoutFinalizers: uids whose pod no longer has our finalizer (removed,
 * or the pod is gone) are counted and leave the uncounted lists. Returns whether anything moved.
 */
export function countUncounted(status: Counters, uidsWithFinalizer: ReadonlySet<string>): boolean {
  let changed = false;
  const u = status.uncountedTerminatedPods;
  for (const key of ['succeeded', 'failed'] as const) {
    const before = u[key] ?? [];
    const kept = before.filter((uid) => uidsWithFinalizer.has(uid));
    if (kept.length !== before.length) {
      changed = true;
      status[key] += before.length - kept.length;
      if (kept.length) u[key] = kept;
      else delete u[key];
    }
  }
  return changed;
}
