// A VirtualClock that follows a kubesim server's virtual clock, for controllers run out of
// process (`kubesim controllers` against `kubesim serve --clock virtual`). The server streams
// the time at each step of an advance (GET /kubesim/clock?follow=true); the follower moves
// its own clock there, firing its timers, waits until its controllers have gone quiet, and
// reports back with the due time of its earliest timer, which the server steps through too.
// See src/apiserver/clock-followers.ts for the server's side.
import type { Readable } from 'node:stream';
import type { Transport } from '../../clients/transport.js';
import { VirtualClock, type TimerHandle, type TimerOptions } from './clock.js';

export const CLOCK_PATH = '/kubesim/clock';

export interface ClockFollowerOptions {
  transport: Transport;
  /** Whether the controllers still have work in flight (e.g. unfinished API requests). */
  busy: () => boolean;
  /** How long the controllers must stay idle before a step counts as settled. Default 10 ms. */
  quietMs?: number;
  onError?: (err: unknown) => void;
}

interface ClockLine {
  id?: string;
  now: string;
  step: number;
}

/** A VirtualClock that tells its owner when its earliest timer changes. */
class ObservedClock extends VirtualClock {
  onTimersChanged: () => void = () => {};

  override setTimeout(fn: () => void, ms: number, opts?: TimerOptions): TimerHandle {
    const h = super.setTimeout(fn, ms, opts);
    this.onTimersChanged();
    return h;
  }

  override clearTimeout(h: TimerHandle): void {
    super.clearTimeout(h);
    this.onTimersChanged();
  }
}

export class ClockFollower {
  readonly clock: VirtualClock;
  private lastReported: string | null | undefined;
  private stepping = false;
  private reportQueued = false;
  private stopped = false;

  private constructor(
    private readonly opts: ClockFollowerOptions,
    private readonly id: string,
    clock: ObservedClock,
    private readonly cancel: () => void,
  ) {
    this.clock = clock;
    clock.onTimersChanged = () => this.queueReport();
  }

  /**
   * Follows the clock of the server the transport reaches, when it is a kubesim on a virtual
   * clock; undefined when it runs on the real clock or is not kubesim (a real cluster).
   */
  static async connect(opts: ClockFollowerOptions): Promise<ClockFollower | undefined> {
    const probe = await opts.transport.request({ method: 'GET', path: CLOCK_PATH, headers: { accept: 'application/json' } });
    if (probe.status !== 200) return undefined;
    let state: { virtual?: boolean };
    try {
      state = JSON.parse(probe.body.toString('utf8')) as { virtual?: boolean };
    } catch {
      return undefined;
    }
    if (state.virtual !== true) return undefined;

    const stream = await opts.transport.stream({ method: 'GET', path: CLOCK_PATH, query: new URLSearchParams({ follow: 'true' }), headers: { accept: 'application/json' } });
    if (stream.status !== 200) {
      stream.cancel();
      throw new Error(`cannot follow the cluster clock: HTTP ${stream.status}`);
    }
    const lines = readLines(stream.body);
    const first = await lines.next();
    if (first.done || first.value.id === undefined) {
      stream.cancel();
      throw new Error('cannot follow the cluster clock: the server sent no start time');
    }
    const follower = new ClockFollower(opts, first.value.id, new ObservedClock(new Date(first.value.now)), stream.cancel);
    void follower.follow(lines);
    return follower;
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private async follow(lines: AsyncGenerator<ClockLine>): Promise<void> {
    try {
      for await (const line of lines) {
        this.stepping = true;
        const to = Date.parse(line.now);
        if (to > this.clock.now().getTime()) this.clock.advanceTo(new Date(to));
        await this.settle();
        this.stepping = false;
        await this.report(line.step);
      }
    } catch (e) {
      if (!this.stopped) this.opts.onError?.(e);
    } finally {
      this.stepping = false;
    }
    if (!this.stopped) this.opts.onError?.(new Error('the cluster clock stream ended; the controllers no longer follow its time'));
  }

  /**
   * Waits (in real time) until the controllers have been idle for quietMs, at most 5 s: long
   * enough for the watch events of our own writes to come back and be reconciled too.
   */
  private async settle(): Promise<void> {
    const quiet = this.opts.quietMs ?? 10;
    const deadline = Date.now() + 5000;
    let idleSince = this.opts.busy() ? undefined : Date.now();
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
      if (this.opts.busy()) idleSince = undefined;
      else if (idleSince === undefined) idleSince = Date.now();
      else if (Date.now() - idleSince >= quiet) return;
    }
  }

  /** Between steps, a timer set in reaction to an event is reported at once (a step reports its own). */
  private queueReport(): void {
    if (this.stepping || this.reportQueued || this.stopped) return;
    this.reportQueued = true;
    setImmediate(() => {
      this.reportQueued = false;
      if (!this.stepping) void this.report(undefined).catch((e: unknown) => this.opts.onError?.(e));
    });
  }

  private async report(step: number | undefined): Promise<void> {
    const nextTimerAt = this.clock.nextTimerAt()?.toISOString() ?? null;
    if (step === undefined && nextTimerAt === this.lastReported) return;
    this.lastReported = nextTimerAt;
    const res = await this.opts.transport.request({
      method: 'POST',
      path: `${CLOCK_PATH}/followers/${encodeURIComponent(this.id)}`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(step === undefined ? { nextTimerAt } : { step, nextTimerAt }),
    });
    if (res.status !== 200) throw new Error(`the cluster clock refused a follower report: HTTP ${res.status}`);
  }
}

async function* readLines(body: Readable): AsyncGenerator<ClockLine> {
  let buf = '';
  for await (const chunk of body) {
    buf += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line) as ClockLine;
    }
  }
}
