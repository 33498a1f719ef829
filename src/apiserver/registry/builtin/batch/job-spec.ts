// The JobSpec rules a Job and a CronJob's jobTemplate share (k8s.io/kubernetes
// pkg/apis/batch/validation validateJobSpec), and the Job defaults (SetDefaults_Job).
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { defaultPodTemplate } from '../core/pod-defaults.js';
import { validatePodTemplateSpec } from '../core/pod-validation.js';
import { asObj, defaultValue, ensureObj, validateNonnegative, type Obj } from '../fields.js';
import { validatePerIndexLimits, validatePodFailurePolicy, validateSuccessPolicy } from './job-policies.js';

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const POD_REPLACEMENT_POLICIES = ['TerminatingOrFailed', 'Failed'];

/** SetDefaults_Job's spec part (the Job-level labels default is the strategy's business). */
export function defaultJobSpec(spec: Obj): void {
  // A non-parallel job may leave both unset; then both are 1.
  if ((spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  defaultValue(spec, 'parallelism', 1);
  // With a per-index limit the global limit is effectively off.
  defaultValue(spec, 'backoffLimit', spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null ? 2147483647 : 6);
  defaultValue(spec, 'completionMode', 'NonIndexed');
  defaultValue(spec, 'suspend', false);
  const failurePolicy = asObj(spec.podFailurePolicy);
  for (const rule of Array.isArray(failurePolicy?.rules) ? (failurePolicy.rules as unknown[]) : []) {
    for (const pattern of Array.isArray(asObj(rule)?.onPodConditions) ? (asObj(rule)!.onPodConditions as unknown[]) : []) {
      const p = asObj(pattern);
      if (p && !p.status) p.status = 'True';
    }
  }
  defaultValue(spec, 'podReplacementPolicy', failurePolicy ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplate(ensureObj(spec, 'template'));
}

/** validateJobSpec: counts, modes, and a pod template whose pods do not restart Always. */
export function validateJobSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) {
    errs.push(...validateNonnegative(spec[f], `${path}.${f}`));
  }
  errs.push(...validatePerIndexLimits(spec, path));
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== null) {
    if (!COMPLETION_MODES.includes(mode as string)) errs.push(fieldError.notSupported(`${path}.completionMode`, mode, COMPLETION_MODES));
    if (mode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
      errs.push(fieldError.required(`${path}.completions`, 'when completion mode is Indexed'));
    }
  }
  errs.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`), ...validateSuccessPolicy(spec, `${path}.successPolicy`));
  const replacement = spec.podReplacementPolicy;
  if (replacement !== undefined && replacement !== null) {
    // With a pod failure policy a terminating pod must be waited for: only Failed is allowed.
    const allowed = spec.podFailurePolicy ? ['Failed'] : POD_REPLACEMENT_POLICIES;
    if (!allowed.includes(replacement as string)) errs.push(fieldError.notSupported(`${path}.podReplacementPolicy`, replacement, allowed));
  }
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  // The pod spec default is Always, so a template that says nothing fails here.
  const restartPolicy = asObj(asObj(spec.template)?.spec)?.restartPolicy;
  const rpPath = `${path}.template.spec.restartPolicy`;
  if (restartPolicy === 'Always' || restartPolicy === undefined || restartPolicy === null || restartPolicy === '') {
    errs.push(fieldError.required(rpPath, 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(fieldError.notSupported(rpPath, restartPolicy, ['OnFailure', 'Never']));
  } else if (spec.podFailurePolicy && restartPolicy !== 'Never') {
    errs.push(fieldError.invalid(rpPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}
