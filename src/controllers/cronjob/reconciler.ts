// The CronJob reconciler (kube-controller-manager pkg/controller/cronjob/cronjob_controllerv2.go
// syncCronJob): reconcile status.active with the Jobs this CronJob controls, clean up finished
// Jobs past the history limits, then create the Job for the most recent unmet schedule time,
// honouring suspend, startingDeadlineSeconds and concurrencyPolicy; requeue for the next time.
import { newControllerRef, rfc3339 } from '../runtime/meta.js';
import { getIfExists, isAlreadyExists, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import type { Clock } from '../runtime/clock.js';
import { EventType, type EventRecorder, type ObjectReference } from '../runtime/events.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { formatScheduledTimestamp, jobNameFor, mostRecentScheduleTime, nextScheduleDelay, parseSchedule, type Schedule } from './schedule.js';

export const CRONJOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true };
export const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

interface CronJobSpec {
  schedule?: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
}

interface CronJobStatus {
  active?: ObjectReference[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

interface Condition {
  type: string;
  status: string;
}

export interface CronJobReconcilerOptions {
  client: Client;
  clock: Clock;
  recorder: EventRecorder;
}

const conditionsOf = (j: KubeObject) => ((j.status as { conditions?: Condition[] } | undefined)?.conditions ?? []);
const hasTrue = (j: KubeObject, type: string) => conditionsOf(j).some((c) => c.type === type && c.status === 'True');
/** kube IsJobFinished: a Complete or Failed condition that is True. */
export const finishedType = (j: KubeObject): 'Complete' | 'Failed' | undefined =>
  hasTrue(j, 'Complete') ? 'Complete' : hasTrue(j, 'Failed') ? 'Failed' : undefined;

export class CronJobReconciler implements Reconciler {
  constructor(private readonly opts: CronJobReconcilerOptions) {}

  async reconcile(req: Request): Promise<Result | void> {
    const { client, clock, recorder } = this.opts;
    const cj = await getIfExists(client, CRONJOBS, req.name, req.namespace);
    if (!cj) return;
    if (cj.metadata.deletionTimestamp) return;
    const spec = (cj.spec ?? {}) as CronJobSpec;
    const old = (cj.status ?? {}) as CronJobStatus;
    const status: CronJobStatus = { ...old, active: [...(old.active ?? [])] };
    const jobs = await this.jobsOf(cj);

    // Reconcile status.active with the Jobs that exist (syncCronJob's first loop).
    const byUid = new Map(jobs.map((j) => [j.metadata.uid ?? '', j]));
    for (const j of jobs) {
      const inActive = status.active!.some((r) => r.uid === j.metadata.uid);
      const finished = finishedType(j);
      if (!inActive && !finished) {
        status.active!.push(jobRef(j));
      } else if (inActive && finished) {
        status.active = status.active!.filter((r) => r.uid !== j.metadata.uid);
        await recorder.event(cj, EventType.Normal, 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${finished}`);
      }
      if (finished === 'Complete') {
        const ct = (j.status as { completionTime?: string } | undefined)?.completionTime;
        if (ct && (!status.lastSuccessfulTime || Date.parse(ct) > Date.parse(status.lastSuccessfulTime))) status.lastSuccessfulTime = ct;
      }
    }
    // Active references to Jobs that no longer exist are dropped (kube: MissingJob).
    for (const r of status.active!) {
      if (!byUid.has(r.uid ?? '')) await recorder.event(cj, EventType.Normal, 'MissingJob', `Active job went missing: ${r.name}`);
    }
    status.active = status.active!.filter((r) => byUid.has(r.uid ?? ''));

    await this.cleanupFinishedJobs(cj, spec, jobs);
    const result = await this.schedule(cj, spec, status);
    await this.writeStatus(cj, old, status);
    return result;
  }

  /** Create the Job for the most recent unmet schedule time, if due; says when to look again. */
  private async schedule(cj: KubeObject, spec: CronJobSpec, status: CronJobStatus): Promise<Result> {
    const { clock, recorder } = this.opts;
    if (spec.suspend) return {};
    let sched: Schedule;
    try {
      sched = parseSchedule(spec.schedule ?? '', spec.timeZone);
    } catch (e) {
      if (spec.timeZone) {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: spec.timeZone });
        } catch {
          await recorder.event(cj, EventType.Warning, 'UnknownTimeZone', `invalid timeZone: "${spec.timeZone}": ${String(e)}`);
          return {};
        }
      }
      await recorder.event(cj, EventType.Warning, 'UnparseableSchedule', `unparseable schedule: "${spec.schedule}" : ${(e as Error).message}`);
      return {};
    }
    const now = clock.now();
    const earliest = new Date(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? now.toISOString());
    const { mostRecent, missed } = mostRecentScheduleTime(sched, earliest, now, spec.startingDeadlineSeconds);
    const requeue = (): Result => {
      const d = nextScheduleDelay(sched, clock.now());
      return d !== undefined ? { requeueAfter: d } : {};
    };
    if (missed > 100) {
      await recorder.event(cj, EventType.Warning, 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    if (!mostRecent) return requeue();
    const sds = spec.startingDeadlineSeconds;
    if (sds !== undefined && sds !== null && mostRecent.getTime() + sds * 1000 < now.getTime()) {
      await recorder.event(cj, EventType.Warning, 'MissSchedule', `Missed scheduled time to start a job: ${rfc3339(mostRecent)}`);
      return requeue();
    }
    const name = jobNameFor(cj.metadata.name ?? '', mostRecent);
    if (status.active!.some((r) => r.name === name)) return requeue();
    if (spec.concurrencyPolicy === 'Forbid' && status.active!.length > 0) {
      await recorder.event(cj, EventType.Normal, 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return requeue();
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const r of [...status.active!]) {
        await this.deleteJob(cj, r.name ?? '');
        status.active = status.active!.filter((a) => a.uid !== r.uid);
      }
    }
    let job: KubeObject;
    try {
      job = await this.opts.client.create(JOBS, jobFromTemplate(cj, spec, mostRecent, name));
      await recorder.event(cj, EventType.Normal, 'SuccessfulCreate', `Created job ${name}`);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      // Created on an earlier pass whose status write was lost: adopt it when it is ours.
      job = await this.opts.client.get(JOBS, name, cj.metadata.namespace);
      const ours = (job.metadata.ownerReferences ?? []).some((o) => o.controller === true && o.uid === cj.metadata.uid);
      if (!ours) return requeue();
    }
    if (!finishedType(job) && !status.active!.some((r) => r.uid === job.metadata.uid)) status.active!.push(jobRef(job));
    status.lastScheduleTime = rfc3339(mostRecent);
    return requeue();
  }

  /** Delete finished Jobs past successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first. */
  private async cleanupFinishedJobs(cj: KubeObject, spec: CronJobSpec, jobs: KubeObject[]): Promise<void> {
    for (const [type, limit] of [['Complete', spec.successfulJobsHistoryLimit], ['Failed', spec.failedJobsHistoryLimit]] as const) {
      if (limit === undefined || limit === null) continue;
      const done = jobs.filter((j) => finishedType(j) === type).sort(byStartTime);
      for (const j of done.slice(0, Math.max(0, done.length - limit))) await this.deleteJob(cj, j.metadata.name ?? '');
    }
  }

  private async deleteJob(cj: KubeObject, name: string): Promise<void> {
    try {
      await this.opts.client.delete(JOBS, name, cj.metadata.namespace, { propagationPolicy: 'Background' });
    } catch (e) {
      if (isNotFound(e)) return;
      await this.opts.recorder.event(cj, EventType.Warning, 'FailedDelete', `Deleted job: ${String(e)}`);
      throw e;
    }
    await this.opts.recorder.event(cj, EventType.Normal, 'SuccessfulDelete', `Deleted job ${name}`);
  }

  /** Jobs in the CronJob's namespace with a controller ownerReference to it. */
  private async jobsOf(cj: KubeObject): Promise<KubeObject[]> {
    const uid = cj.metadata.uid;
    const list = await this.opts.client.list(JOBS, { namespace: cj.metadata.namespace });
    return list.items.filter((j) => !j.metadata.deletionTimestamp && (j.metadata.ownerReferences ?? []).some((o) => o.controller === true && o.uid === uid));
  }

  private async writeStatus(cj: KubeObject, old: CronJobStatus, next: CronJobStatus): Promise<void> {
    if (JSON.stringify(old.active ?? []) === JSON.stringify(next.active ?? []) && old.lastScheduleTime === next.lastScheduleTime && old.lastSuccessfulTime === next.lastSuccessfulTime) return;
    const status: Record<string, unknown> = { active: next.active?.length ? next.active : null };
    if (next.lastScheduleTime) status.lastScheduleTime = next.lastScheduleTime;
    if (next.lastSuccessfulTime) status.lastSuccessfulTime = next.lastSuccessfulTime;
    await this.opts.client.patch(CRONJOBS, cj.metadata.name ?? '', { status }, 'merge', { namespace: cj.metadata.namespace, subresource: 'status' });
  }
}

function byStartTime(a: KubeObject, b: KubeObject): number {
  const t = (j: KubeObject) => (j.status as { startTime?: string } | undefined)?.startTime ?? j.metadata.creationTimestamp ?? '';
  return t(a).localeCompare(t(b)) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

function jobRef(j: KubeObject): ObjectReference {
  return { apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name, namespace: j.metadata.namespace, uid: j.metadata.uid, resourceVersion: j.metadata.resourceVersion };
}

/** kube getJobFromTemplate2: the template's labels, annotations and spec, owned by the CronJob. */
export function jobFromTemplate(cj: KubeObject, spec: CronJobSpec, scheduled: Date, name: string): KubeObject {
  const tmpl = spec.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace,
      labels: { ...(tmpl.metadata?.labels ?? {}) },
      annotations: { ...(tmpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: formatScheduledTimestamp(scheduled, spec.timeZone) },
      ownerReferences: [newControllerRef(cj, { apiVersion: 'batch/v1', kind: 'CronJob' })],
    },
    spec: structuredClone(tmpl.spec ?? {}),
  };
}
