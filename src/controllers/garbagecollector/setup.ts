// Wires the garbage collector: discovery and one informer per deletable resource registered
// with the shared manager, then the attemptToDelete and attemptToOrphan workers.
import type { ControllerDefinition } from '../definition.js';
import { GarbageCollector } from './garbage-collector.js';

export const garbageCollectorController: ControllerDefinition = {
  name: 'garbagecollector',
  async setup(ctx) {
    const gc = new GarbageCollector({
      client: ctx.client,
      clock: ctx.clock,
      manager: ctx.manager,
      recorder: ctx.recorder('garbage-collector-controller'),
      onError: ctx.onError,
    });
    await gc.setup();
  },
};
