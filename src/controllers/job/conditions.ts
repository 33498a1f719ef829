// Job conditions as kube writes them (job_controller.go newCondition / ensureJobConditionStatus;
// the reasons and messages are batch/v1's JobReason constants and their fixed messages).
import { rfc3339 } from '../runtime/meta.js';

export interface JobCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export const JobConditionType = {
  Complete: 'Complete',
  Failed: 'Failed',
  FailureTarget: 'FailureTarget',
  SuccessCriteriaMet: 'SuccessCriteriaMet',
  Suspended: 'Suspended',
} as const;

export const JobReason = {
  CompletionsReached: 'CompletionsReached',
  BackoffLimitExceeded: 'BackoffLimitExceeded',
  DeadlineExceeded: 'DeadlineExceeded',
  JobSuspended: 'JobSuspended',
  JobResumed: 'JobResumed',
  PodFailurePolicy: 'PodFailurePolicy',
  FailedIndexes: 'FailedIndexes',
  MaxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  SuccessPolicy: 'SuccessPolicy',
} as const;

export const JobMessage = {
  CompletionsReached: 'Reached expected number of succeeded pods',
  BackoffLimitExceeded: 'Job has reached the specified backoff limit',
  DeadlineExceeded: 'Job was active longer than specified deadline',
  JobSuspended: 'Job suspended',
  JobResumed: 'Job resumed',
  FailedIndexes: 'Job has failed indexes',
  MaxFailedIndexesExceeded: 'Job has exceeded the specified maximal number of failed indexes',
} as const;


export function findCondition(conditions: JobCondition[], type: string): JobCondition | undefined {
  return conditions.find((c) => c.type === type);
}

export function isConditionTrue(conditions: JobCondition[], type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * Set a condition, returning a new list: a condition already in that status with the same
 * reason and message is left alone; a changed one is replaced in place with fresh times.
 */
export function setCondition(
  conditions: JobCondition[],
  type: string,
  status: JobCondition['status'],
  reason: string,
  message: string,
  now: Date,
): JobCondition[] {
  const existing = findCondition(conditions, type);
  if (existing && existing.status === status && existing.reason === reason && existing.message === message) return conditions;
  const t = rfc3339(now);
  const next: JobCondition = { type, status, lastProbeTime: t, lastTransitionTime: existing?.status === status ? existing.lastTransitionTime : t, reason, message };
  return existing ? conditions.map((c) => (c === existing ? next : c)) : [...conditions, next];
}

/** A Job is finished once Complete or Failed is True (job_controller.go IsJobFinished). */
export function isJobFinished(conditions: JobCondition[]): boolean {
  return isConditionTrue(conditions, JobConditionType.Complete) || isConditionTrue(conditions, JobConditionType.Failed);
}
