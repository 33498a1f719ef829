// One informer ("monitor") per resource that can be listed, watched and deleted, found by
// discovery and found again whenever CustomResourceDefinitions change, so a custom kind is
// collected from the moment it is served (graph_builder.go syncMonitors; garbagecollector.go
// Sync and GetDeletableResources).
import type { Client } from '../../clients/interfaces.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import type { Manager } from '../runtime/manager.js';
import type { GraphBuilder } from './graph-builder.js';
import { apiVersionOf, type DiscoveredResource, type RestMapper } from './rest-mapper.js';

/** kube-controller-manager's DefaultIgnoredResources: Events are never owners worth watching. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);
const REQUIRED_VERBS = ['list', 'watch', 'delete'];

export function isDeletable(r: DiscoveredResource): boolean {
  return !IGNORED.has(`${r.group}/${r.resource}`) && REQUIRED_VERBS.every((v) => r.verbs.includes(v));
}

export interface MonitorsOptions {
  client: Client;
  clock: Clock;
  manager: Manager;
  mapper: RestMapper;
  builder: GraphBuilder;
  /** group/resource of every CRD that says it is Established with a served version. */
  establishedCustomResources(): string[];
  onError(err: unknown): void;
}

/**
 * A CRD is marked Established a moment before discovery serves it; look again this soon,
 * a few times, on background timers so an advancing virtual clock does not stop for them.
 */
const UNSERVED_RETRY_MS = 200;
const UNSERVED_RETRIES = 10;

const keyOf = (r: DiscoveredResource): string => `${r.group}/${r.version}/${r.resource}`;

export class Monitors {
  private readonly monitors = new Map<string, DiscoveredResource>();
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private retry: TimerHandle | undefined;
  private retries = 0;

  constructor(private readonly opts: MonitorsOptions) {}

  /** Discover now, or once more after the discovery in flight; resolves when that one is done. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.syncOnce();
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** sync() for an event handler: failures are reported, and the next change tries again. */
  requestSync(): void {
    if (this.stopped) return;
    this.sync().catch((e: unknown) => this.opts.onError(e));
  }

  /** Stops, and settles once a discovery in flight has answered: nothing asks after the server goes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) this.opts.clock.clearTimeout(this.retry);
    this.retry = undefined;
    await this.running?.catch(() => undefined);
  }

  private async syncOnce(): Promise<void> {
    const { client, manager, mapper, builder } = this.opts;
    const discovered = await client.serverResources();
    if (this.stopped) return;
    // An empty answer is a failed discovery, not a cluster without resources: keep watching.
    if (discovered.length === 0) return;
    mapper.update(discovered);
    const wanted = new Map(discovered.filter(isDeletable).map((r) => [keyOf(r), r]));
    for (const [key, r] of wanted) {
      if (this.monitors.has(key)) continue;
      this.monitors.set(key, r);
      const type = { apiVersion: apiVersionOf(r), kind: r.kind };
      manager.informerFor(r).addEventHandler({
        onAdd: (o) => builder.observe(o, type),
        onUpdate: (_old, o) => builder.observe(o, type),
        onDelete: (o) => builder.forget(o, type),
      });
    }
    const servedGroupResources = new Set(discovered.map((r) => `${r.group}/${r.resource}`));
    for (const [key, r] of [...this.monitors]) {
      if (wanted.has(key)) continue;
      this.monitors.delete(key);
      const informer = manager.informerFor(r);
      const last = informer.cache.list();
      await manager.removeInformer(r);
      // A resource no longer served in any version (its CRD deleted) took its objects with it:
      // their dependents are looked at now. One that moved to another version is still there,
      // and the new version's informer shows its objects again.
      if (!servedGroupResources.has(`${r.group}/${r.resource}`)) {
        const type = { apiVersion: apiVersionOf(r), kind: r.kind };
        for (const o of last) builder.forget(o, type);
      }
    }
    this.retryUnserved(servedGroupResources);
  }

  private retryUnserved(served: Set<string>): void {
    const missing = this.opts.establishedCustomResources().some((gr) => !served.has(gr));
    if (!missing) {
      this.retries = 0;
      return;
    }
    if (this.retry || this.retries >= UNSERVED_RETRIES) return;
    this.retries++;
    this.retry = this.opts.clock.setTimeout(
      () => {
        this.retry = undefined;
        this.requestSync();
      },
      UNSERVED_RETRY_MS,
      { background: true },
    );
  }
}
