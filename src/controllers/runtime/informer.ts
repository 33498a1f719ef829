// List, then watch from the list's resourceVersion, keeping a Cache in step and telling
// handlers what changed (client-go tools/cache reflector.go ListAndWatch + shared_informer.go).
import { isGone, type Client, type ResourceRef, type WatchEvent, type WatchStream } from '../../clients/interfaces.js';
import { Cache, objectKey, type IndexFunc } from './cache.js';
import type { Clock, TimerHandle } from './clock.js';
import type { KubeObject } from './types.js';

export interface EventHandler<T extends KubeObject = KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export interface InformerOptions {
  client: Client;
  clock: Clock;
  ref: ResourceRef;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  indexers?: Record<string, IndexFunc>;
  /** Watch retry backoff; client-go's reflector uses 800ms doubling to 30s. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Where list/watch failures and handler exceptions are reported; defaults to console.error. */
  onError?: (err: unknown) => void;
}

type WatchOutcome = 'gone' | 'closed' | 'error' | 'stopped';

export class Informer<T extends KubeObject = KubeObject> {
  readonly cache: Cache<T>;
  readonly ref: ResourceRef;
  private readonly opts: InformerOptions;
  private readonly handlers: EventHandler<T>[] = [];
  private resourceVersion = '';
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private started = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private stream: WatchStream | undefined;
  private endWatch: ((o: WatchOutcome) => void) | undefined;
  private sleeping: { timer: TimerHandle; wake: () => void } | undefined;
  private backoffMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(opts: InformerOptions) {
    this.opts = opts;
    this.ref = opts.ref;
    this.cache = new Cache<T>({ indexers: opts.indexers });
    this.initialBackoffMs = opts.backoff?.initialMs ?? 800;
    this.maxBackoffMs = opts.backoff?.maxMs ?? 30_000;
    this.backoffMs = this.initialBackoffMs;
  }

  /**
   * Register handlers. Added after the informer has synced, the handler first gets an add
   * for every cached object, as client-go's AddEventHandler replays the store.
   */
  addEventHandler(h: EventHandler<T>): void {
    this.handlers.push(h);
    if (this.synced) for (const obj of this.cache.list()) this.call(() => h.onAdd?.(obj));
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has been stored and its adds delivered. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The resourceVersion the next watch would start from. */
  lastSyncResourceVersion(): string {
    return this.resourceVersion;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.endWatch?.('stopped');
    if (this.sleeping) {
      this.opts.clock.clearTimeout(this.sleeping.timer);
      this.sleeping.wake();
    }
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.relist();
      } catch (e) {
        this.report(e);
        await this.backoff();
        continue;
      }
      // Watch until the server says our resourceVersion is too old (410), then relist.
      while (!this.stopped) {
        const outcome = await this.watchOnce();
        if (outcome === 'gone' || outcome === 'stopped') break;
        // A server-side timeout ends a watch cleanly: resume at once, as the reflector does.
        // A broken stream resumes from the last resourceVersion after a backoff.
        if (outcome === 'error') await this.backoff();
      }
    }
  }

  /**
   * List and replace the cache, telling handlers the difference: adds for new objects,
   * updates for changed resourceVersions, deletes for objects no longer listed (client-go
   * DeltaFIFO.Replace; there a vanished object arrives as DeletedFinalStateUnknown, here as
   * its last known state).
   */
  private async relist(): Promise<void> {
    const list = await this.opts.client.list<T>(this.ref, {
      namespace: this.opts.namespace,
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
    });
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const obj of list.items) {
      seen.add(objectKey(obj));
      this.apply('upsert', obj);
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const old = this.cache.delete(key)!;
      this.emit((h) => h.onDelete?.(old));
    }
    this.resourceVersion = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private watchOnce(): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve) => {
      let settled = false;
      const finish = (o: WatchOutcome): void => {
        if (settled) return;
        settled = true;
        this.endWatch = undefined;
        this.stream?.stop();
        this.stream = undefined;
        resolve(o);
      };
      this.endWatch = finish;
      const onEvent = (ev: WatchEvent<T>): void => {
        if (settled) return;
        this.handleEvent(ev, finish);
      };
      this.opts.client
        .watch<T>(
          this.ref,
          {
            namespace: this.opts.namespace,
            labelSelector: this.opts.labelSelector,
            fieldSelector: this.opts.fieldSelector,
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
          },
          onEvent,
        )
        .then(
          (s) => {
            if (settled) {
              s.stop();
              return;
            }
            this.stream = s;
            s.done.then(
              () => finish('closed'),
              (e: unknown) => {
                if (!isGone(e)) this.report(e);
                finish(isGone(e) ? 'gone' : 'error');
              },
            );
          },
          (e: unknown) => {
            if (!isGone(e)) this.report(e);
            finish(isGone(e) ? 'gone' : 'error');
          },
        );
    });
  }

  private handleEvent(ev: WatchEvent<T>, finish: (o: WatchOutcome) => void): void {
    const rv = ev.object?.metadata?.resourceVersion;
    switch (ev.type) {
      case 'ERROR': {
        // The object is a Status; 410 Expired/Gone means our resourceVersion left the
        // server's window, so only a fresh list can catch up.
        const code = (ev.object as unknown as { code?: number }).code;
        if (code !== 410) this.report(new Error(`watch ${this.ref.resource}: ${JSON.stringify(ev.object)}`));
        finish(code === 410 ? 'gone' : 'error');
        return;
      }
      case 'BOOKMARK':
        if (rv) this.resourceVersion = rv;
        return;
      case 'ADDED':
      case 'MODIFIED':
        this.apply('upsert', ev.object);
        break;
      case 'DELETED':
        this.apply('delete', ev.object);
        break;
    }
    if (rv) this.resourceVersion = rv;
    // The stream works again: the next failure starts from the initial delay.
    this.backoffMs = this.initialBackoffMs;
  }

  private apply(op: 'upsert' | 'delete', obj: T): void {
    if (op === 'delete') {
      const old = this.cache.delete(objectKey(obj));
      this.emit((h) => h.onDelete?.(old ?? obj));
      return;
    }
    const old = this.cache.getByKey(objectKey(obj));
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.cache.set(obj);
    if (old) this.emit((h) => h.onUpdate?.(old, obj));
    else this.emit((h) => h.onAdd?.(obj));
  }

  private emit(fn: (h: EventHandler<T>) => void): void {
    for (const h of this.handlers) this.call(() => fn(h));
  }

  /** One failing handler must not stop the informer nor starve the others. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.report(e);
    }
  }

  private backoff(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const ms = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    return new Promise((resolve) => {
      const wake = (): void => {
        this.sleeping = undefined;
        resolve();
      };
      this.sleeping = { timer: this.opts.clock.setTimeout(wake, ms), wake };
    });
  }

  private report(e: unknown): void {
    if (this.opts.onError) this.opts.onError(e);
    else console.error(`informer ${this.ref.group}/${this.ref.version}/${this.ref.resource}:`, e);
  }
}
