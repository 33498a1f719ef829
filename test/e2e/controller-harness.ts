// What controller tests share: a cluster on a virtual clock with only the controllers under
// test running (set up exactly as startControllers does), and a polling wait.
import { startCluster, type Cluster, VirtualClock } from '../../src/index.js';
import { recorderFactory, type ControllerDefinition } from '../../src/controllers/definition.js';
import { Manager } from '../../src/controllers/runtime/manager.js';
import { InProcessClient } from '../../src/clients/in-process.js';
import { controllerUser, KUBE_CONTROLLER_MANAGER } from '../../src/apiserver/auth/rbac/controller-policy.js';

export interface ControllerHarness {
  cluster: Cluster;
  clock: VirtualClock;
  manager: Manager;
  /** Errors the controllers reported (a test usually expects none). */
  errors: unknown[];
  /**
   * Polls `check` until it returns something other than undefined or false, advancing the
   * virtual clock by `nudgeMs` between tries so retries and backoffs fire; the timeout error
   * names what never came and the errors the controllers reported.
   */
  until<T>(what: string, check: () => Promise<T | undefined | false>, opts?: { timeoutMs?: number; nudgeMs?: number }): Promise<T>;
  stop(): Promise<void>;
}

export async function startWithControllers(definitions: ControllerDefinition[], opts: { nodes?: number } = {}): Promise<ControllerHarness> {
  const clock = new VirtualClock(new Date());
  const cluster = await startCluster({ controllers: 'none', clock });
  const errors: unknown[] = [];
  const onError = (e: unknown) => errors.push(e);
  // Each controller under its own identity and the shared informers as the controller manager,
  // as startCluster runs them, so a permission a controller lacks fails its test.
  const shared = new InProcessClient(cluster.server, { user: KUBE_CONTROLLER_MANAGER });
  const manager = new Manager({ client: shared, clock, onError });
  const ctx = { client: shared, clock, manager, recorder: recorderFactory(shared, clock, onError), nodes: opts.nodes ?? 1, onError };
  for (const d of definitions) await d.setup({ ...ctx, client: new InProcessClient(cluster.server, { user: controllerUser(d.name) }) });
  await manager.start();
  return {
    cluster,
    clock,
    manager,
    errors,
    async until<T>(what: string, check: () => Promise<T | undefined | false>, opts: { timeoutMs?: number; nudgeMs?: number } = {}): Promise<T> {
      const deadline = Date.now() + (opts.timeoutMs ?? 5000);
      let last: unknown;
      for (;;) {
        try {
          const v = await check();
          if (v !== undefined && v !== false) return v;
        } catch (e) {
          last = e;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}; errors: ${errors.map(String).join('; ')}`);
        clock.advance(opts.nudgeMs ?? 100);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async stop() {
      await manager.stop();
      await cluster.stop();
    },
  };
}

/** Polls `check` until it returns something truthy; the timeout error names what never came. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 5000, intervalMs = 5): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
