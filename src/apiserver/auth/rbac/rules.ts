// PolicyRule matching as kube's RBAC authorizer does it (plugin/pkg/auth/authorizer/rbac
// rbac.go RuleAllows and pkg/apis/rbac/v1 evaluation_helpers.go): verbs, apiGroups, resources
// ("pods", "pods/log", "*", "*/scale"), resourceNames, nonResourceURLs with a trailing "*".
import type { Attributes } from '../authorizer.js';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

const ALL = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes(ALL) || rule.verbs.includes(verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  const groups = rule.apiGroups ?? [];
  return groups.includes(ALL) || groups.includes(group);
}

/** "pods/log" matches "pods/log", "*", "*\/log"; a plain "pods" matches "pods" and "*" only. */
export function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

/** An empty resourceNames list matches every name; otherwise the request must name one listed. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return names.includes(name);
}

/** "/healthz" matches "/healthz" and "*"; "/apis/*" matches every path under "/apis/". */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === ALL || url === path) return true;
    if (url.endsWith('*') && path.startsWith(url.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (attrs.isResourceRequest) {
    return (
      verbMatches(rule, attrs.verb) &&
      apiGroupMatches(rule, attrs.apiGroup ?? '') &&
      resourceMatches(rule, attrs.resource ?? '', attrs.subresource ?? '') &&
      resourceNameMatches(rule, attrs.name ?? '')
    );
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path ?? '');
}

/** Whether a binding's subject names the user (rbac.go appliesToUser): a ServiceAccount by its user name. */
export function subjectAppliesTo(subject: Subject, user: { name: string; groups: readonly string[] }, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      // A RoleBinding's ServiceAccount subject without a namespace is in the binding's namespace.
      const ns = subject.namespace || bindingNamespace;
      return ns !== '' && user.name === serviceAccountUserName(ns, subject.name);
    }
    default:
      return false;
  }
}

export function serviceAccountUserName(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The string kube prints for a rule in escalation errors (rbacv1helpers.CompactString: Go's %q of each list). */
export function compactRuleString(rule: PolicyRule): string {
  const parts: string[] = [];
  const list = (name: string, v: string[] | undefined) => {
    if (v && v.length) parts.push(`${name}:[${v.map((s) => JSON.stringify(s)).join(' ')}]`);
  };
  list('APIGroups', rule.apiGroups);
  list('Resources', rule.resources);
  list('NonResourceURLs', rule.nonResourceURLs);
  list('ResourceNames', rule.resourceNames);
  list('Verbs', rule.verbs);
  return `{${parts.join(', ')}}`;
}

/** Reads rules from a stored object, keeping only well-typed string lists. */
export function rulesOf(obj: object): PolicyRule[] {
  const rules = (obj as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return [];
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);
  return rules
    .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
    .map((r) => {
      const rule: PolicyRule = { verbs: strings(r.verbs) ?? [] };
      const apiGroups = strings(r.apiGroups);
      const resources = strings(r.resources);
      const resourceNames = strings(r.resourceNames);
      const nonResourceURLs = strings(r.nonResourceURLs);
      if (apiGroups) rule.apiGroups = apiGroups;
      if (resources) rule.resources = resources;
      if (resourceNames) rule.resourceNames = resourceNames;
      if (nonResourceURLs) rule.nonResourceURLs = nonResourceURLs;
      return rule;
    });
}
