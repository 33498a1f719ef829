// Escalation prevention as kube's rbac/validation does it (pkg/registry/rbac/validation
// policy_comparator.go Covers, rule.go ConfirmNoEscalation): a user may write a role, or bind
// one, only if every permission it grants is one the user already holds. Rules are broken
// down to one verb on one resource of one group (BreakdownRule) and each piece must be covered
// by some rule the user holds; what is missing is compacted by resource for the message.
import type { UserInfo } from '../user.js';
import { compactRuleString, type PolicyRule } from './rules.js';

/** One rule per group x resource x verb (x resourceName), or per nonResourceURL x verb. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        if (rule.resourceNames?.length) {
          for (const name of rule.resourceNames) out.push({ apiGroups: [group], resources: [resource], resourceNames: [name], verbs: [verb] });
        } else {
          out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) {
    for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  }
  return out;
}

const hasAll = (owner: readonly string[] | undefined, servant: readonly string[] | undefined) => {
  const o = owner ?? [];
  if (o.includes('*')) return true;
  return (servant ?? []).every((s) => o.includes(s));
};

/** Resources: "*" covers all, "*\/sub" covers that subresource of any resource (policy_comparator.go resourceCoversAll). */
function resourcesCover(owner: readonly string[] | undefined, servant: readonly string[] | undefined): boolean {
  const o = owner ?? [];
  if (o.includes('*')) return true;
  return (servant ?? []).every((s) => {
    if (o.includes(s)) return true;
    const slash = s.indexOf('/');
    return slash >= 0 && o.includes(`*${s.slice(slash)}`);
  });
}

function nonResourceURLsCover(owner: readonly string[] | undefined, servant: readonly string[] | undefined): boolean {
  return (servant ?? []).every((s) => (owner ?? []).some((o) => o === '*' || o === s || (o.endsWith('*') && s.startsWith(o.slice(0, -1)))));
}

/** Whether `owner` grants all of `servant` (ruleCovers). */
export function ruleCovers(owner: PolicyRule, servant: PolicyRule): boolean {
  const resourceNamesCover = (owner.resourceNames ?? []).length === 0 || hasAll(owner.resourceNames, servant.resourceNames) && (servant.resourceNames ?? []).length > 0;
  return (
    hasAll(owner.verbs, servant.verbs) &&
    hasAll(owner.apiGroups, servant.apiGroups) &&
    resourcesCover(owner.resources, servant.resources) &&
    nonResourceURLsCover(owner.nonResourceURLs, servant.nonResourceURLs) &&
    resourceNamesCover
  );
}

/** The pieces of `servantRules` no owner rule covers (Covers' second result). */
export function uncoveredRules(ownerRules: readonly PolicyRule[], servantRules: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const servant of servantRules) {
    for (const piece of breakdownRule(servant)) {
      if (!ownerRules.some((o) => ruleCovers(o, piece))) missing.push(piece);
    }
  }
  return missing;
}

/** Merges single group/resource pieces that differ only by verb (CompactRules). */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const byResource = new Map<string, PolicyRule>();
  for (const r of rules) {
    const simple = (r.apiGroups?.length ?? 0) === 1 && (r.resources?.length ?? 0) === 1 && (r.resourceNames?.length ?? 0) <= 1 && !r.nonResourceURLs?.length;
    if (!simple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups, r.resources, r.resourceNames ?? null]);
    const existing = byResource.get(key);
    if (existing) {
      for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
    } else {
      const copy: PolicyRule = { ...r, verbs: [...r.verbs] };
      byResource.set(key, copy);
      out.push(copy);
    }
  }
  return out;
}

/**
 * kube's message for a write that would grant what the user lacks: `user "bob"
 * (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:`
 * and each missing rule on its own line, sorted.
 */
export function escalationMessage(user: UserInfo, missing: readonly PolicyRule[], resolutionErrors: readonly string[] = []): string {
  const lines = [...new Set(compactRules(missing).map(compactRuleString))].sort();
  const groups = `[${user.groups.map((g) => JSON.stringify(g)).join(' ')}]`;
  let msg = `user ${JSON.stringify(user.name)} (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (resolutionErrors.length) msg += `; resolution errors: [${resolutionErrors.join(', ')}]`;
  return msg;
}
