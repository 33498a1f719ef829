// The batch/v1 Job fields the controller reads and writes.
import type { JobCondition } from './conditions.js';
import type { PodFailurePolicy } from './pod-failure-policy.js';
import type { SuccessPolicy } from './success-policy.js';
import type { UncountedTerminatedPods } from './tracking.js';

export interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  activeDeadlineSeconds?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  podFailurePolicy?: PodFailurePolicy;
  successPolicy?: SuccessPolicy;
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
  template?: { spec?: { restartPolicy?: string } };
}

export interface JobStatus {
  active?: number;
  ready?: number;
  terminating?: number;
  succeeded?: number;
  failed?: number;
  startTime?: string;
  completionTime?: string;
  completedIndexes?: string;
  failedIndexes?: string;
  conditions?: JobCondition[];
  uncountedTerminatedPods?: UncountedTerminatedPods;
}
