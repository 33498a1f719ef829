// What the apps/v1 workloads share (k8s.io/kubernetes pkg/apis/apps/validation): a selector
// that selects the pods the template makes, a pod template that restarts Always,
// int-or-percent rolling-update bounds, and non-negative status counters.
import type { KubeObject } from '../../../object.js';
import { labelSelectorFromLabelSelectorSpec, matchesLabels } from '../../../storage/selectors.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { validateLabelSelectorSpec } from '../../../validation/object-meta.js';
import { regexError } from '../../../validation/names.js';
import { defaultPodTemplate } from '../core/pod-defaults.js';
import { validatePodTemplateSpec } from '../core/pod-validation.js';
import { asObj, ensureObj, stringMap, validateImmutable, validateNonnegative, type Obj } from '../fields.js';

export type WorkloadKind = 'deployment' | 'replicaset' | 'statefulset' | 'daemonset';

export const SELECTOR_MISMATCH_MSG = '`selector` does not match template `labels`';

export const specOf = (o: KubeObject): Obj => asObj(o.spec) ?? {};
export const statusOf = (o: KubeObject): Obj => asObj(o.status) ?? {};

/** Pod spec defaults inside spec.template. */
export function defaultWorkloadTemplate(o: KubeObject): void {
  defaultPodTemplate(ensureObj(ensureObj(o, 'spec'), 'template'));
}

/** Whether a (valid) LabelSelector object selects `labels`; a missing selector selects nothing. */
function selects(selector: unknown, labels: Record<string, string>): boolean {
  try {
    return matchesLabels(labelSelectorFromLabelSelectorSpec(selector as Parameters<typeof labelSelectorFromLabelSelectorSpec>[0]), labels);
  } catch {
    return true; // an unparsable selector was already reported by its own validation
  }
}

function isEmptySelector(sel: Obj): boolean {
  const matchLabels = asObj(sel.matchLabels) ?? {};
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  return Object.keys(matchLabels).length + exprs.length === 0;
}

/**
 * The selector and template rules: Deployments, ReplicaSets and StatefulSets require a
 * selector; none may have an empty one; it must select the template's labels; the template
 * is a valid pod template whose pods restart Always and have no deadline.
 */
export function validateSelectorAndTemplate(spec: Obj, kind: WorkloadKind): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec.selector;
  const sel = asObj(selector);
  let selectorErrors: FieldError[] = [];
  if (selector === undefined || selector === null) {
    if (kind !== 'daemonset') errs.push(fieldError.required('spec.selector', ''));
  } else {
    selectorErrors = validateLabelSelectorSpec(selector, 'spec.selector');
    errs.push(...selectorErrors);
    if (sel && isEmptySelector(sel)) errs.push(fieldError.invalid('spec.selector', selector, `empty selector is invalid for ${kind}`));
  }
  const template = asObj(spec.template) ?? {};
  const labels = stringMap(asObj(template.metadata)?.labels);
  // An empty selector selects everything; other kinds skip the check for it.
  const everything = sel !== undefined && isEmptySelector(sel);
  if (selectorErrors.length === 0 && !(everything && kind !== 'daemonset') && !selects(selector, labels)) {
    errs.push(fieldError.invalid('spec.template.metadata.labels', asObj(template.metadata)?.labels ?? null, SELECTOR_MISMATCH_MSG));
  }
  errs.push(...validatePodTemplateSpec(template, 'spec.template'));
  const podSpec = asObj(template.spec) ?? {};
  const restartPolicy = podSpec.restartPolicy;
  if (restartPolicy !== 'Always') errs.push(fieldError.notSupported('spec.template.spec.restartPolicy', restartPolicy ?? '', ['Always']));
  const deadline = podSpec.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    const detail = {
      deployment: 'activeDeadlineSeconds in ReplicaSet is not Supported',
      replicaset: 'activeDeadlineSeconds in ReplicaSet is not Supported',
      statefulset: 'activeDeadlineSeconds in StatefulSet is not Supported',
      daemonset: 'activeDeadlineSeconds must be nil for daemonset',
    }[kind];
    errs.push(fieldError.invalid('spec.template.spec.activeDeadlineSeconds', deadline, detail));
  }
  return errs;
}

/** apps/v1 selectors never change (ValidateImmutableField on spec.selector). */
export function validateSelectorImmutable(o: KubeObject, old: KubeObject): FieldError[] {
  return validateImmutable(specOf(o).selector, specOf(old).selector, 'spec.selector');
}

const PERCENT_FMT = '[0-9]+%';

/** The value of an int-or-percent as a number (percent strings give their number), or undefined. */
function intOrPercentValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
  return undefined;
}

/** ValidatePositiveIntOrPercent. */
export function validateIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    return /^[0-9]+%$/.test(v)
      ? []
      : [fieldError.invalid(path, v, regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%'))];
  }
  if (typeof v === 'number') return validateNonnegative(v, path);
  return [fieldError.invalid(path, v, "must be an integer or percentage (e.g '5%')")];
}

/** Rolling-update bounds: both valid, not both zero, maxUnavailable at most 100%. */
export function validateRollingUpdate(ru: Obj, path: string, bothZeroMsg: string): FieldError[] {
  const errs = [...validateIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`), ...validateIntOrPercent(ru.maxSurge, `${path}.maxSurge`)];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && (intOrPercentValue(ru.maxSurge) ?? 0) === 0) {
    errs.push(fieldError.invalid(`${path}.maxUnavailable`, ru.maxUnavailable, bothZeroMsg));
  }
  if (typeof ru.maxUnavailable === 'string' && (intOrPercentValue(ru.maxUnavailable) ?? 0) > 100) {
    errs.push(fieldError.invalid(`${path}.maxUnavailable`, ru.maxUnavailable, 'must not be greater than 100%'));
  }
  return errs;
}

/** Status counters of a workload may not be negative (ValidateDeploymentStatus and friends). */
export function validateStatusCounters(o: KubeObject, fields: string[]): FieldError[] {
  const status = statusOf(o);
  return fields.flatMap((f) => validateNonnegative(status[f], `status.${f}`));
}

/** The replicas a workload asks for: a missing field means 1, as defaulting would make it. */
export function desiredReplicas(o: KubeObject): number {
  const r = specOf(o).replicas;
  return typeof r === 'number' ? r : 1;
}

export function templateSpecOf(o: KubeObject): Obj | undefined {
  return asObj(asObj(specOf(o).template)?.spec);
}
