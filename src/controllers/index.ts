// Every controller kubesim can run, by the name `--controllers` uses, and the function that
// starts a chosen set against a Client (in-process beside the server, or over HTTP).
import type { Client } from '../clients/interfaces.js';
import { recorderFactory, type ControllerDefinition } from './definition.js';
import { garbageCollectorController } from './garbagecollector/setup.js';
import { jobController } from './job/setup.js';
import { namespaceController } from './namespace/setup.js';
import { ttlAfterFinishedController } from './ttlafterfinished/setup.js';
import { cronJobController } from './cronjob/setup.js';
import { cronTabController } from './crontab/setup.js';
import { clusterRoleAggregationController } from './clusterrole-aggregation/setup.js';
import { deploymentController } from './deployment/setup.js';
import { kubeletController } from './kubelet/index.js';
import { replicaSetController } from './replicaset/setup.js';
import { resourceQuotaController } from './resourcequota/setup.js';
import { schedulerController } from './scheduler/index.js';
import type { Clock } from './runtime/clock.js';
import { Manager } from './runtime/manager.js';

/** Known controllers, in start order. */
export const CONTROLLERS: ControllerDefinition[] = [
  garbageCollectorController,
  schedulerController,
  namespaceController,
  kubeletController,
  jobController,
  ttlAfterFinishedController,
  cronJobController,
  replicaSetController,
  deploymentController,
  cronTabController,
  resourceQuotaController,
  clusterRoleAggregationController,
];

export function controllerNames(): string[] {
  return CONTROLLERS.map((c) => c.name);
}

/** The definitions a `--controllers` value selects; an unknown name is an error naming the known ones. */
export function selectControllers(which: 'all' | 'none' | string[]): ControllerDefinition[] {
  if (which === 'none') return [];
  if (which === 'all') return CONTROLLERS;
  const unknown = which.filter((n) => !CONTROLLERS.some((c) => c.name === n));
  if (unknown.length) {
    throw new Error(`unknown controller${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${controllerNames().join(', ') || '(none yet)'}`);
  }
  return CONTROLLERS.filter((c) => which.includes(c.name));
}

export interface RunningControllers {
  names: string[];
  stop(): Promise<void>;
}

export async function startControllers(opts: {
  client: Client;
  clock: Clock;
  which: 'all' | 'none' | string[];
  nodes?: number;
  onError?: (err: unknown) => void;
  /**
   * The client a controller's own requests go through, by controller name (its own identity,
   * as kube-controller-manager's --use-service-account-credentials); `client` when unset. The
   * shared informers and event recorders use `client`.
   */
  clientFor?: (controller: string) => Client;
}): Promise<RunningControllers> {
  const definitions = selectControllers(opts.which);
  const onError = opts.onError ?? ((err: unknown) => console.error(`kubesim controllers: ${(err as Error)?.message ?? err}`));
  const manager = new Manager({ client: opts.client, clock: opts.clock, onError });
  const recorder = recorderFactory(opts.client, opts.clock, onError);
  const ctx = { client: opts.client, clock: opts.clock, manager, recorder, nodes: opts.nodes ?? 1, onError };
  for (const d of definitions) await d.setup(opts.clientFor ? { ...ctx, client: opts.clientFor(d.name) } : ctx);
  if (definitions.length) await manager.start();
  return {
    names: definitions.map((d) => d.name),
    async stop() {
      await manager.stop();
      // Events the last reconciles recorded are written before the server goes.
      await recorder.flush();
    },
  };
}
