// Owns the shared informers and the controllers that use them, and starts them in order:
// informers, wait for their caches to sync, then workers (controller-runtime pkg/manager +
// pkg/cache informer sharing; client-go SharedInformerFactory).
import type { Client, ResourceRef } from '../../clients/interfaces.js';
import type { Clock } from './clock.js';
import { Informer } from './informer.js';

export interface ManagerOptions {
  client: Client;
  clock: Clock;
  /** Where informer errors are reported; defaults to console.error. */
  onError?: (err: unknown) => void;
}

export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Anything the manager starts after the caches sync (controller-runtime Runnable). */
export interface Runnable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class Manager {
  readonly client: Client;
  readonly clock: Clock;
  private readonly onError: ((err: unknown) => void) | undefined;
  private readonly informers = new Map<string, Informer>();
  private readonly runnables: Runnable[] = [];
  private started = false;

  constructor(opts: ManagerOptions) {
    this.client = opts.client;
    this.clock = opts.clock;
    this.onError = opts.onError;
  }

  /**
   * The one informer for this resource and scope, shared by every controller that asks, so
   * a resource is listed and watched once. Asked for after start, it starts at once.
   */
  informerFor(ref: ResourceRef, scope: InformerScope = {}): Informer {
    const key = informerKey(ref, scope);
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer({ client: this.client, clock: this.clock, ref, ...scope, onError: this.onError });
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf;
  }

  /**
   * Stop and forget the informer for a resource the server no longer serves (a deleted CRD),
   * whose list and watch could only fail from now on. Asked for again, it is a new one.
   */
  async removeInformer(ref: ResourceRef, scope: InformerScope = {}): Promise<void> {
    const key = informerKey(ref, scope);
    const inf = this.informers.get(key);
    if (!inf) return;
    this.informers.delete(key);
    await inf.stop();
  }

  add(r: Runnable): void {
    this.runnables.push(r);
    if (this.started) void r.start().catch((e: unknown) => this.report(e));
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('manager already started');
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
    await this.waitForCacheSync();
    for (const r of this.runnables) await r.start();
  }

  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  /** Controllers first, so no worker reads a cache that has stopped, then informers. */
  async stop(): Promise<void> {
    await Promise.all(this.runnables.map((r) => r.stop()));
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  private report(e: unknown): void {
    if (this.onError) this.onError(e);
    else console.error('manager:', e);
  }
}

function informerKey(ref: ResourceRef, scope: InformerScope): string {
  return [ref.group, ref.version, ref.resource, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? ''].join('|');
}
