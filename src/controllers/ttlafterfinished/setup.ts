// Wires the TTL-after-finished controller: for(Job), reading Jobs from the shared informer's cache.
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import { JOBS, TTLAfterFinishedReconciler } from './reconciler.js';

export const ttlAfterFinishedController: ControllerDefinition = {
  name: 'ttlafterfinished',
  setup(ctx) {
    const jobs = ctx.manager.informerFor(JOBS).cache;
    const reconciler = new TTLAfterFinishedReconciler({ client: ctx.client, clock: ctx.clock, jobs });
    controllerFor(JOBS, { kind: 'Job' }).withReconciler(reconciler).build({ name: 'ttlafterfinished', manager: ctx.manager });
  },
};
