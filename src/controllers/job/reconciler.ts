// The Job reconciler (kube-controller-manager pkg/controller/job/job_controller.go syncJob):
// re-read the Job, sort its pods, decide whether it has met its success criteria or a failure
// (pod failure policy, backoff limits, deadline, failed indexes), create or delete pods toward
// the wanted number of active ones, then count finished pods through the tracking finalizer
// and write status, conditions and events. Pods are read from the informer cache.
import { isConflict, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import type { Cache } from '../runtime/cache.js';
import type { Clock } from '../runtime/clock.js';
import { EventType, type EventRecorder } from '../runtime/events.js';
import { rfc3339 } from '../runtime/meta.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { emptyBackoff, nextBackoff, remainingBackoff, type BackoffRecord } from './backoff.js';
import { findCondition, isConditionTrue, isJobFinished, JobConditionType as T, JobMessage, JobReason, setCondition } from './conditions.js';
import { isActive, isPodReady, isTerminating, phaseOf } from './counting.js';
import { parseIndexes, totalOf, withIndexes } from './intervals.js';
import type { JobSpec, JobStatus } from './job-api.js';
import { activePodsForRemoval, pendingIndexes, wantActive } from './manage.js';
import { failedIndexesOf, hasBackoffLimitPerIndex, podsWithDelayedDeletion, remainingIndexBackoff, replacementFailureCounts } from './per-index.js';
import { isPodFailed, matchPodFailurePolicy, onlyReplaceFailedPods } from './pod-failure-policy.js';
import { PodControl, PODS } from './pod-control.js';
import { CONTROLLER_UID_LABEL, podCompletionIndex, podFromTemplate } from './pod-template.js';
import { matchSuccessPolicy } from './success-policy.js';
import { trackStatus, type Finished, type SyncState } from './status-tracking.js';
import { hasTrackingFinalizer } from './tracking.js';

export const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
export { PODS };
/** The spec.managedBy value that means this controller (batch/v1 JobControllerName). */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

export interface JobReconcilerOptions {
  client: Client;
  clock: Clock;
  pods: Cache;
  recorder: EventRecorder;
}

export class JobReconciler implements Reconciler {
  private readonly podControl: PodControl;
  /** Per Job (namespace/name), failures since the last success, as podBackoffStore keeps them. */
  private readonly backoff = new Map<string, BackoffRecord>();

  constructor(private readonly opts: JobReconcilerOptions) {
    this.podControl = new PodControl({ client: opts.client, pods: opts.pods, recorder: opts.recorder });
  }

  async reconcile(req: Request): Promise<Result | void> {
    const { client, clock } = this.opts;
    const key = `${req.namespace}/${req.name}`;
    let job: KubeObject;
    try {
      job = await client.get(JOBS, req.name, req.namespace);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.backoff.delete(key);
      await this.releaseOrphans(req.namespace ?? '', req.name, undefined);
      return;
    }
    // spec.managedBy naming another controller hands the Job, pods and finalizers to it.
    const managedBy = (job.spec as { managedBy?: string } | undefined)?.managedBy;
    if (managedBy !== undefined && managedBy !== JOB_CONTROLLER_NAME) return;
    // Pods still naming an earlier Job of this name are orphans: nothing will count them.
    await this.releaseOrphans(req.namespace ?? '', req.name, job.metadata.uid);
    const status = structuredClone((job.status ?? {}) as JobStatus);
    if (isJobFinished(status.conditions ?? [])) {
      this.backoff.delete(key);
      this.podControl.forget(job);
      // syncOrphanPod: a finished Job's pods need no finalizer.
      const { error } = await this.podControl.removeFinalizers(this.podsOf(job).filter(hasTrackingFinalizer));
      if (error) throw error;
      return;
    }

    const spec = (job.spec ?? {}) as JobSpec;
    const now = clock.now();
    const nowMs = now.getTime();
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions ?? null;
    const suspended = spec.suspend === true;
    const perIndex = indexed && hasBackoffLimitPerIndex(spec);

    // Expectations first, so a pod arriving after the list cannot slip past them.
    const satisfied = this.podControl.satisfied(job);
    const pods = this.podsOf(job);
    const expectedRm = this.podControl.expectedRemovedFinalizers(job);
    const uncounted = { succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods?.failed ?? []) };
    // Pods still carrying our finalizer (and, in Indexed mode, a valid index) are not counted yet.
    const tracked = pods.filter((p) => {
      if (!hasTrackingFinalizer(p) || expectedRm.has(p.metadata.uid ?? '')) return false;
      const ix = podCompletionIndex(p);
      return !indexed || (ix !== undefined && ix < (completions ?? 0));
    });
    const newSucceeded = tracked.filter((p) => phaseOf(p) === 'Succeeded' && !uncounted.succeeded.has(p.metadata.uid ?? ''));
    const newFailed = tracked.filter((p) => isPodFailed(p, spec) && !uncounted.failed.has(p.metadata.uid ?? ''));
    const counted = newFailed.filter((p) => matchPodFailurePolicy(spec.podFailurePolicy, p).countFailed);

    const st: SyncState = {
      job,
      spec,
      status,
      pods,
      indexed,
      completions,
      expectedRm,
      active: pods.filter(isActive),
      created: 0,
      ready: pods.filter((p) => isActive(p) && isPodReady(p)).length,
      terminating: pods.filter(isTerminating).length,
      succeeded: (status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.size,
      failed: (status.failed ?? 0) + counted.length + uncounted.failed.size,
      prevSucceededIndexes: [],
      succeededIndexes: [],
      backoff: nextBackoff(this.backoff.get(key) ?? emptyBackoff, newSucceeded, newFailed),
      delayedPerIndex: new Map(),
    };
    const events: [EventType, string, string][] = [];
    let requeueAfter: number | undefined;
    if (!status.startTime && !suspended) status.startTime = rfc3339(now);

    let finished: Finished | undefined;
    const failureTarget = findCondition(status.conditions ?? [], T.FailureTarget);
    const successMet = findCondition(status.conditions ?? [], T.SuccessCriteriaMet);
    if (successMet?.status === 'True') finished = { type: T.SuccessCriteriaMet, reason: successMet.reason, message: successMet.message, recorded: true };
    else if (failureTarget?.status === 'True') finished = { type: T.FailureTarget, reason: failureTarget.reason, message: failureTarget.message, recorded: true };
    else {
      const failJob = pods.filter((p) => isPodFailed(p, spec)).map((p) => matchPodFailurePolicy(spec.podFailurePolicy, p).failJobMessage).find((m) => m !== undefined);
      if (failJob) finished = { type: T.FailureTarget, reason: JobReason.PodFailurePolicy, message: failJob };
      else if (st.failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(spec, pods)) {
        finished = { type: T.FailureTarget, reason: JobReason.BackoffLimitExceeded, message: JobMessage.BackoffLimitExceeded };
      } else if (spec.activeDeadlineSeconds !== undefined && status.startTime && !suspended) {
        const left = Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 - nowMs;
        if (left <= 0) finished = { type: T.FailureTarget, reason: JobReason.DeadlineExceeded, message: JobMessage.DeadlineExceeded };
        else requeueAfter = left;
      }
    }

    if (indexed && completions !== null) {
      st.prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
      st.succeededIndexes = withIndexes(st.prevSucceededIndexes, newSucceeded.map((p) => podCompletionIndex(p)!));
      st.succeeded = totalOf(st.succeededIndexes);
      if (perIndex) {
        const failedIndexes = failedIndexesOf(spec, parseIndexes(status.failedIndexes, completions), tracked, completions);
        st.failedIndexes = failedIndexes;
        const nFailed = totalOf(failedIndexes);
        if (!finished && spec.maxFailedIndexes !== undefined && nFailed > spec.maxFailedIndexes) {
          finished = { type: T.FailureTarget, reason: JobReason.MaxFailedIndexesExceeded, message: JobMessage.MaxFailedIndexesExceeded };
        } else if (!finished && nFailed > 0 && nFailed + st.succeeded >= completions) {
          finished = { type: T.FailureTarget, reason: JobReason.FailedIndexes, message: JobMessage.FailedIndexes };
        }
        const activeIndexes = new Set(st.active.map(podCompletionIndex).filter((i): i is number => i !== undefined));
        st.delayedPerIndex = podsWithDelayedDeletion(spec, tracked, { succeeded: st.succeededIndexes, failed: failedIndexes, activeIndexes }, completions);
      }
      const met = finished ? undefined : matchSuccessPolicy(spec.successPolicy, completions, st.succeededIndexes);
      if (met) finished = { type: T.SuccessCriteriaMet, reason: JobReason.SuccessPolicy, message: met };
    }

    let suspendChanged = false;
    if (finished) {
      // The Job is decided: stop what runs, keeping finalizers so those pods are counted too.
      const deleted = await this.podControl.delete(job, st.active, { keepFinalizers: true });
      st.terminating += deleted;
      st.active = [];
      st.ready = 0;
      // Not finished while pods we created or deleted may still be unseen by the cache.
      if (!satisfied) finished = undefined;
      requeueAfter = undefined;
    } else {
      let manageJobCalled = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        requeueAfter = minDefined(requeueAfter, await this.manageJob(st));
        manageJobCalled = true;
      }
      const active = st.active.length + st.created;
      const complete = completions === null ? st.succeeded > 0 && active === 0 : st.succeeded >= completions && active === 0;
      if (complete) {
        finished = { type: T.SuccessCriteriaMet, reason: JobReason.CompletionsReached, message: JobMessage.CompletionsReached };
        requeueAfter = undefined;
      } else if (manageJobCalled) {
        const conditions = status.conditions ?? [];
        if (suspended && !isConditionTrue(conditions, T.Suspended)) {
          status.conditions = setCondition(conditions, T.Suspended, 'True', JobReason.JobSuspended, JobMessage.JobSuspended, now);
          events.push([EventType.Normal, 'Suspended', 'Job suspended']);
          suspendChanged = true;
        } else if (!suspended && isConditionTrue(conditions, T.Suspended)) {
          status.conditions = setCondition(conditions, T.Suspended, 'False', JobReason.JobResumed, JobMessage.JobResumed, now);
          events.push([EventType.Normal, 'Resumed', 'Job resumed']);
          // A resumed Job restarts its clock, so activeDeadlineSeconds counts from the resume.
          status.startTime = rfc3339(now);
          suspendChanged = true;
        }
      }
    }

    const active = st.active.length + st.created;
    const needsFlush = suspendChanged || active !== status.active || st.ready !== status.ready || st.terminating !== status.terminating;
    status.active = active;
    status.ready = st.ready;
    status.terminating = st.terminating;
    let outcome;
    try {
      outcome = await trackStatus({ client, clock, podControl: this.podControl, recorder: this.opts.recorder }, st, finished, needsFlush || status.startTime !== (job.status as JobStatus | undefined)?.startTime);
    } catch (e) {
      // The Job changed (a user edit) or went away under us: sync again from what it is now.
      if (isConflict(e) || isNotFound(e)) return { requeue: true };
      throw e;
    }
    if (outcome.flushed) this.backoff.set(key, st.backoff);
    for (const [type, reason, message] of events) await this.opts.recorder.event(job, type, reason, message);
    if (outcome.finished) {
      this.backoff.delete(key);
      this.podControl.forget(job);
    }
    return requeueAfter !== undefined ? { requeueAfter } : {};
  }

  /**
   * manageJob: delete every active pod of a suspended Job, else surplus pods, else create the
   * missing ones once the backoff allows. Returns how long to wait when the backoff does not.
   */
  private async manageJob(st: SyncState): Promise<number | undefined> {
    const { job, spec, completions, indexed } = st;
    const active = st.active.length;
    if (spec.suspend === true) {
      st.terminating += await this.podControl.delete(job, st.active, { keepFinalizers: false });
      st.active = [];
      st.ready = 0;
      return undefined;
    }
    const want = wantActive({ parallelism: spec.parallelism ?? 1, completions, succeeded: st.succeeded, active });
    const toDelete = activePodsForRemoval({ pods: st.active, atLeast: Math.max(0, active - want), completions, indexed });
    if (toDelete.length > 0) {
      // Creating and deleting in one sync could fight itself: deletion goes first, alone.
      st.terminating += await this.podControl.delete(job, toDelete, { keepFinalizers: false });
      st.active = st.active.filter((p) => !toDelete.includes(p));
      st.ready = st.active.filter(isPodReady).length;
      return undefined;
    }
    // With podReplacementPolicy Failed a terminating pod still holds its place.
    const terminating = onlyReplaceFailedPods(spec) ? st.terminating : 0;
    let diff = want - terminating - active;
    if (diff <= 0) return undefined;
    const now = this.opts.clock.now().getTime();
    if (!hasBackoffLimitPerIndex(spec)) {
      const wait = remainingBackoff(st.backoff.failuresAfterLastSuccess, st.backoff.lastFailureAt, now);
      if (wait > 0) return wait;
    }
    let templates: KubeObject[];
    if (indexed) {
      const busy = onlyReplaceFailedPods(spec) ? [...st.active, ...st.pods.filter(isTerminating)] : st.active;
      let indexes = pendingIndexes({ count: diff, completions: completions ?? 0, succeeded: st.succeededIndexes, failed: st.failedIndexes ?? [], busy });
      if (hasBackoffLimitPerIndex(spec)) {
        const waits = indexes.map((i) => remainingIndexBackoff(st.delayedPerIndex.get(i), now));
        const ready = indexes.filter((_, n) => waits[n] === 0);
        if (ready.length === 0 && indexes.length > 0) return Math.min(...waits);
        indexes = ready;
      }
      templates = indexes.map((index) =>
        podFromTemplate(job, { index, annotations: hasBackoffLimitPerIndex(spec) ? replacementFailureCounts(spec, st.delayedPerIndex.get(index)) : undefined }),
      );
      diff = templates.length;
    } else templates = Array.from({ length: diff }, () => podFromTemplate(job));
    await this.podControl.create(job, templates);
    // The created pods are not in the cache yet; count them as the active pods they will be.
    st.created = diff;
    return undefined;
  }

  /** Pods this Job controls: its controller-uid label and a controller ownerReference to it. */
  private podsOf(job: KubeObject): KubeObject[] {
    const uid = job.metadata.uid ?? '';
    return this.opts.pods
      .list({ namespace: job.metadata.namespace ?? '', labelSelector: { [CONTROLLER_UID_LABEL]: uid } })
      .filter((p) => (p.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid));
  }

  /** syncOrphanPod: drop our finalizer from pods whose controlling Job `name` is gone (any uid but `keepUid`). */
  private async releaseOrphans(namespace: string, name: string, keepUid: string | undefined): Promise<void> {
    const orphans = this.opts.pods.list({ namespace }).filter((p) => {
      if (!hasTrackingFinalizer(p)) return false;
      const ref = (p.metadata.ownerReferences ?? []).find((r) => r.controller === true);
      return ref?.kind === 'Job' && ref.apiVersion === 'batch/v1' && ref.name === name && ref.uid !== keepUid;
    });
    if (orphans.length === 0) return;
    const { error } = await this.podControl.removeFinalizers(orphans);
    if (error) throw error;
  }
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure, container restarts count as failures. */
function pastBackoffLimitOnFailure(spec: JobSpec, pods: KubeObject[]): boolean {
  if (spec.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (phaseOf(p) !== 'Running' && phaseOf(p) !== 'Pending') continue;
    const s = (p.status ?? {}) as { containerStatuses?: { restartCount?: number }[]; initContainerStatuses?: { restartCount?: number }[] };
    for (const c of [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? [])]) restarts += c.restartCount ?? 0;
  }
  const limit = spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
