// Pod-failure backoff (backoff_utils.go): a replacement after N failures since the last
// success waits 10s * 2^(N-1), at most 6 minutes, counted from when the last failed pod
// finished. The record only learns of pods once the Job status has counted them.
import type { KubeObject } from '../runtime/types.js';
import { podFinishedAt } from './pod-failure-policy.js';

export const DEFAULT_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 6 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureAt?: number;
}

export const emptyBackoff: BackoffRecord = { failuresAfterLastSuccess: 0 };

/**
 * newBackoffRecord: failures add to the streak; a success resets it, keeping only the new
 * failures that finished after the latest success.
 */
export function nextBackoff(rec: BackoffRecord, newSucceeded: KubeObject[], newFailed: KubeObject[]): BackoffRecord {
  if (newSucceeded.length === 0 && newFailed.length === 0) return rec;
  const failedAt = newFailed.map(podFinishedAt);
  if (newSucceeded.length === 0) {
    return { failuresAfterLastSuccess: rec.failuresAfterLastSuccess + newFailed.length, lastFailureAt: Math.max(rec.lastFailureAt ?? -Infinity, ...failedAt) };
  }
  const lastSuccess = Math.max(...newSucceeded.map(podFinishedAt));
  const after = failedAt.filter((t) => t > lastSuccess);
  return after.length === 0 ? { failuresAfterLastSuccess: 0 } : { failuresAfterLastSuccess: after.length, lastFailureAt: Math.max(...after) };
}

export function backoffDelay(failures: number): number {
  if (failures <= 0) return 0;
  const exp = Math.min(failures - 1, 30);
  return Math.min(DEFAULT_BACKOFF_MS * 2 ** exp, MAX_BACKOFF_MS);
}

/** getRemainingTimeForFailuresCount: milliseconds before a new pod may be created; 0 when now. */
export function remainingBackoff(failures: number, lastFailureAt: number | undefined, now: number): number {
  if (failures <= 0 || lastFailureAt === undefined) return 0;
  const delay = backoffDelay(failures);
  const elapsed = now - lastFailureAt;
  // A failure time in the future (clock skew) waits the whole delay, as kube does.
  if (elapsed < 0) return delay;
  return Math.max(0, delay - elapsed);
}
