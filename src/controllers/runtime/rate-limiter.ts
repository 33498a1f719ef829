// Per-item retry delays for a work queue (client-go util/workqueue default_rate_limiters.go).
import type { Clock } from './clock.js';

export interface RateLimiter<T> {
  /** How long to wait before this item may be processed again; counts a failure. */
  when(item: T): number;
  /** Stop tracking the item (it succeeded): its next failure starts from the base delay. */
  forget(item: T): void;
  /** How many times the item has been rate-limited since it was last forgotten. */
  numRequeues(item: T): number;
}

export interface ExponentialOptions {
  baseMs?: number;
  maxMs?: number;
}

/** base * 2^failures, capped at max, per item (client-go ItemExponentialFailureRateLimiter). */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(opts: ExponentialOptions = {}) {
    this.baseMs = opts.baseMs ?? 5;
    this.maxMs = opts.maxMs ?? 1_000_000;
  }

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    // 2^n overflows to Infinity long before it matters; the cap handles that too.
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

export interface BucketOptions {
  clock: Clock;
  qps?: number;
  burst?: number;
}

/**
 * An overall token bucket shared by every item (client-go BucketRateLimiter over
 * golang.org/x/time/rate): each call reserves a token; when none is left the reservation
 * waits for the refill. It keeps no per-item state, so forget and numRequeues are no-ops.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private readonly clock: Clock;
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;

  constructor(opts: BucketOptions) {
    this.clock = opts.clock;
    this.qps = opts.qps ?? 10;
    this.burst = opts.burst ?? 100;
    this.tokens = this.burst;
    this.last = opts.clock.now().getTime();
  }

  when(_item: T): number {
    const now = this.clock.now().getTime();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
    }
    this.tokens -= 1;
    // A negative balance is a debt paid back at qps tokens a second (rate.Reservation.Delay).
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay of several limiters (client-go MaxOfRateLimiter). */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

/**
 * Per-item exponential backoff 5ms..1000s combined with an overall 10 qps / burst 100
 * bucket (client-go DefaultControllerRateLimiter).
 */
export function defaultControllerRateLimiter<T>(clock: Clock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>({ baseMs: 5, maxMs: 1_000_000 }),
    new BucketRateLimiter<T>({ clock, qps: 10, burst: 100 }),
  );
}
