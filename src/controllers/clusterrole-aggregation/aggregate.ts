// The ClusterRole aggregation rule (kube-controller-manager pkg/controller/clusterroleaggregation):
// an aggregated ClusterRole's rules are the rules of every other ClusterRole its
// clusterRoleSelectors match, in name order, each distinct rule once.
import { selectorMatches, type LabelSelector } from '../replicaset/pods.js';
import type { KubeObject } from '../runtime/types.js';

export interface AggregationRule {
  clusterRoleSelectors?: LabelSelector[];
}

export function aggregationRuleOf(role: KubeObject): AggregationRule | undefined {
  const rule = (role as { aggregationRule?: unknown }).aggregationRule;
  return rule && typeof rule === 'object' ? (rule as AggregationRule) : undefined;
}

/** The rules `role` aggregates from `all` (every ClusterRole), or undefined when it has no aggregationRule. */
export function aggregatedRules(role: KubeObject, all: readonly KubeObject[]): unknown[] | undefined {
  const rule = aggregationRuleOf(role);
  if (!rule) return undefined;
  const selectors = rule.clusterRoleSelectors ?? [];
  const sources = all
    .filter((r) => r.metadata.name !== role.metadata.name)
    .filter((r) => selectors.some((s) => selectorMatches(s, (r.metadata.labels ?? {}) as Record<string, string>)))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const rules: unknown[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    const list = (source as { rules?: unknown }).rules;
    if (!Array.isArray(list)) continue;
    for (const r of list) {
      const key = JSON.stringify(r);
      if (seen.has(key)) continue;
      seen.add(key);
      rules.push(r);
    }
  }
  return rules;
}
