// Escalation prevention's coverage check (kube's validation.Covers) and its message, table-driven.
import { describe, expect, it } from 'vitest';
import { breakdownRule, compactRules, escalationMessage, ruleCovers, uncoveredRules } from '../../../../src/apiserver/auth/rbac/escalation.js';
import type { PolicyRule } from '../../../../src/apiserver/auth/rbac/rules.js';

describe('ruleCovers', () => {
  const cases: Array<[string, PolicyRule, PolicyRule, boolean]> = [
    ['same rule', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, true],
    ['star verbs, groups, resources', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['delete'], apiGroups: ['apps'], resources: ['deployments/scale'] }, true],
    ['missing verb', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['delete'], apiGroups: [''], resources: ['pods'] }, false],
    ['*/scale covers deployments/scale', { verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, { verbs: ['update'], apiGroups: ['apps'], resources: ['deployments/scale'] }, true],
    ['named owner does not cover unnamed', { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, { verbs: ['get'], apiGroups: [''], resources: ['secrets'] }, false],
    ['named owner covers the same name', { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, true],
    ['unnamed owner covers any name', { verbs: ['get'], apiGroups: [''], resources: ['secrets'] }, { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['b'] }, true],
    ['url prefix', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, { verbs: ['get'], nonResourceURLs: ['/apis/apps'] }, true],
    ['url outside the prefix', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, { verbs: ['get'], nonResourceURLs: ['/metrics'] }, false],
  ];
  it.each(cases)('%s', (_name, owner, servant, want) => {
    expect(ruleCovers(owner, servant)).toBe(want);
  });
});

describe('uncoveredRules and the escalation message', () => {
  it('breaks a rule down to one verb on one resource of one group', () => {
    expect(breakdownRule({ verbs: ['get', 'list'], apiGroups: ['', 'apps'], resources: ['pods'] })).toHaveLength(4);
  });
  it('reports what the owner lacks, compacted by resource, as kube words it', () => {
    const owner: PolicyRule[] = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }];
    const servant: PolicyRule[] = [{ verbs: ['get', 'list', 'delete', 'patch'], apiGroups: [''], resources: ['pods', 'secrets'] }];
    const missing = uncoveredRules(owner, servant);
    expect(compactRules(missing)).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['delete', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'delete', 'patch'] },
    ]);
    expect(escalationMessage({ name: 'bob', groups: ['devs', 'system:authenticated'] }, missing)).toBe(
      'user "bob" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete" "patch"]}\n' +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list" "delete" "patch"]}',
    );
  });
  it('finds nothing missing when the owner holds it all', () => {
    expect(uncoveredRules([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['get'], apiGroups: ['x'], resources: ['y'] }])).toEqual([]);
  });
});
