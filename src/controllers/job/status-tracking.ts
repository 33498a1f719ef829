// Counting finished pods into the Job status and finishing the Job (job_controller.go
// trackJobStatusAndRemoveFinalizers, canRemoveFinalizer, flushUncountedAndRemoveFinalizers,
// enactJobFinished, recordJobFinished): a finished pod's uid is written to
// status.uncountedTerminatedPods, then its finalizer removed, then it moves into the counters;
// the interim FailureTarget / SuccessCriteriaMet condition is written before any finalizer is
// removed, and Failed / Complete only once nothing is uncounted or still terminating.
import type { Client } from '../../clients/interfaces.js';
import type { Clock } from '../runtime/clock.js';
import { EventType, type EventRecorder } from '../runtime/events.js';
import type { KubeObject } from '../runtime/types.js';
import type { BackoffRecord } from './backoff.js';
import { JobConditionType as T, setCondition } from './conditions.js';
import { phaseOf } from './counting.js';
import { formatIntervals, hasIndex, totalOf, withIndexes, type Interval } from './intervals.js';
import type { JobSpec, JobStatus } from './job-api.js';
import { hasBackoffLimitPerIndex } from './per-index.js';
import { isPodFailed, matchPodFailurePolicy } from './pod-failure-policy.js';
import type { PodControl } from './pod-control.js';
import { podCompletionIndex } from './pod-template.js';
import { countUncounted, hasTrackingFinalizer, type Counters } from './tracking.js';

const JOBS = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };

/** What one sync learned about a Job and its pods; status is the copy being written. */
export interface SyncState {
  job: KubeObject;
  spec: JobSpec;
  status: JobStatus;
  pods: KubeObject[];
  indexed: boolean;
  completions: number | null;
  /** Pods whose finalizer we removed but the cache still shows it on. */
  expectedRm: ReadonlySet<string>;
  active: KubeObject[];
  /** Pods created this sync, not in the cache yet but active. */
  created: number;
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  failedIndexes?: Interval[];
  backoff: BackoffRecord;
  /** backoffLimitPerIndex: per index, the failed pod kept until its replacement exists. */
  delayedPerIndex: Map<number, KubeObject>;
}

/** The decision the sync reached: interim condition type, reason, message; `recorded` when already in status. */
export interface Finished {
  type: typeof T.FailureTarget | typeof T.SuccessCriteriaMet;
  reason: string;
  message: string;
  recorded?: boolean;
}

export interface TrackDeps {
  client: Client;
  clock: Clock;
  podControl: PodControl;
  recorder: EventRecorder;
}

export interface TrackOutcome {
  /** Status with the newly finished pods was written (the backoff record may learn them). */
  flushed: boolean;
  /** The Job got its Complete or Failed condition. */
  finished: boolean;
}

export async function trackStatus(deps: TrackDeps, st: SyncState, finished: Finished | undefined, needsFlush: boolean): Promise<TrackOutcome> {
  const { status, spec, indexed, completions } = st;
  const validIndex = (ix: number | undefined): ix is number => ix !== undefined && ix < (completions ?? 0);
  const uidsWithFinalizer = new Set(st.pods.filter((p) => hasTrackingFinalizer(p) && !st.expectedRm.has(p.metadata.uid ?? '')).map((p) => p.metadata.uid ?? ''));
  const counters: Counters = { succeeded: status.succeeded ?? 0, failed: status.failed ?? 0, uncountedTerminatedPods: status.uncountedTerminatedPods ?? {} };
  let flush = countUncounted(counters, uidsWithFinalizer) || needsFlush;
  const uncounted = counters.uncountedTerminatedPods;

  const toRemove: KubeObject[] = [];
  const newSucceededIndexes: number[] = [];
  // Indexes are taken in order so completedIndexes grows from the lowest.
  const ordered = indexed ? [...st.pods].sort((a, b) => (podCompletionIndex(a) ?? Infinity) - (podCompletionIndex(b) ?? Infinity)) : st.pods;
  for (const pod of ordered) {
    const uid = pod.metadata.uid ?? '';
    if (!hasTrackingFinalizer(pod) || st.expectedRm.has(uid)) continue;
    const considerFailed = isPodFailed(pod, spec);
    if (!canRemoveFinalizer(st, pod, finished, considerFailed)) continue;
    toRemove.push(pod);
    const ix = podCompletionIndex(pod);
    if (phaseOf(pod) === 'Succeeded' && !uncounted.failed?.includes(uid)) {
      if (indexed) {
        // The index itself is the record: no uid needed to avoid counting it twice.
        if (validIndex(ix) && !hasIndex(st.prevSucceededIndexes, ix)) newSucceededIndexes.push(ix);
      } else if (!uncounted.succeeded?.includes(uid)) {
        (uncounted.succeeded ??= []).push(uid);
        flush = true;
      }
    } else if (considerFailed || (finished && finished.type !== T.SuccessCriteriaMet)) {
      // Once the Job has failed, every pod that did not succeed is a failure.
      if (!uncounted.failed?.includes(uid) && (!indexed || validIndex(ix)) && matchPodFailurePolicy(spec.podFailurePolicy, pod).countFailed) {
        (uncounted.failed ??= []).push(uid);
        flush = true;
      }
    }
  }
  status.succeeded = counters.succeeded;
  status.failed = counters.failed;
  status.uncountedTerminatedPods = uncounted;
  if (indexed) {
    const succeeded = withIndexes(st.succeededIndexes, newSucceededIndexes);
    const s = formatIntervals(succeeded);
    if (s !== status.completedIndexes) flush = true;
    status.completedIndexes = s;
    status.succeeded = totalOf(succeeded);
    if (hasBackoffLimitPerIndex(spec)) {
      const f = formatIntervals(st.failedIndexes ?? []);
      if (f !== status.failedIndexes) flush = true;
      status.failedIndexes = f;
    }
  }

  const now = deps.clock.now();
  if (finished && !finished.recorded) {
    status.conditions = setCondition(status.conditions ?? [], finished.type, 'True', finished.reason, finished.message, now);
    flush = true;
  }

  let job = st.job;
  let flushed = false;
  const write = async () => {
    job = await deps.client.updateStatus(JOBS, { ...job, status: structuredClone(status) });
    flush = false;
  };
  if (flush) {
    await write();
    flushed = true;
  }
  if (toRemove.length > 0) {
    const { removed, error } = await deps.podControl.removeFinalizers(toRemove, st.job);
    toRemove.forEach((p, i) => removed[i] && uidsWithFinalizer.delete(p.metadata.uid ?? ''));
    if (countUncounted(counters, uidsWithFinalizer)) flush = true;
    status.succeeded = indexed ? status.succeeded : counters.succeeded;
    status.failed = counters.failed;
    if (error) {
      // Keep what did move, then retry the rest.
      if (flush) await write();
      throw error;
    }
  }

  // enactJobFinished: not while pods are uncounted or still terminating.
  const nUncounted = (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0);
  const final = finished && nUncounted === 0 && st.terminating === 0 ? (finished.type === T.FailureTarget ? T.Failed : T.Complete) : undefined;
  if (final && finished) {
    status.conditions = setCondition(status.conditions ?? [], final, 'True', finished.reason, finished.message, now);
    if (final === T.Complete) status.completionTime = status.conditions.find((c) => c.type === T.Complete)!.lastTransitionTime;
    flush = true;
  }
  if (flush) await write();
  if (final && finished) {
    if (final === T.Complete) {
      if (completions !== null && (status.succeeded ?? 0) > completions) {
        await deps.recorder.event(job, EventType.Warning, 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      await deps.recorder.event(job, EventType.Normal, 'Completed', 'Job completed');
    } else await deps.recorder.event(job, EventType.Warning, finished.reason, finished.message);
  }
  return { flushed, finished: final !== undefined };
}

/**
 * A finalizer may go once the Job is being deleted or has its outcome, the pod succeeded, or
 * it failed (unless, with backoffLimitPerIndex, it must wait for its index's replacement).
 */
function canRemoveFinalizer(st: SyncState, pod: KubeObject, finished: Finished | undefined, considerFailed: boolean): boolean {
  if (st.job.metadata.deletionTimestamp || finished || phaseOf(pod) === 'Succeeded') return true;
  if (!considerFailed) return false;
  const ix = podCompletionIndex(pod);
  if (hasBackoffLimitPerIndex(st.spec) && ix !== undefined && st.delayedPerIndex.get(ix)?.metadata.uid === pod.metadata.uid) return false;
  return true;
}
