// kube's RBAC authorizer (plugin/pkg/auth/authorizer/rbac): allows a request when a rule of a
// role bound to the user (ClusterRoleBindings, then RoleBindings in the request's namespace)
// matches it; never denies, so another authorizer may still allow. A binding to a role that
// does not exist is reported in the reason, as kube does.
import type { Attributes, AuthorizationResult, Authorizer } from '../authorizer.js';
import { SYSTEM_MASTERS, type UserInfo } from '../user.js';
import type { Binding, PolicyIndex } from './policy-index.js';
import { ruleAllows, subjectAppliesTo, type PolicyRule, type RoleRef, type Subject } from './rules.js';

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

function describeBinding(b: Binding, subject: Subject): string {
  const name = b.kind === 'RoleBinding' ? `${b.name}/${b.namespace}` : b.name;
  return `RBAC: allowed by ${b.kind} ${JSON.stringify(name)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(subject, b.namespace)}`;
}

export class RBACAuthorizer implements Authorizer {
  constructor(private readonly index: PolicyIndex) {}

  /**
   * Calls `visit` with each rule that applies to the user in `namespace` (VisitRulesFor); stops
   * when it returns false. Errors (missing roles) are collected for the reason.
   */
  visitRulesFor(user: UserInfo, namespace: string, visit: (rule: PolicyRule, binding: Binding, subject: Subject) => boolean, errors: string[] = []): void {
    const walk = (bindings: Iterable<Binding>): boolean => {
      for (const b of bindings) {
        const subject = b.subjects.find((s) => subjectAppliesTo(s, user, b.namespace));
        if (!subject) continue;
        const { rules, error } = this.index.roleRules(b.roleRef, b.namespace);
        if (error) errors.push(error);
        for (const rule of rules) if (!visit(rule, b, subject)) return false;
      }
      return true;
    };
    if (!walk(this.index.clusterBindingsFor(user))) return;
    if (namespace) walk(this.index.namespaceBindingsFor(namespace, user));
  }

  /** The rules a roleRef grants (GetRoleReferenceRules), or why it cannot be read. */
  roleRulesOf(roleRef: RoleRef, namespace: string): { rules: PolicyRule[]; error?: string } {
    return this.index.roleRules(roleRef, namespace);
  }

  /** Every rule the user holds in `namespace` (cluster-wide rules included), as the rule resolver's RulesFor. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (rule) => (rules.push(rule), true), errors);
    return { rules, errors };
  }

  authorize(attrs: Attributes): AuthorizationResult {
    let reason = '';
    const errors: string[] = [];
    this.visitRulesFor(
      attrs.user,
      attrs.namespace ?? '',
      (rule, binding, subject) => {
        if (!ruleAllows(attrs, rule)) return true;
        reason = describeBinding(binding, subject);
        return false;
      },
      errors,
    );
    if (reason) return { decision: 'allow', reason };
    return { decision: 'noOpinion', reason: errors.length ? `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}` : '' };
  }
}

/** kube's privileged-group authorizer: system:masters may do anything (authorizerfactory). */
export const privilegedGroupAuthorizer: Authorizer = {
  authorize: (attrs) => (attrs.user.groups.includes(SYSTEM_MASTERS) ? { decision: 'allow', reason: '' } : { decision: 'noOpinion', reason: '' }),
};

/** The first authorizer with an opinion decides (union.New); the reasons of the others are joined. */
export function unionAuthorizer(...authorizers: Authorizer[]): Authorizer {
  return {
    authorize(attrs) {
      const reasons: string[] = [];
      for (const a of authorizers) {
        const r = a.authorize(attrs);
        if (r.decision !== 'noOpinion') return r;
        if (r.reason) reasons.push(r.reason);
      }
      return { decision: 'noOpinion', reason: reasons.join('\n') };
    },
  };
}
