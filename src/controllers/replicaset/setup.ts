// The ReplicaSet controller: for(ReplicaSet).owns(Pod), as kube-controller-manager's
// "replicaset" controller watches them.
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import { PODS, REPLICASETS, ReplicaSetReconciler } from './reconciler.js';

export const replicaSetController: ControllerDefinition = {
  name: 'replicaset',
  setup(ctx) {
    const reconciler = new ReplicaSetReconciler({ client: ctx.client, clock: ctx.clock, recorder: ctx.recorder('replicaset-controller') });
    controllerFor(REPLICASETS, { kind: 'ReplicaSet' })
      .owns(PODS)
      .withReconciler(reconciler)
      .build({ name: 'replicaset', manager: ctx.manager });
  },
};
