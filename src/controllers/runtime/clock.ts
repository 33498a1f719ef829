// Time is injected (DESIGN.md): controllers, work queues and informers ask a Clock, never
// Date.now or the global timers, so tests and classroom demos fast-forward deterministically
// (k8s.io/utils/clock Clock + clock/testing FakeClock; kwok StageControllerConfig.Clock).

/** An opaque handle returned by Clock.setTimeout. */
export type TimerHandle = { readonly id: number };

export interface TimerOptions {
  /**
   * A heartbeat (a node Lease renewal) rather than a step anything waits on: advancing a
   * virtual clock by steps does not stop at it, it fires in passing. Without this an hour
   * advanced would stop 360 times for one node's 10-second Lease renewals.
   */
  background?: boolean;
}

export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number, opts?: TimerOptions): TimerHandle;
  clearTimeout(h: TimerHandle): void;
  sleep(ms: number): Promise<void>;
}

const realTimers = new Map<number, ReturnType<typeof setTimeout>>();
let realSeq = 0;

/** Wall-clock time and the process's own timers. */
export const realClock: Clock = {
  now: () => new Date(),
  setTimeout(fn, ms) {
    const id = ++realSeq;
    realTimers.set(
      id,
      setTimeout(() => {
        realTimers.delete(id);
        fn();
      }, Math.max(0, ms)),
    );
    return { id };
  },
  clearTimeout(h) {
    const t = realTimers.get(h.id);
    if (t !== undefined) clearTimeout(t);
    realTimers.delete(h.id);
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

interface PendingTimer {
  id: number;
  when: number;
  fn: () => void;
  background: boolean;
}

/**
 * A clock that moves only when told. Timers fire in due-time order, ties in the order they
 * were scheduled; a timer scheduled by a firing callback fires in the same advance when it
 * falls inside the window (as k8s FakeClock.Step does by re-checking waiters).
 */
export class VirtualClock implements Clock {
  private ms: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(start: Date | number = 0) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  setTimeout(fn: () => void, ms: number, opts: TimerOptions = {}): TimerHandle {
    const id = ++this.seq;
    this.timers.push({ id, when: this.ms + Math.max(0, ms), fn, background: opts.background === true });
    return { id };
  }

  clearTimeout(h: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== h.id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** How many timers are waiting (for tests that check nothing is left scheduled). */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** The due time of the earliest pending timer that is a step (not a background one), if any. */
  nextTimerAt(): Date | undefined {
    let best: number | undefined;
    for (const t of this.timers) if (!t.background && (best === undefined || t.when < best)) best = t.when;
    return best === undefined ? undefined : new Date(best);
  }

  /** Move forward by ms, firing every timer that falls due, each at its own due time. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`cannot advance a clock backwards (${ms}ms)`);
    const target = this.ms + ms;
    for (let t = this.earliest(target); t; t = this.earliest(target)) {
      this.ms = Math.max(this.ms, t.when);
      this.remove(t.id);
      t.fn();
    }
    this.ms = target;
  }

  /** Move forward to a date, firing due timers on the way. */
  advanceTo(date: Date): void {
    this.advance(date.getTime() - this.ms);
  }

  /**
   * Jump to a date, forwards or backwards. Timers due at the new time fire after the jump,
   * all seeing the new time (k8s FakeClock.SetTime), unlike advance which steps through them.
   */
  set(date: Date): void {
    this.ms = date.getTime();
    for (let t = this.earliest(this.ms); t; t = this.earliest(this.ms)) {
      this.remove(t.id);
      t.fn();
    }
  }

  private earliest(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.when <= limit && (!best || t.when < best.when || (t.when === best.when && t.id < best.id))) best = t;
    }
    return best;
  }

  private remove(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parse a Go duration (time.ParseDuration: "1h30m", "1.5s", "-2m", "0") plus a `d` unit for
 * days, as kubectl and the clock subcommand accept it. Returns milliseconds.
 */
export function parseDuration(input: string): number {
  const s = input.trim();
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new Error(`invalid duration "${input}"`);
  let total = 0;
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/;
  while (rest.length > 0) {
    const m = part.exec(rest);
    if (!m) {
      if (/^(\d+\.?\d*|\.\d+)/.test(rest) && !/^(\d+\.?\d*|\.\d+)[a-zµμ]/.test(rest)) {
        throw new Error(`missing unit in duration "${input}"`);
      }
      throw new Error(`invalid duration "${input}"`);
    }
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}
