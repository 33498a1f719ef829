// How a controller plugs into kubesim: a name (what `--controllers` lists) and a setup that
// registers its reconcilers with the shared manager. A controller sees only the Client, the
// Clock and the Manager, so the same setup runs in-process or out of process
// (`kubesim controllers --kubeconfig`), against kubesim or a real cluster.
import type { Client } from '../clients/interfaces.js';
import type { Clock } from './runtime/clock.js';
import { EventRecorder } from './runtime/events.js';
import type { Manager } from './runtime/manager.js';

export interface ControllerContext {
  client: Client;
  clock: Clock;
  manager: Manager;
  /** An event recorder for a component ("job-controller", "kubelet"), on a host for node agents (source.host). */
  recorder(component: string, host?: string): EventRecorder;
  /** Simulated nodes to run (the kubelet and node controllers read it). */
  nodes: number;
  onError(err: unknown): void;
}

export interface ControllerDefinition {
  name: string;
  setup(ctx: ControllerContext): void | Promise<void>;
}

/** Makes the controllers' recorders, and drains them all when the controllers stop. */
export interface RecorderFactory {
  (component: string, host?: string): EventRecorder;
  /** Settles once every recorder's queued writes are done (the broadcaster's Shutdown). */
  flush(): Promise<void>;
}

export function recorderFactory(client: Client, clock: Clock, onError: (err: unknown) => void): RecorderFactory {
  const made: EventRecorder[] = [];
  const factory = ((component: string, host?: string) => {
    const recorder = new EventRecorder({ client, clock, component, host, onError });
    made.push(recorder);
    return recorder;
  }) as RecorderFactory;
  factory.flush = async () => {
    await Promise.all(made.map((r) => r.flush()));
  };
  return factory;
}
