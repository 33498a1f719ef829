// Processes that follow this server's virtual clock: `kubesim controllers` run out of process
// keeps its own VirtualClock, opens GET /kubesim/clock?follow=true and reports the due time of
// its earliest timer. When the clock is advanced, the server steps through its own timers and
// its followers' alike, and after each step waits until every follower says it has settled,
// so controllers out of process live through an hour the way in-process ones do (a
// `*/5 * * * *` CronJob still fires twelve times). Not part of the Kubernetes API.

/** One line of the follow stream: the follower's id (first line only) and the time at a step. */
export interface ClockLine {
  id?: string;
  now: string;
  step: number;
}

/** What a follower reports: the step it has settled after, and its earliest pending timer. */
export interface FollowerReport {
  step?: number;
  nextTimerAt?: string | null;
}

interface Follower {
  id: string;
  send(line: ClockLine): void;
  settledStep: number;
  nextTimerAt: number | undefined;
  waiter: (() => void) | undefined;
}

/** How long a step waits for a follower that does not answer before going on without it. */
const SETTLE_TIMEOUT_MS = 10_000;

export class ClockFollowers {
  private seq = 0;
  private step = 0;
  private readonly followers = new Map<string, Follower>();

  get size(): number {
    return this.followers.size;
  }

  /** A new follower: it is sent the current time at once, then every step. */
  join(now: Date, send: (line: ClockLine) => void): { id: string; leave(): void } {
    const id = String(++this.seq);
    const f: Follower = { id, send, settledStep: this.step, nextTimerAt: undefined, waiter: undefined };
    this.followers.set(id, f);
    send({ id, now: now.toISOString(), step: this.step });
    return {
      id,
      leave: () => {
        this.followers.delete(id);
        f.waiter?.();
      },
    };
  }

  /** Records a follower's report; false when no follower has that id (it left). */
  report(id: string, r: FollowerReport): boolean {
    const f = this.followers.get(id);
    if (!f) return false;
    if (r.nextTimerAt !== undefined) f.nextTimerAt = r.nextTimerAt === null ? undefined : Date.parse(r.nextTimerAt);
    if (r.step !== undefined && r.step > f.settledStep) f.settledStep = r.step;
    if (f.settledStep >= this.step) {
      const w = f.waiter;
      f.waiter = undefined;
      w?.();
    }
    return true;
  }

  /** The earliest timer any follower is waiting on, in ms. */
  nextTimerAt(): number | undefined {
    let min: number | undefined;
    for (const f of this.followers.values()) if (f.nextTimerAt !== undefined && (min === undefined || f.nextTimerAt < min)) min = f.nextTimerAt;
    return min;
  }

  /** Tells every follower the clock now reads `now` and waits until each has settled (or timed out). */
  async sync(now: Date): Promise<void> {
    if (this.followers.size === 0) return;
    const step = ++this.step;
    const line: ClockLine = { now: now.toISOString(), step };
    await Promise.all(
      [...this.followers.values()].map(
        (f) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(done, SETTLE_TIMEOUT_MS);
            function done() {
              clearTimeout(timer);
              resolve();
            }
            f.waiter = done;
            f.send(line);
            if (f.settledStep >= step) done();
          }),
      ),
    );
  }
}
