// backoffLimitPerIndex (indexed_job_utils.go calculateFailedIndexes, isIndexFailed,
// getPodsWithDelayedDeletionPerIndex, getNewIndexFailureCounts; backoff_utils.go
// getRemainingTimePerIndex): each index has its own failure budget, carried from a failed pod
// to its replacement in the job-index-failure-count annotation. The failed pod keeps its
// finalizer until the replacement exists, so the count is never lost.
import type { KubeObject } from '../runtime/types.js';
import { remainingBackoff } from './backoff.js';
import { hasIndex, withIndexes, type Interval, type Intervals } from './intervals.js';
import type { JobSpec } from './job-api.js';
import { isPodFailed, matchPodFailurePolicy, podFinishedAt } from './pod-failure-policy.js';
import { podCompletionIndex } from './pod-template.js';

export const INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
export const INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';

export function hasBackoffLimitPerIndex(spec: JobSpec): boolean {
  return spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null;
}

/** An annotation as a count; missing, unparsable or out-of-range values read as 0. */
function countAnnotation(pod: KubeObject, key: string): number {
  const v = pod.metadata.annotations?.[key];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  const n = Number(v);
  return n > 2147483647 ? 0 : n;
}

export const indexFailureCount = (pod: KubeObject) => countAnnotation(pod, INDEX_FAILURE_COUNT);
const absoluteFailureCount = (pod: KubeObject) => countAnnotation(pod, INDEX_FAILURE_COUNT) + countAnnotation(pod, INDEX_IGNORED_FAILURE_COUNT);

/** A failed pod fails its index when a FailIndex rule matched or the index used up its budget. */
export function isIndexFailed(spec: JobSpec, pod: KubeObject): boolean {
  if (!isPodFailed(pod, spec)) return false;
  const match = matchPodFailurePolicy(spec.podFailurePolicy, pod);
  if (match.action === 'FailIndex') return true;
  return match.countFailed && indexFailureCount(pod) >= (spec.backoffLimitPerIndex ?? 0);
}

/** status.failedIndexes plus the indexes of uncounted pods (still finalized) that failed them. */
export function failedIndexesOf(spec: JobSpec, previous: Intervals, uncountedPods: KubeObject[], completions: number): Interval[] {
  const failed: number[] = [];
  for (const p of uncountedPods) {
    const ix = podCompletionIndex(p);
    if (ix !== undefined && ix < completions && isIndexFailed(spec, p)) failed.push(ix);
  }
  return withIndexes(previous, failed);
}

export interface IndexState {
  succeeded: Intervals;
  failed: Intervals;
  activeIndexes: ReadonlySet<number>;
}

/**
 * For each index with no running, succeeded or failed outcome, the latest failed pod still
 * tracked: it is what the replacement's failure count and backoff derive from.
 */
export function podsWithDelayedDeletion(spec: JobSpec, uncountedPods: KubeObject[], state: IndexState, completions: number): Map<number, KubeObject> {
  const out = new Map<number, KubeObject>();
  for (const p of uncountedPods) {
    if (!isPodFailed(p, spec)) continue;
    const ix = podCompletionIndex(p);
    if (ix === undefined || ix >= completions) continue;
    if (hasIndex(state.succeeded, ix) || hasIndex(state.failed, ix) || state.activeIndexes.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (absoluteFailureCount(last) <= absoluteFailureCount(p) && podFinishedAt(p) >= podFinishedAt(last))) out.set(ix, p);
  }
  return out;
}

/** The failure-count annotations of a replacement for `replaced` (none replaced: both 0). */
export function replacementFailureCounts(spec: JobSpec, replaced: KubeObject | undefined): Record<string, string> {
  if (!replaced) return { [INDEX_FAILURE_COUNT]: '0' };
  let failures = indexFailureCount(replaced);
  let ignored = countAnnotation(replaced, INDEX_IGNORED_FAILURE_COUNT);
  if (matchPodFailurePolicy(spec.podFailurePolicy, replaced).countFailed) failures++;
  else ignored++;
  const out: Record<string, string> = { [INDEX_FAILURE_COUNT]: String(failures) };
  if (ignored > 0) out[INDEX_IGNORED_FAILURE_COUNT] = String(ignored);
  return out;
}

/** How long the index of `replaced` still waits before a replacement: its own exponential backoff. */
export function remainingIndexBackoff(replaced: KubeObject | undefined, now: number): number {
  if (!replaced) return 0;
  return remainingBackoff(absoluteFailureCount(replaced) + 1, podFinishedAt(replaced), now);
}
