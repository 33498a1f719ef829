// Pod-failure backoff (job_controller.go + backoff_utils.go): a replacement after N consecutive
// failures waits 10s * 2^(N-1), at most 6 minutes, counted from the last failure.
export const DEFAULT_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 6 * 60_000;

export interface BackoffRecord {
  /** Failed and succeeded pods last seen, to notice new ones. */
  failed: number;
  succeeded: number;
  /** Failures since the last success. */
  consecutiveFailures: number;
  lastFailureAt?: number;
}

export const emptyBackoff: BackoffRecord = { failed: 0, succeeded: 0, consecutiveFailures: 0 };

/** The record after observing these counts at `now` (a success resets the streak). */
export function observeBackoff(rec: BackoffRecord, failed: number, succeeded: number, now: number): BackoffRecord {
  let { consecutiveFailures, lastFailureAt } = rec;
  if (succeeded > rec.succeeded) consecutiveFailures = 0;
  if (failed > rec.failed) {
    consecutiveFailures += failed - rec.failed;
    lastFailureAt = now;
  }
  return { failed, succeeded, consecutiveFailures, lastFailureAt };
}

export function backoffDelay(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return 0;
  const exp = Math.min(consecutiveFailures - 1, 30);
  return Math.min(DEFAULT_BACKOFF_MS * 2 ** exp, MAX_BACKOFF_MS);
}

/** Milliseconds before a new pod may be created; 0 when it may be now. */
export function remainingBackoff(rec: BackoffRecord, now: number): number {
  if (rec.lastFailureAt === undefined) return 0;
  return Math.max(0, rec.lastFailureAt + backoffDelay(rec.consecutiveFailures) - now);
}
