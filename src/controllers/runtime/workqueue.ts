// A work queue that hands each item to one worker at a time and collapses repeats
// (client-go util/workqueue queue.go, delaying_queue.go, rate_limiting_queue.go).
import type { Clock, TimerHandle } from './clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<T> {
  clock: Clock;
  /** Defaults to defaultControllerRateLimiter(clock). */
  rateLimiter?: RateLimiter<T>;
}

/**
 * Items are compared with ===, so use strings (namespace/name keys) or shared references.
 *
 * client-go's three sets: `queue` is the order, `dirty` holds items that need processing,
 * `processing` holds items a worker has. An item added while it is processing stays in
 * dirty only, and goes back on the queue when the worker calls done — so one item is never
 * processed by two workers at once, and no update is lost.
 */
export class WorkQueue<T> {
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<T>;
  private queue: T[] = [];
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly waiters: ((item: T | undefined) => void)[] = [];
  /** The earliest pending addAfter per item; a later addAfter for it never delays it more. */
  private readonly waiting = new Map<T, { at: number; timer: TimerHandle }>();
  private shuttingDown = false;

  constructor(opts: WorkQueueOptions<T>) {
    this.clock = opts.clock;
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(opts.clock);
  }

  add(item: T): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.handOff(item);
  }

  /** Add after a delay on the clock (client-go delayingType.AddAfter). */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(item);
      return;
    }
    const at = this.clock.now().getTime() + ms;
    const existing = this.waiting.get(item);
    // client-go keeps one entry per item and only ever moves it earlier.
    if (existing && existing.at <= at) return;
    if (existing) this.clock.clearTimeout(existing.timer);
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(item);
      this.add(item);
    }, ms);
    this.waiting.set(item, { at, timer });
  }

  /** Add after the rate limiter's delay for the item (exponential per item, bucket overall). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** The item succeeded: reset its backoff. It does not remove it from the queue. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  /**
   * The next item, waiting if there is none. After shutDown the items already queued are
   * still handed out; then undefined (client-go Get's shutdown flag).
   */
  get(): Promise<T | undefined> {
    const item = this.queue.shift();
    if (item !== undefined) {
      this.dirty.delete(item);
      this.processing.add(item);
      return Promise.resolve(item);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The worker finished with the item; if it was added meanwhile, queue it again. */
  done(item: T): void {
    this.processing.delete(item);
    if (!this.dirty.has(item)) return;
    // Queued even while shutting down, so a drain still sees it (client-go Type.Done).
    this.handOff(item);
  }

  /** A dirty item not being processed: straight to a waiting worker, else onto the queue. */
  private handOff(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(item);
      this.processing.add(item);
      waiter(item);
    } else {
      this.queue.push(item);
    }
  }

  /** Stop accepting items, cancel delayed adds, and wake every waiting worker with undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.waiting.values()) this.clock.clearTimeout(timer);
    this.waiting.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Items waiting to be handed out (not counting delayed or in-process ones). */
  len(): number {
    return this.queue.length;
  }
}
