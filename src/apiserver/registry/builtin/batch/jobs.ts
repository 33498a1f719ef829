// batch/v1 Job (k8s.io/kubernetes pkg/registry/batch/job/strategy.go): unless the client
// manages the selector itself, create generates one on the Job's uid and labels the pod
// template to match (the batch.kubernetes.io/ labels and their legacy twins, as 1.27+ do);
// the spec is immutable apart from parallelism, suspend and a few more.
import type { KubeObject } from '../../../object.js';
import { labelSelectorFromLabelSelectorSpec, matchesLabels } from '../../../storage/selectors.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { validateLabelSelectorSpec } from '../../../validation/object-meta.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, ensureObj, keepAllButStatus, keepStatus, objects, stringMap, str, validateImmutable, validateNonnegative, type Obj } from '../fields.js';
import { age, ageColumn, column, containerCells, containersColumn, formatLabelSelector, humanDuration, imagesColumn, intCell, nameColumn } from '../printing.js';
import { defaultJobSpec, validateJobSpec } from './job-spec.js';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

const specOf = (j: KubeObject): Obj => asObj(j.spec) ?? {};
const statusOf = (j: KubeObject): Obj => asObj(j.status) ?? {};

/** generateSelector: label the template with the job's name and uid, select on the uid. */
function generateSelector(job: KubeObject): void {
  const spec = ensureObj(job, 'spec');
  const meta = ensureObj(ensureObj(spec, 'template'), 'metadata');
  const labels = ensureObj(meta, 'labels');
  // Labels the client already set are kept; a conflict is then reported by validation.
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (labels[key] === undefined) labels[key] = job.metadata.name ?? '';
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (labels[key] === undefined) labels[key] = job.metadata.uid ?? '';
  const matchLabels = ensureObj(ensureObj(spec, 'selector'), 'matchLabels');
  if (matchLabels[CONTROLLER_UID_LABEL] === undefined) matchLabels[CONTROLLER_UID_LABEL] = job.metadata.uid ?? '';
}

/** ValidateHasLabel. */
function hasLabel(labels: Record<string, string>, key: string, expected: string): FieldError[] {
  const path = `spec.template.metadata.labels[${key}]`;
  if (!(key in labels)) return [fieldError.required(path, expected)];
  return labels[key] === expected ? [] : [fieldError.invalid(path, labels, `must be '${expected}'`)];
}

function selects(selector: unknown, labels: Record<string, string>): boolean | undefined {
  try {
    return matchesLabels(labelSelectorFromLabelSelectorSpec(selector as Parameters<typeof labelSelectorFromLabelSelectorSpec>[0]), labels);
  } catch {
    return undefined;
  }
}

/** validateGeneratedSelector: a generated selector must still be the one create made. */
function validateGeneratedSelector(job: KubeObject): FieldError[] {
  const spec = specOf(job);
  if (spec.manualSelector === true) return [];
  const meta = asObj(asObj(spec.template)?.metadata) ?? {};
  if (!asObj(meta.labels)) return [fieldError.required('spec.template.metadata.labels', '')];
  if (spec.selector === undefined || spec.selector === null) return [fieldError.required('spec.selector', '')];
  const uid = job.metadata.uid ?? '';
  const errs: FieldError[] = [];
  if (!uid) errs.push(fieldError.required('metadata.uid', ''));
  const labels = stringMap(meta.labels);
  errs.push(...hasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid), ...hasLabel(labels, LEGACY_JOB_NAME_LABEL, job.metadata.name ?? ''));
  errs.push(...hasLabel(labels, CONTROLLER_UID_LABEL, uid), ...hasLabel(labels, JOB_NAME_LABEL, job.metadata.name ?? ''));
  if (selects(spec.selector, { [CONTROLLER_UID_LABEL]: uid }) === false) {
    errs.push(fieldError.invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  }
  return errs;
}

/** ValidateJobSpec: validateJobSpec plus a selector that selects the template's pods. */
function validateJob(job: KubeObject): FieldError[] {
  const spec = specOf(job);
  const errs = [...validateGeneratedSelector(job), ...validateJobSpec(spec, 'spec')];
  if (spec.selector === undefined || spec.selector === null) {
    if (spec.manualSelector === true) errs.push(fieldError.required('spec.selector', ''));
    return errs;
  }
  const selectorErrors = validateLabelSelectorSpec(spec.selector, 'spec.selector');
  errs.push(...selectorErrors);
  const template = asObj(spec.template) ?? {};
  const labels = asObj(template.metadata)?.labels;
  if (selectorErrors.length === 0 && selects(spec.selector, stringMap(labels)) === false) {
    errs.push(fieldError.invalid('spec.template.metadata.labels', labels ?? null, '`selector` does not match template `labels`'));
  }
  return errs;
}

/**
 * ValidateJobSpecUpdate. The template is immutable, except that a suspended Job that never
 * started may still change its pods' scheduling directives, labels and annotations.
 */
function validateJobUpdate(job: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(job);
  const oldSpec = specOf(old);
  const errs = validateJob(job);
  for (const f of ['completions', 'selector', 'completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy', 'podReplacementPolicy']) {
    if (f === 'completions' && spec.completionMode === 'Indexed' && spec.completions === spec.parallelism) continue;
    errs.push(...validateImmutable(spec[f], oldSpec[f], `spec.${f}`));
  }
  let oldTemplate = asObj(oldSpec.template) ?? {};
  const template = asObj(spec.template) ?? {};
  if (oldSpec.suspend === true && !statusOf(old).startTime) {
    const t = structuredClone(oldTemplate) as Obj;
    const meta = ensureObj(t, 'metadata');
    const newMeta = asObj(template.metadata) ?? {};
    meta.labels = newMeta.labels;
    meta.annotations = newMeta.annotations;
    const podSpec = ensureObj(t, 'spec');
    const newPodSpec = asObj(template.spec) ?? {};
    for (const k of ['nodeSelector', 'tolerations', 'schedulingGates', 'affinity']) podSpec[k] = newPodSpec[k];
    oldTemplate = t;
  }
  errs.push(...validateImmutable(template, oldTemplate, 'spec.template'));
  return errs;
}

function hasCondition(job: KubeObject, type: string): boolean {
  return objects(statusOf(job).conditions).find((c) => c.type === type)?.status === 'True';
}

/** The STATUS column (kubectl 1.30+ servers). */
export function jobStatusCell(job: KubeObject): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completionsCell(job: KubeObject): string {
  const spec = specOf(job);
  const succeeded = intCell(statusOf(job).succeeded);
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = intCell(spec.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(job: KubeObject, now: number): string {
  const start = Date.parse(str(statusOf(job).startTime));
  if (Number.isNaN(start)) return '';
  const completion = Date.parse(str(statusOf(job).completionTime));
  return humanDuration((Number.isNaN(completion) ? now : completion) - start);
}

export function jobsResource(): ResourceType {
  return defineResource({
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    kind: 'Job',
    singularName: 'job',
    categories: ['all'],
    namespaced: true,
    subresources: { status: true },
    tracksGeneration: true,
    openAPIDefinition: 'io.k8s.api.batch.v1.Job',
    strategy: {
      // jobStrategy.DefaultGarbageCollectionPolicy: batch/v1 orphans a Job's pods unless told
      // otherwise (kept for compatibility), and the Job REST storage warns about it.
      defaultGarbageCollectionPolicy: 'OrphanDependents',
      defaultPolicyDeleteWarning:
        'child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning',
      defaults(job) {
        const spec = ensureObj(job, 'spec');
        defaultJobSpec(spec);
        // SetDefaults_Job: a Job without labels takes its template's labels.
        const templateLabels = asObj(asObj(asObj(spec.template)?.metadata)?.labels);
        if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = stringMap(templateLabels);
      },
      prepareForCreate(job) {
        if (specOf(job).manualSelector !== true) generateSelector(job);
        job.status = {};
        // Defaulting runs again when the stored Job is read back, so a Job created without
        // labels ends up with its (now generated) template labels, as on a real cluster.
        const templateLabels = asObj(asObj(asObj(specOf(job).template)?.metadata)?.labels);
        if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = stringMap(templateLabels);
      },
      prepareForUpdate: (job, old) => keepStatus(job, old),
      validate: validateJob,
      validateUpdate: validateJobUpdate,
      prepareForStatusUpdate: (job, old) => keepAllButStatus(job, old),
      validateStatusUpdate: (job) =>
        ['active', 'succeeded', 'failed', 'ready', 'terminating'].flatMap((f) => validateNonnegative(statusOf(job)[f], `status.${f}`)),
    },
    fieldSelectors: { 'status.successful': (job) => String(intCell(statusOf(job).succeeded)) },
    printer: {
      columns: [
        nameColumn,
        column('Status', 'string', 'Status of the job.'),
        column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
        column('Duration', 'string', 'Time required to complete the job.'),
        ageColumn,
        containersColumn,
        imagesColumn,
        column('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
      ],
      cells(job, now) {
        const [names, images] = containerCells(asObj(asObj(specOf(job).template)?.spec));
        return [
          job.metadata.name,
          jobStatusCell(job),
          completionsCell(job),
          durationCell(job, now),
          age(job, now),
          names,
          images,
          formatLabelSelector(specOf(job).selector),
        ];
      },
    },
  });
}
