// The Job reconciler (kube-controller-manager pkg/controller/job/job_controller.go syncJob):
// re-read the Job, count its pods, create or delete pods toward the wanted number of active
// ones, and write status and conditions. Pods are read from the informer cache; expectations
// keep a cache that has not yet seen our own writes from causing duplicate creates.
import { isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import { OWNER_UID_INDEX, type Cache } from '../runtime/cache.js';
import type { Clock } from '../runtime/clock.js';
import { EventType, type EventRecorder } from '../runtime/events.js';
import { rfc3339 } from '../runtime/meta.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { emptyBackoff, observeBackoff, remainingBackoff, type BackoffRecord } from './backoff.js';
import {
  findCondition, isConditionTrue, isJobFinished, JobConditionType as T, JobMessage, JobReason, setCondition, type JobCondition,
} from './conditions.js';
import { countPods, formatIndexes, indexesOf, missingIndexes } from './counting.js';
import { CONTROLLER_UID_LABEL, podCompletionIndex, podFromTemplate } from './pod-template.js';

export const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };

interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
}

interface JobStatus {
  active?: number;
  ready?: number;
  succeeded?: number;
  failed?: number;
  startTime?: string;
  completionTime?: string;
  completedIndexes?: string;
  conditions?: JobCondition[];
  uncountedTerminatedPods?: Record<string, unknown>;
}

export interface JobReconcilerOptions {
  client: Client;
  clock: Clock;
  pods: Cache;
  recorder: EventRecorder;
}

interface Expectations {
  adds: Set<string>;
  deletes: Set<string>;
}

export class JobReconciler implements Reconciler {
  private readonly expectations = new Map<string, Expectations>();
  private readonly backoff = new Map<string, BackoffRecord>();

  constructor(private readonly opts: JobReconcilerOptions) {}

  async reconcile(req: Request): Promise<Result | void> {
    const { client, clock } = this.opts;
    let job: KubeObject;
    try {
      job = await client.get(JOBS, req.name, req.namespace);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      return;
    }
    const uid = job.metadata.uid ?? '';
    if (job.metadata.deletionTimestamp) return;
    const status = (job.status ?? {}) as JobStatus;
    const oldConditions = status.conditions ?? [];
    if (isJobFinished(oldConditions)) {
      this.forget(uid);
      return;
    }
    // Our own creates and deletes not yet in the cache: its event will wake us again.
    if (!this.expectationsMet(uid)) return;

    const spec = (job.spec ?? {}) as JobSpec;
    const now = clock.now();
    const nowMs = now.getTime();
    const indexed = spec.completionMode === 'Indexed';
    const parallelism = spec.parallelism ?? 1;
    const completions = spec.completions ?? null;
    const backoffLimit = spec.backoffLimit ?? 6;
    const suspended = spec.suspend === true;

    const pods = this.podsOf(job);
    const counts = countPods(pods);
    const succeededIndexes = indexed && completions !== null ? indexesOf(counts.succeeded, completions) : [];
    const succeeded = indexed ? succeededIndexes.length : counts.succeeded.length;
    const failed = counts.failed.length;
    const rec = observeBackoff(this.backoff.get(uid) ?? emptyBackoff, failed, counts.succeeded.length, nowMs);
    this.backoff.set(uid, rec);

    let conditions = oldConditions;
    let startTime = status.startTime;
    let completionTime = status.completionTime;
    let active = counts.active;
    let requeueAfter: number | undefined;
    const events: [EventType, string, string][] = [];

    // A resumed Job restarts its clock, so activeDeadlineSeconds counts from the resume.
    if (!suspended && isConditionTrue(conditions, T.Suspended)) {
      conditions = setCondition(conditions, T.Suspended, 'False', JobReason.JobResumed, JobMessage.JobResumed, now);
      startTime = rfc3339(now);
      events.push([EventType.Normal, 'Resumed', 'Job resumed']);
    }
    if (!suspended && !startTime) startTime = rfc3339(now);

    // Failure: an existing FailureTarget, too many failures, or past the deadline.
    let failure: { reason: string; message: string } | undefined;
    const target = findCondition(conditions, T.FailureTarget);
    if (target?.status === 'True') failure = { reason: target.reason, message: target.message };
    else if (failed > backoffLimit) failure = { reason: JobReason.BackoffLimitExceeded, message: JobMessage.BackoffLimitExceeded };
    else if (spec.activeDeadlineSeconds !== undefined && startTime && !suspended) {
      const left = Date.parse(startTime) + spec.activeDeadlineSeconds * 1000 - nowMs;
      if (left <= 0) failure = { reason: JobReason.DeadlineExceeded, message: JobMessage.DeadlineExceeded };
      else requeueAfter = left;
    }

    const complete = !failure && this.isComplete(completions, succeeded, counts.succeeded.length, active.length);
    if (failure) {
      conditions = setCondition(conditions, T.FailureTarget, 'True', failure.reason, failure.message, now);
      active = await this.deletePods(job, active);
      if (active.length === 0) {
        conditions = setCondition(conditions, T.Failed, 'True', failure.reason, failure.message, now);
        events.push([EventType.Warning, failure.reason, failure.message]);
      }
      requeueAfter = undefined;
    } else if (complete) {
      active = await this.deletePods(job, active);
      conditions = setCondition(conditions, T.SuccessCriteriaMet, 'True', JobReason.CompletionsReached, JobMessage.CompletionsReached, now);
      if (active.length === 0) {
        conditions = setCondition(conditions, T.Complete, 'True', JobReason.CompletionsReached, JobMessage.CompletionsReached, now);
        completionTime = rfc3339(now);
        events.push([EventType.Normal, 'Completed', 'Job completed']);
      }
      requeueAfter = undefined;
    } else if (suspended) {
      active = await this.deletePods(job, active);
      if (!isConditionTrue(conditions, T.Suspended)) {
        conditions = setCondition(conditions, T.Suspended, 'True', JobReason.JobSuspended, JobMessage.JobSuspended, now);
        events.push([EventType.Normal, 'Suspended', 'Job suspended']);
      }
    } else {
      const want = this.wantActive(parallelism, completions, succeeded, counts.succeeded.length);
      if (active.length > want) {
        // Drop the newest pods first, as kube's ActivePods ordering prefers keeping older ones.
        const extra = [...active].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')).slice(0, active.length - want);
        await this.deletePods(job, extra);
        active = active.filter((p) => !extra.includes(p));
      } else if (active.length < want) {
        const wait = remainingBackoff(rec, nowMs);
        if (wait > 0) requeueAfter = Math.min(requeueAfter ?? wait, wait);
        else active = [...active, ...(await this.createPods(job, want - active.length, indexed ? this.freeIndexes(completions ?? 0, succeededIndexes, active, want - active.length) : undefined))];
      }
    }

    const next: JobStatus = {
      ...status,
      active: active.length,
      ready: counts.ready,
      succeeded,
      failed,
      uncountedTerminatedPods: {},
    };
    if (startTime) next.startTime = startTime;
    if (completionTime) next.completionTime = completionTime;
    if (conditions.length) next.conditions = conditions;
    if (indexed) next.completedIndexes = formatIndexes(succeededIndexes);
    await this.writeStatus(job, status, next);
    for (const [type, reason, message] of events) await this.opts.recorder.event(job, type, reason, message);
    if (isJobFinished(conditions)) this.forget(uid);
    return requeueAfter !== undefined ? { requeueAfter } : {};
  }

  /** NonIndexed with completions: enough pods succeeded; without: one did and none runs. */
  private isComplete(completions: number | null, succeeded: number, succeededPods: number, active: number): boolean {
    if (completions === null) return succeededPods > 0 && active === 0;
    return succeeded >= completions;
  }

  private wantActive(parallelism: number, completions: number | null, succeeded: number, succeededPods: number): number {
    if (completions === null) return succeededPods > 0 ? 0 : parallelism;
    return Math.max(0, Math.min(parallelism, completions - succeeded));
  }

  private freeIndexes(completions: number, succeeded: number[], active: KubeObject[], want: number): number[] {
    const taken = new Set<number>(succeeded);
    for (const p of active) {
      const i = podCompletionIndex(p);
      if (i !== undefined) taken.add(i);
    }
    return missingIndexes(completions, taken, want);
  }

  /** Pods this Job controls: its controller-uid label and a controller ownerReference to it. */
  private podsOf(job: KubeObject): KubeObject[] {
    const uid = job.metadata.uid ?? '';
    return this.opts.pods
      .list({ namespace: job.metadata.namespace ?? '', labelSelector: { [CONTROLLER_UID_LABEL]: uid } })
      .filter((p) => (p.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid));
  }

  private async createPods(job: KubeObject, n: number, indexes: number[] | undefined): Promise<KubeObject[]> {
    const exp = this.expect(job.metadata.uid ?? '');
    const templates = indexes ? indexes.map((i) => podFromTemplate(job, i)) : Array.from({ length: n }, () => podFromTemplate(job));
    const created = await Promise.all(
      templates.map(async (t) => {
        const pod = await this.opts.client.create(PODS, t);
        exp.adds.add(pod.metadata.name ?? '');
        await this.opts.recorder.event(job, EventType.Normal, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        return pod;
      }),
    );
    return created;
  }

  /** Delete pods and return what is left active: nothing (a failed delete throws and requeues). */
  private async deletePods(job: KubeObject, pods: KubeObject[]): Promise<KubeObject[]> {
    const exp = this.expect(job.metadata.uid ?? '');
    await Promise.all(
      pods.map(async (p) => {
        const name = p.metadata.name ?? '';
        try {
          await this.opts.client.delete(PODS, name, p.metadata.namespace);
          exp.deletes.add(name);
          await this.opts.recorder.event(job, EventType.Normal, 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }),
    );
    return [];
  }

  private async writeStatus(job: KubeObject, old: JobStatus, next: JobStatus): Promise<void> {
    if (JSON.stringify(sortKeys(old)) === JSON.stringify(sortKeys(next))) return;
    await this.opts.client.patch(JOBS, job.metadata.name ?? '', { status: next }, 'merge', {
      namespace: job.metadata.namespace,
      subresource: 'status',
    });
  }

  private expect(uid: string): Expectations {
    let e = this.expectations.get(uid);
    if (!e) this.expectations.set(uid, (e = { adds: new Set(), deletes: new Set() }));
    return e;
  }

  /** Every pod we created is in the cache and every pod we deleted has left it. */
  private expectationsMet(uid: string): boolean {
    const e = this.expectations.get(uid);
    if (!e) return true;
    const seen = new Set(this.opts.pods.byIndex(OWNER_UID_INDEX, uid).map((p) => p.metadata.name ?? ''));
    for (const n of e.adds) if (seen.has(n)) e.adds.delete(n);
    for (const n of e.deletes) if (!seen.has(n)) e.deletes.delete(n);
    return e.adds.size === 0 && e.deletes.size === 0;
  }

  private forget(uid: string): void {
    this.expectations.delete(uid);
    this.backoff.delete(uid);
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
  }
  return v;
}
