// The CEL environment CRD rules compile in: the evaluator's standard library (macros, size,
// string functions, timestamps, durations, optional values, cel.bind), homogeneous aggregate
// literals as kube requires, and the Kubernetes extension libraries. Built once; each schema
// clones it to add its object types, and each rule-carrying node clones that to declare
// `self` and `oldSelf`.

import { Environment, EvaluationError } from '@marcbachmann/cel-js';
import { registerIP } from './library/ip.js';
import { registerLists } from './library/lists.js';
import { registerQuantity } from './library/quantity.js';
import { registerRegex } from './library/regex.js';
import { registerStrings } from './library/strings.js';
import { registerURLs } from './library/urls.js';
import { STEP_FUNCTION } from './rewrite.js';

/** Comprehension steps one evaluation may take: kube's per-call cost limit is of this order. */
export const STEP_LIMIT = 1_000_000;
/** Wall-clock bound for one evaluation, checked every 1024 steps (kube budgets ~0.1s of Go per call). */
export const TIME_LIMIT_MS = 250;
/** Wall-clock bound for all rules of one object (kube's RuntimeCELCostBudget, ~1s of Go). */
export const TOTAL_TIME_LIMIT_MS = 2_000;

/** Thrown by the step counter; evaluation then stops fast and the validator reports kube's cost error. */
export class CostLimitError extends EvaluationError {
  constructor() {
    super('operation cancelled: actual cost limit exceeded');
  }
}

// Evaluation is synchronous, so one budget for the evaluation in progress is enough. Once
// spent, every further step throws the same error object: unwinding stays cheap.
const budget = { steps: 0, deadline: 0, exceeded: false, error: undefined as CostLimitError | undefined };

/** Starts the budget for one rule (or messageExpression) evaluation, ending by `totalDeadline` at the latest. */
export function startBudget(totalDeadline: number): void {
  budget.steps = STEP_LIMIT;
  budget.deadline = Math.min(performance.now() + TIME_LIMIT_MS, totalDeadline);
  budget.exceeded = false;
}

/** Whether the evaluation just finished ran out of budget (its result then does not count). */
export function budgetExceeded(): boolean {
  return budget.exceeded;
}

function step(): boolean {
  budget.steps--;
  if (budget.exceeded || budget.steps < 0 || ((budget.steps & 1023) === 0 && performance.now() > budget.deadline)) {
    budget.exceeded = true;
    throw (budget.error ??= new CostLimitError());
  }
  return true;
}

// The functions the standard library and ours declare, to tell an unknown function
// (`undeclared reference`) from a known one called with the wrong arguments.
export const knownFunctions = new Set([
  'dyn', 'type', 'bool', 'int', 'uint', 'double', 'string', 'bytes', 'size', 'has', 'all', 'exists', 'exists_one',
  'map', 'filter', 'matches', 'contains', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'lowerAscii',
  'upperAscii', 'split', 'substring', 'trim', 'join', 'timestamp', 'duration', 'getFullYear', 'getMonth',
  'getDayOfMonth', 'getDate', 'getDayOfWeek', 'getDayOfYear', 'getHours', 'getMinutes', 'getSeconds',
  'getMilliseconds', 'hasValue', 'value', 'orValue', 'or', 'of', 'none', 'bind', 'charAt', 'replace', 'format',
  'quote', 'find', 'findAll', 'isSorted', 'sum', 'min', 'max', 'equivalent', 'intersects', 'quantity',
  'isQuantity', 'sign', 'isInteger', 'asInteger', 'asApproximateFloat', 'add', 'sub', 'compareTo', 'isGreaterThan',
  'isLessThan', 'url', 'isURL', 'getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath', 'getQuery',
  'ip', 'isIP', 'isCanonical', 'family', 'isUnspecified', 'isLoopback', 'isLinkLocalMulticast', 'isLinkLocalUnicast',
  'isGlobalUnicast', 'cidr', 'isCIDR', 'containsIP', 'containsCIDR', 'masked', 'prefixLength',
]);

let base: Environment | undefined;

/** The shared environment with every library registered; frozen once cloned. */
export function baseEnvironment(): Environment {
  if (!base) {
    const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true });
    registerStrings(env);
    registerLists(env);
    registerRegex(env);
    registerURLs(env);
    registerQuantity(env);
    registerIP(env);
    env.registerFunction(`${STEP_FUNCTION}(): bool`, step);
    base = env;
  }
  return base;
}
