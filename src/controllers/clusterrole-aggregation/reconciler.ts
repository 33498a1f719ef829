// The clusterrole-aggregation controller: keeps each aggregated ClusterRole's rules equal to
// what its aggregationRule selects (kube's ClusterRoleAggregationController), re-reading the
// ClusterRoles from the shared cache on every pass.
import { isConflict, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import type { Cache } from '../runtime/cache.js';
import type { Reconciler, Request } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { aggregatedRules } from './aggregate.js';

export const CLUSTER_ROLES: ResourceRef = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', namespaced: false };

export class ClusterRoleAggregationReconciler implements Reconciler {
  constructor(private readonly opts: { client: Client; clusterRoles: Cache }) {}

  async reconcile(req: Request): Promise<void> {
    const role = this.opts.clusterRoles.get(req.name);
    if (!role) return;
    const rules = aggregatedRules(role, this.opts.clusterRoles.list());
    if (!rules) return;
    if (JSON.stringify(rules) === JSON.stringify((role as { rules?: unknown }).rules ?? [])) return;
    try {
      await this.opts.client.update(CLUSTER_ROLES, { ...role, rules } as KubeObject);
    } catch (e) {
      // A newer version is coming through the informer; it is looked at again then.
      if (isConflict(e) || isNotFound(e)) return;
      throw e;
    }
  }
}
