// The ClusterRole aggregation rule: selected roles' rules in name order, each once, never the
// aggregated role's own; and the default admin/edit/view roles as bootstrap writes them.
import { describe, expect, it } from 'vitest';
import { clusterRoleObjects } from '../../../../src/apiserver/auth/rbac/bootstrap-policy.js';
import { aggregatedRules } from '../../../../src/controllers/clusterrole-aggregation/aggregate.js';
import type { KubeObject } from '../../../../src/controllers/runtime/types.js';

const role = (name: string, labels: Record<string, string>, rules: unknown[], aggregateLabel?: string): KubeObject =>
  ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules,
    ...(aggregateLabel ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregateLabel]: 'true' } }] } } : {}),
  }) as KubeObject;

describe('aggregatedRules', () => {
  const r1 = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const r2 = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
  const target = role('monitoring', {}, [], 'aggregate-to-monitoring');
  const cases: Array<[string, KubeObject[], unknown[] | undefined]> = [
    ['no matching role: no rules', [target, role('a', {}, [r1])], []],
    ['matching roles in name order', [target, role('b', { 'aggregate-to-monitoring': 'true' }, [r2]), role('a', { 'aggregate-to-monitoring': 'true' }, [r1])], [r1, r2]],
    ['a rule shared by two roles appears once', [target, role('a', { 'aggregate-to-monitoring': 'true' }, [r1]), role('b', { 'aggregate-to-monitoring': 'true' }, [r1, r2])], [r1, r2]],
    ['label value must match', [target, role('a', { 'aggregate-to-monitoring': 'false' }, [r1])], []],
  ];
  it.each(cases)('%s', (_name, all, want) => {
    expect(aggregatedRules(target, all)).toEqual(want);
  });
  it('is undefined for a role without aggregationRule', () => {
    expect(aggregatedRules(role('plain', {}, [r1]), [])).toBeUndefined();
  });
  it('the bootstrap admin/edit/view rules are what the controller computes (view in edit in admin)', () => {
    const all = clusterRoleObjects() as unknown as KubeObject[];
    for (const name of ['view', 'edit', 'admin']) {
      const r = all.find((x) => x.metadata.name === name)!;
      expect(aggregatedRules(r, all), name).toEqual((r as { rules?: unknown }).rules);
    }
    const rulesOf = (name: string) => JSON.stringify((all.find((x) => x.metadata.name === name) as { rules?: unknown }).rules);
    expect(rulesOf('admin')).toContain('"rolebindings"');
    expect(rulesOf('edit')).not.toContain('"rolebindings"');
    expect(rulesOf('edit')).toContain('"pods/exec"');
    expect(rulesOf('view')).not.toContain('"secrets"');
  });
});
