// A Job's pod from its template (job_controller.go manageJob + podControl.CreatePodsWithGenerateName;
// indexed_job_utils.go addCompletionIndexEnvVariables / addCompletionIndexAnnotation).
import { newControllerRef } from '../runtime/meta.js';
import type { KubeObject, OwnerReference } from '../runtime/types.js';
import { JOB_TRACKING_FINALIZER } from './tracking.js';

export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

type Obj = Record<string, unknown>;

export function jobOwnerReference(job: KubeObject): OwnerReference {
  return newControllerRef(job, { apiVersion: 'batch/v1', kind: 'Job' });
}

export interface PodFromTemplateOptions {
  /** Indexed mode: the completion index the pod runs. */
  index?: number;
  /** Added to the template's annotations (the per-index failure counts). */
  annotations?: Record<string, string>;
}

/**
 * The pod to create for a Job: the template's metadata and spec, named `<job>-` (or
 * `<job>-<index>-` in Indexed mode, with the index as annotation, label, env var and hostname),
 * carrying the job-tracking finalizer so it is counted before it can disappear.
 */
export function podFromTemplate(job: KubeObject, opts: PodFromTemplateOptions = {}): KubeObject {
  const { index } = opts;
  const spec = (job.spec ?? {}) as Obj;
  const template = structuredClone((spec.template ?? {}) as Obj);
  const tmeta = (template.metadata ?? {}) as Obj;
  const podSpec = (template.spec ?? {}) as Obj;
  const name = job.metadata.name ?? '';
  const labels = { ...((tmeta.labels ?? {}) as Record<string, string>) };
  const annotations = { ...((tmeta.annotations ?? {}) as Record<string, string>), ...opts.annotations };
  if (index !== undefined) {
    annotations[COMPLETION_INDEX] = String(index);
    labels[COMPLETION_INDEX] = String(index);
    for (const key of ['initContainers', 'containers']) {
      for (const c of (podSpec[key] ?? []) as Obj[]) addIndexEnv(c);
    }
    if (podSpec.hostname === undefined) podSpec.hostname = `${name}-${index}`;
  }
  const metadata: KubeObject['metadata'] = {
    generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
    labels,
    ownerReferences: [jobOwnerReference(job)],
  };
  if (job.metadata.namespace) metadata.namespace = job.metadata.namespace;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  const finalizers = [...((tmeta.finalizers ?? []) as string[])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  metadata.finalizers = finalizers;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec };
}

/** The env var reads the annotation through the downward API, as kube does. */
function addIndexEnv(container: Obj): void {
  const env = ((container.env ?? []) as Obj[]).filter((e) => e.name !== COMPLETION_INDEX_ENV);
  env.push({
    name: COMPLETION_INDEX_ENV,
    valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } },
  });
  container.env = env;
}

/** The completion index a pod carries, or undefined when missing or invalid. */
export function podCompletionIndex(pod: KubeObject): number | undefined {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX] ?? pod.metadata.labels?.[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}
