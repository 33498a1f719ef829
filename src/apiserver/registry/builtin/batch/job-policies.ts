// Validation of a JobSpec's failure and success policies (k8s.io/kubernetes
// pkg/apis/batch/validation validateJobSpec's backoffLimitPerIndex / maxFailedIndexes part,
// validatePodFailurePolicy, validateSuccessPolicy, validateIndexesFormat), with kube's limits
// and wording.
import { fieldError, FieldErrorType, type FieldError } from '../../../validation/field-errors.js';
import { isQualifiedName } from '../../../validation/names.js';
import { asObj, objects, validateNonnegative, type Obj } from '../fields.js';

const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_EXIT_CODE_VALUES = 255;
const MAX_ON_POD_CONDITIONS_PATTERNS = 20;
const MAX_SUCCESS_POLICY_RULES = 20;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const LIMIT_FOR_HIGH_COMPLETIONS = 10_000;

const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];

const isSet = (v: unknown) => v !== undefined && v !== null;
const omitted = (field: string, detail: string): FieldError => ({ type: FieldErrorType.Invalid, field, detail, omitValue: true });
const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: FieldErrorType.TooMany,
  field,
  badValue: actual,
  detail: `${actual}: must have at most ${max} items`,
  omitValue: true,
});

/** backoffLimitPerIndex and maxFailedIndexes: per-index limits need Indexed mode. */
export function validatePerIndexLimits(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const { backoffLimitPerIndex: perIndex, maxFailedIndexes: maxFailed, completions, parallelism } = spec;
  if (isSet(perIndex)) errs.push(...validateNonnegative(perIndex, `${path}.backoffLimitPerIndex`));
  if (isSet(maxFailed)) {
    errs.push(...validateNonnegative(maxFailed, `${path}.maxFailedIndexes`));
    if (!isSet(perIndex)) errs.push(fieldError.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (spec.completionMode === 'Indexed') {
    if (typeof completions === 'number' && typeof maxFailed === 'number' && maxFailed > completions) {
      errs.push(fieldError.invalid(`${path}.maxFailedIndexes`, maxFailed, 'must be less than or equal to completions'));
    }
    if (typeof maxFailed === 'number' && maxFailed > MAX_FAILED_INDEXES) {
      errs.push(fieldError.invalid(`${path}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
    }
    if (typeof completions === 'number' && completions > COMPLETIONS_SOFT_LIMIT && isSet(perIndex)) {
      const high = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
      if (!isSet(maxFailed)) errs.push(fieldError.required(`${path}.maxFailedIndexes`, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
      if (typeof parallelism === 'number' && parallelism > LIMIT_FOR_HIGH_COMPLETIONS) {
        errs.push(fieldError.invalid(`${path}.parallelism`, parallelism, `must be less than or equal to ${LIMIT_FOR_HIGH_COMPLETIONS} ${high}`));
      }
      if (typeof maxFailed === 'number' && maxFailed > LIMIT_FOR_HIGH_COMPLETIONS) {
        errs.push(fieldError.invalid(`${path}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${LIMIT_FOR_HIGH_COMPLETIONS} ${high}`));
      }
    }
  } else {
    if (isSet(perIndex)) errs.push(fieldError.invalid(`${path}.backoffLimitPerIndex`, perIndex, 'requires indexed completion mode'));
    if (isSet(maxFailed)) errs.push(fieldError.invalid(`${path}.maxFailedIndexes`, maxFailed, 'requires indexed completion mode'));
  }
  return errs;
}

/** validatePodFailurePolicy: at most 20 rules, each with one action and exactly one kind of requirement. */
export function validatePodFailurePolicy(spec: Obj, path: string): FieldError[] {
  const policy = asObj(spec.podFailurePolicy);
  if (!policy) return [];
  const errs: FieldError[] = [];
  const rules = objects(policy.rules);
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) errs.push(tooMany(`${path}.rules`, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  const podSpec = asObj(asObj(spec.template)?.spec) ?? {};
  const containerNames = new Set([...objects(podSpec.containers), ...objects(podSpec.initContainers)].map((c) => c.name));
  rules.forEach((rule, i) => {
    const rulePath = `${path}.rules[${i}]`;
    const action = rule.action;
    if (!action) errs.push(fieldError.required(`${rulePath}.action`, `valid values: ${goQuotedList(ACTIONS)}`));
    else if (action === 'FailIndex') {
      if (!isSet(spec.backoffLimitPerIndex)) errs.push(fieldError.invalid(`${rulePath}.action`, action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!ACTIONS.includes(action as string)) errs.push(fieldError.notSupported(`${rulePath}.action`, action, ACTIONS));
    const onExitCodes = asObj(rule.onExitCodes);
    const onPodConditions = objects(rule.onPodConditions);
    if (onExitCodes) errs.push(...validateOnExitCodes(onExitCodes, `${rulePath}.onExitCodes`, containerNames));
    if (onPodConditions.length > 0) errs.push(...validateOnPodConditions(onPodConditions, `${rulePath}.onPodConditions`));
    if (onExitCodes && onPodConditions.length > 0) errs.push(omitted(rulePath, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!onExitCodes && onPodConditions.length === 0) errs.push(omitted(rulePath, 'specifying one of OnExitCodes and OnPodConditions is required'));
  });
  return errs;
}

function validateOnExitCodes(req: Obj, path: string, containerNames: Set<unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (!req.operator) errs.push(fieldError.required(`${path}.operator`, `valid values: ${goQuotedList(OPERATORS)}`));
  else if (!OPERATORS.includes(req.operator as string)) errs.push(fieldError.notSupported(`${path}.operator`, req.operator, OPERATORS));
  if (isSet(req.containerName) && !containerNames.has(req.containerName)) {
    errs.push(fieldError.invalid(`${path}.containerName`, req.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  const values = Array.isArray(req.values) ? (req.values as number[]) : [];
  if (values.length === 0) errs.push(fieldError.invalid(`${path}.values`, values, 'at least one value is required'));
  else if (values.length > MAX_EXIT_CODE_VALUES) errs.push(tooMany(`${path}.values`, values.length, MAX_EXIT_CODE_VALUES));
  const seen = new Set<number>();
  values.forEach((v, j) => {
    if (req.operator === 'In' && v === 0) errs.push(fieldError.invalid(`${path}.values[${j}]`, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(fieldError.duplicate(`${path}.values[${j}]`, v));
    else seen.add(v);
  });
  if (values.some((v, j) => j > 0 && values[j - 1]! > v)) errs.push(fieldError.invalid(`${path}.values`, values, 'must be ordered'));
  return errs;
}

function validateOnPodConditions(patterns: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (patterns.length > MAX_ON_POD_CONDITIONS_PATTERNS) errs.push(tooMany(path, patterns.length, MAX_ON_POD_CONDITIONS_PATTERNS));
  patterns.forEach((p, j) => {
    const type = typeof p.type === 'string' ? p.type : '';
    for (const msg of isQualifiedName(type)) errs.push(fieldError.invalid(`${path}[${j}].type`, type, msg));
    if (!p.status) errs.push(fieldError.required(`${path}[${j}].status`, `valid values: ${goQuotedList(CONDITION_STATUSES)}`));
    else if (!CONDITION_STATUSES.includes(p.status as string)) errs.push(fieldError.notSupported(`${path}[${j}].status`, p.status, CONDITION_STATUSES));
  });
  return errs;
}

/** A successPolicy needs Indexed mode and 1-20 rules, each naming indexes or a count within completions. */
export function validateSuccessPolicy(spec: Obj, path: string): FieldError[] {
  const policy = asObj(spec.successPolicy);
  if (!policy) return [];
  if (spec.completionMode !== 'Indexed') return [fieldError.invalid(path, policy, 'requires indexed completion mode')];
  const errs: FieldError[] = [];
  const rules = objects(policy.rules);
  const completions = typeof spec.completions === 'number' ? spec.completions : 0;
  if (rules.length === 0) errs.push(fieldError.required(`${path}.rules`, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) errs.push(tooMany(`${path}.rules`, rules.length, MAX_SUCCESS_POLICY_RULES));
  rules.forEach((rule, i) => {
    const rulePath = `${path}.rules[${i}]`;
    if (!isSet(rule.succeededCount) && !isSet(rule.succeededIndexes)) {
      errs.push(fieldError.required(rulePath, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    let total = 0;
    if (typeof rule.succeededIndexes === 'string') {
      if (rule.succeededIndexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) errs.push(fieldError.tooLong(`${rulePath}.succeededIndexes`, rule.succeededIndexes, MAX_SUCCEEDED_INDEXES_LENGTH));
      const parsed = validateIndexesFormat(rule.succeededIndexes, completions);
      if (typeof parsed === 'string') errs.push(fieldError.invalid(`${rulePath}.succeededIndexes`, rule.succeededIndexes, `error parsing succeededIndexes: ${parsed}`));
      else total = parsed;
    }
    if (typeof rule.succeededCount === 'number') {
      const countPath = `${rulePath}.succeededCount`;
      errs.push(...validateNonnegative(rule.succeededCount, countPath));
      if (rule.succeededCount > completions) {
        errs.push(fieldError.invalid(countPath, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
      }
      if (isSet(rule.succeededIndexes) && rule.succeededCount > total) {
        errs.push(fieldError.invalid(countPath, rule.succeededCount, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
      }
    }
  });
  return errs;
}

/** validateIndexesFormat: "1,3-5" strictly increasing and below completions; the count, or what is wrong. */
export function validateIndexesFormat(s: string, completions: number): number | string {
  if (s === '') return 0;
  let last: number | undefined;
  let total = 0;
  for (const interval of s.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) return `the fragment "${interval}" violates the requirement that an index interval can have at most two parts separated by '-'`;
    const bounds: number[] = [];
    for (const l of limits) {
      // strconv.Atoi: an optional sign, then digits.
      if (!/^[+-]?\d+$/.test(l)) return `cannot convert string to integer for index: "${l}"`;
      const n = Number(l);
      if (n >= completions) return `too large index: "${l}"`;
      bounds.push(n);
    }
    const [x, y = x] = bounds as [number, number?];
    if (limits.length === 2 && x >= y) return `non-increasing order, previous: ${x}, current: ${y}`;
    if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total += y - x + 1;
    last = y;
  }
  return total;
}

/** Go's %q of a []string: ["a" "b"]. */
function goQuotedList(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}
