// Wires the CronJob controller: for(CronJob).owns(Job); the reconciler requeues itself for
// the next schedule time on the injected clock.
import type { ControllerDefinition } from '../definition.js';
import { controllerFor } from '../runtime/builder.js';
import { CRONJOBS, CronJobReconciler, JOBS } from './reconciler.js';

export const cronJobController: ControllerDefinition = {
  name: 'cronjob',
  setup(ctx) {
    const reconciler = new CronJobReconciler({ client: ctx.client, clock: ctx.clock, recorder: ctx.recorder('cronjob-controller') });
    controllerFor(CRONJOBS, { kind: 'CronJob' }).owns(JOBS).withReconciler(reconciler).build({ name: 'cronjob', manager: ctx.manager });
  },
};
