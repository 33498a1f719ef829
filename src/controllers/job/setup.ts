// Wires the Job controller: for(Job).owns(Pod), with the shared pod informer's cache.
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import { JOBS, JobReconciler, PODS } from './reconciler.js';

export const jobController: ControllerDefinition = {
  name: 'job',
  setup(ctx) {
    const pods = ctx.manager.informerFor(PODS).cache;
    const reconciler = new JobReconciler({ client: ctx.client, clock: ctx.clock, pods, recorder: ctx.recorder('job-controller') });
    controllerFor(JOBS, { kind: 'Job' }).owns(PODS).withReconciler(reconciler).build({ name: 'job', manager: ctx.manager });
  },
};
