// The Deployment controller: for(Deployment).owns(ReplicaSet), as kube-controller-manager's
// "deployment" controller watches them.
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import { REPLICASETS } from '../replicaset/reconciler.js';
import { DEPLOYMENTS, DeploymentReconciler } from './reconciler.js';

export const deploymentController: ControllerDefinition = {
  name: 'deployment',
  setup(ctx) {
    const reconciler = new DeploymentReconciler({ client: ctx.client, clock: ctx.clock, recorder: ctx.recorder('deployment-controller') });
    controllerFor(DEPLOYMENTS, { kind: 'Deployment' })
      .owns(REPLICASETS)
      .withReconciler(reconciler)
      .build({ name: 'deployment', manager: ctx.manager });
  },
};
