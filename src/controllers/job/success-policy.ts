// When an Indexed Job has succeeded early (success_policy.go matchSuccessPolicy): the first
// rule whose succeededIndexes all succeeded (or at least succeededCount of them), or, for a
// rule with only succeededCount, that many indexes succeeded anywhere.
import { parseIndexes, totalOf, type Intervals } from './intervals.js';

export interface SuccessPolicyRule {
  succeededIndexes?: string;
  succeededCount?: number;
}

export interface SuccessPolicy {
  rules: SuccessPolicyRule[];
}

/** The SuccessCriteriaMet message ("Matched rules at index 0"), or undefined when no rule matches. */
export function matchSuccessPolicy(policy: SuccessPolicy | undefined, completions: number, succeeded: Intervals): string | undefined {
  if (!policy || totalOf(succeeded) === 0) return undefined;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      // A rule whose indexes cannot be read (or all lie past completions) never matches.
      if (required.length === 0) continue;
      const contained = overlap(required, succeeded);
      if (contained === totalOf(required) || (rule.succeededCount !== undefined && contained >= rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && totalOf(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

/** How many indexes of `required` are in `succeeded`. */
function overlap(required: Intervals, succeeded: Intervals): number {
  let n = 0;
  for (const r of required) {
    for (const s of succeeded) n += Math.max(0, Math.min(r.last, s.last) - Math.max(r.first, s.first) + 1);
  }
  return n;
}
