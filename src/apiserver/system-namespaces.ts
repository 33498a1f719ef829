// kube-apiserver's system namespaces controller (pkg/controlplane/controller/systemnamespaces):
// once a minute, creates kube-system, kube-public and kube-node-lease if they are missing. Only
// kube-node-lease can actually be deleted (NamespaceLifecycle protects the others), so this is
// what brings it back after a `kubectl delete namespace kube-node-lease`.
import { loopbackHeaders } from './auth/authentication-filter.js';
import type { FastifyInstance } from 'fastify';
import type { Clock, TimerHandle } from '../controllers/runtime/clock.js';
import type { Storage } from './storage/interface.js';

export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;

/** How often the namespaces are checked (wait.Until(c.sync, 1*time.Minute)). */
export const SYSTEM_NAMESPACES_SYNC_MS = 60_000;

export interface SystemNamespacesOptions {
  server: FastifyInstance;
  storage: Storage;
  clock: Clock;
  onError?: (err: unknown) => void;
}

export class SystemNamespacesController {
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly opts: SystemNamespacesOptions) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
  }

  /** Creates each missing system namespace through the API, as the controller's loopback client does. */
  async sync(): Promise<void> {
    for (const name of SYSTEM_NAMESPACES) {
      if (this.opts.storage.get('namespaces', name)) continue;
      const res = await this.opts.server.inject({
        method: 'POST',
        url: '/api/v1/namespaces',
        // The server's own loopback credential: with authentication on, it is still the server asking.
        headers: { ...loopbackHeaders(this.opts.server), 'content-type': 'application/json', 'user-agent': 'kube-apiserver/v1.33.0' },
        payload: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
      });
      // AlreadyExists: someone created it meanwhile, which is all we wanted.
      if (res.statusCode !== 201 && res.statusCode !== 409) throw new Error(`creating system namespace ${name}: ${res.statusCode} ${res.body}`);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    // A background timer: advancing a virtual clock passes it without stopping there.
    this.timer = this.opts.clock.setTimeout(
      () => {
        this.sync()
          .catch((e: unknown) => (this.opts.onError ?? ((err: unknown) => console.error(`kubesim system namespaces: ${(err as Error)?.message ?? err}`)))(e))
          .finally(() => this.schedule());
      },
      SYSTEM_NAMESPACES_SYNC_MS,
      { background: true },
    );
  }
}
