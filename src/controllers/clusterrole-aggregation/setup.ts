// Wires the clusterrole-aggregation controller: for(ClusterRole), and any ClusterRole change
// re-examines every aggregated ClusterRole (a label added to a role can add it to admin).
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import { aggregationRuleOf } from './aggregate.js';
import { CLUSTER_ROLES, ClusterRoleAggregationReconciler } from './reconciler.js';

export const clusterRoleAggregationController: ControllerDefinition = {
  name: 'clusterrole-aggregation',
  setup(ctx) {
    const clusterRoles = ctx.manager.informerFor(CLUSTER_ROLES).cache;
    const reconciler = new ClusterRoleAggregationReconciler({ client: ctx.client, clusterRoles });
    controllerFor(CLUSTER_ROLES)
      .watches(CLUSTER_ROLES, () => clusterRoles.list().filter((r) => aggregationRuleOf(r)).map((r) => ({ name: r.metadata.name! })))
      .withReconciler(reconciler)
      .build({ name: 'clusterrole-aggregation', manager: ctx.manager });
  },
};
