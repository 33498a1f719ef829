// The pure pieces of the CronTab controller: the Job a CronTab wants, whether an existing Job
// still matches it, and the status the CronTab reports from its Job.
import { newControllerRef, rfc3339 } from '../runtime/meta.js';
import type { ResourceRef } from '../../clients/interfaces.js';
import type { KubeObject, OwnerReference } from '../runtime/types.js';

export const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };
export const CONTAINER_NAME = 'crontab';
export const CRONTAB_LABEL = 'crontab';

export interface CronTabSpec {
  cronSpec?: string;
  image?: string;
  replicas?: number;
}

export interface CronTabCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface CronTabStatus {
  replicas?: number;
  observedGeneration?: number;
  jobName?: string;
  active?: number;
  succeeded?: number;
  conditions?: CronTabCondition[];
}

type Obj = Record<string, unknown>;

export const specOf = (ct: KubeObject): CronTabSpec => (ct.spec ?? {}) as CronTabSpec;
export const replicasOf = (ct: KubeObject): number => specOf(ct).replicas ?? 1;

export function cronTabOwnerReference(ct: KubeObject): OwnerReference {
  return newControllerRef(ct, { apiVersion: 'stable.example.com/v1', kind: 'CronTab' });
}

/** The batch/v1 Job for a CronTab: its name and namespace, spec.image run spec.replicas times. */
export function jobFromCronTab(ct: KubeObject): KubeObject {
  const name = ct.metadata.name ?? '';
  const replicas = replicasOf(ct);
  const labels = { [CRONTAB_LABEL]: name };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ct.metadata.namespace, labels, ownerReferences: [cronTabOwnerReference(ct)] },
    spec: {
      parallelism: replicas,
      completions: replicas,
      template: {
        metadata: { labels: { ...labels } },
        spec: { restartPolicy: 'OnFailure', containers: [{ name: CONTAINER_NAME, image: specOf(ct).image ?? '' }] },
      },
    },
  };
}

/** The controller ownerReference of an object, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

export function isControlledBy(job: KubeObject, ct: KubeObject): boolean {
  return controllerOf(job)?.uid === ct.metadata.uid;
}

function jobShape(job: KubeObject): { image?: string; parallelism?: number; completions?: number; containers: number } {
  const spec = (job.spec ?? {}) as Obj;
  const template = (spec.template ?? {}) as Obj;
  const containers = (((template.spec ?? {}) as Obj).containers ?? []) as Obj[];
  const c = containers.find((x) => x.name === CONTAINER_NAME);
  return {
    image: c?.image as string | undefined,
    parallelism: spec.parallelism as number | undefined,
    completions: spec.completions as number | undefined,
    containers: containers.length,
  };
}

/** Whether the Job runs what the CronTab asks for now (image, parallelism, completions). */
export function jobMatches(job: KubeObject, ct: KubeObject): boolean {
  const have = jobShape(job);
  const want = jobShape(jobFromCronTab(ct));
  return have.image === want.image && have.parallelism === want.parallelism && have.completions === want.completions && have.containers === 1;
}

/** The spec changed since we last acted and the Job no longer runs it: replace the Job. */
export function needsReplacement(job: KubeObject, ct: KubeObject): boolean {
  const generation = ct.metadata.generation ?? 0;
  const observed = ((ct.status ?? {}) as CronTabStatus).observedGeneration ?? 0;
  return generation > observed && !jobMatches(job, ct);
}


/** Set a condition, keeping lastTransitionTime when its status did not change. */
export function setCondition(
  conditions: CronTabCondition[],
  type: string,
  status: CronTabCondition['status'],
  reason: string,
  message: string,
  now: Date,
): CronTabCondition[] {
  const prev = conditions.find((c) => c.type === type);
  const next: CronTabCondition = { type, status, reason, message, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : rfc3339(now) };
  return prev ? conditions.map((c) => (c === prev ? next : c)) : [...conditions, next];
}

/**
 * The CronTab's status from its Job (undefined while there is none):
 *   - Ready: True (JobUpToDate) when the Job exists and runs the current spec; False
 *     (JobPending) while it is being created or replaced; False (JobConflict) when a Job of
 *     that name belongs to someone else.
 *   - Complete: True (JobSucceeded) once the Job's succeeded count reaches spec.replicas, or
 *     the Job has a Complete=True condition; else False (JobRunning / NoJob).
 * replicas mirrors the Job's active count (the scale subresource's statusReplicasPath).
 */
export function statusFromJob(ct: KubeObject, job: KubeObject | undefined, now: Date, conflict = false): CronTabStatus {
  const old = (ct.status ?? {}) as CronTabStatus;
  let conditions = old.conditions ?? [];
  const name = ct.metadata.name ?? '';
  const next: CronTabStatus = { ...old, observedGeneration: ct.metadata.generation ?? 0 };
  if (conflict) {
    conditions = setCondition(conditions, 'Ready', 'False', 'JobConflict', `Job ${name} exists and is not controlled by this CronTab`, now);
    return { ...next, conditions };
  }
  if (!job || !jobMatches(job, ct)) {
    conditions = setCondition(conditions, 'Ready', 'False', 'JobPending', `Waiting for Job ${name} to be created`, now);
    conditions = setCondition(conditions, 'Complete', 'False', 'NoJob', `Job ${name} does not run the current spec yet`, now);
    return { ...next, jobName: name, active: 0, succeeded: 0, replicas: 0, conditions };
  }
  const js = (job.status ?? {}) as { active?: number; succeeded?: number; conditions?: { type: string; status: string }[] };
  const active = js.active ?? 0;
  const succeeded = js.succeeded ?? 0;
  const done = succeeded >= replicasOf(ct) || (js.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');
  conditions = setCondition(conditions, 'Ready', 'True', 'JobUpToDate', `Job ${job.metadata.name} runs the current spec`, now);
  conditions = done
    ? setCondition(conditions, 'Complete', 'True', 'JobSucceeded', `Job ${job.metadata.name} succeeded`, now)
    : setCondition(conditions, 'Complete', 'False', 'JobRunning', `Job ${job.metadata.name} has ${succeeded}/${replicasOf(ct)} succeeded`, now);
  return { ...next, jobName: job.metadata.name ?? name, active, succeeded, replicas: active, conditions };
}

/** Key-order-insensitive equality of two JSON values. */
export function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Obj).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
  }
  return v;
}
