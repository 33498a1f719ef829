// kubesim's own endpoint for the cluster clock (not part of the Kubernetes API): read the
// time, and on a virtual clock move it forward, so a class can watch a `*/5 * * * *`
// CronJob fire twelve times in a second. `kubesim clock advance 90m` calls it.
import type { FastifyInstance } from 'fastify';
import * as errors from './errors.js';
import { parseDuration, VirtualClock, type Clock } from '../controllers/runtime/clock.js';
import { ClockFollowers, type FollowerReport } from './clock-followers.js';
import type { RequestActivity } from './request-activity.js';

export const CLOCK_PATH = '/kubesim/clock';

/**
 * Moves a virtual clock forward timer by timer, letting the controllers react between steps,
 * so an hour advanced at once looks like an hour lived through: an every-5-minutes CronJob fires twelve
 * times, not once for the latest missed schedule. Timers of processes following the clock
 * (controllers out of process) are steps too, and each step waits for them to settle.
 */
export async function advanceSettling(clock: VirtualClock, ms: number, opts: { followers?: ClockFollowers; activity?: RequestActivity } = {}): Promise<void> {
  const target = clock.now().getTime() + ms;
  // What was written just before the advance (a CronJob created a moment ago) gets its
  // reactions in first, so the timers they set are steps of this advance.
  await settle(clock, opts);
  for (let steps = 0; steps < 100_000; steps++) {
    const next = minDefined(clock.nextTimerAt()?.getTime(), opts.followers?.nextTimerAt());
    if (next === undefined || next > target) break;
    clock.advanceTo(new Date(Math.max(next, clock.now().getTime())));
    await settle(clock, opts);
  }
  if (clock.now().getTime() < target) clock.advanceTo(new Date(target));
  await settle(clock, opts);
}

/**
 * Waits for the controllers to finish reacting to the clock's time: followers say so; for
 * controllers in-process, the server's requests die down (or, without a tracker, a few turns
 * of the event loop pass).
 */
async function settle(clock: VirtualClock, opts: { followers?: ClockFollowers; activity?: RequestActivity }): Promise<void> {
  await opts.followers?.sync(clock.now());
  if (opts.activity) await opts.activity.quiet();
  else for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

export function registerClockEndpoint(app: FastifyInstance, clock: Clock, activity?: RequestActivity): void {
  const followers = new ClockFollowers();
  const describe = () => ({
    now: clock.now().toISOString(),
    virtual: clock instanceof VirtualClock,
    ...(clock instanceof VirtualClock ? { pendingTimers: clock.pendingTimers(), nextTimerAt: clock.nextTimerAt()?.toISOString() } : {}),
  });
  app.get(CLOCK_PATH, (req, reply) => {
    const follow = new URL(req.url, 'http://kubesim').searchParams.get('follow');
    if (follow !== 'true' && follow !== '1') return reply.send(describe());
    // A stream of the time, one JSON line per step, for as long as the follower stays connected.
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    const member = followers.join(clock.now(), (line) => {
      if (!res.writableEnded) res.write(`${JSON.stringify(line)}\n`);
    });
    res.on('close', () => member.leave());
    return reply;
  });
  app.post(`${CLOCK_PATH}/followers/:id`, (req, reply) => {
    const id = (req.params as { id: string }).id;
    let report: FollowerReport;
    try {
      report = JSON.parse(req.body ? String(req.body) : '{}') as FollowerReport;
    } catch {
      return reply.code(400).header('content-type', 'application/json').send(JSON.stringify(errors.badRequest('the report is not JSON').status));
    }
    if (!followers.report(id, report)) {
      return reply.code(404).header('content-type', 'application/json').send(JSON.stringify(errors.pathNotFound().status));
    }
    return reply.send({});
  });
  app.post(`${CLOCK_PATH}/advance`, async (req, reply) => {
    const send = (e: errors.StatusError) => reply.code(e.code).header('content-type', 'application/json').send(JSON.stringify(e.status));
    if (!(clock instanceof VirtualClock)) {
      return send(errors.badRequest('this cluster runs on the real clock; start it with `kubesim serve --clock virtual` (or startCluster({ clock: "virtual" })) to move time by hand'));
    }
    const by = new URL(req.url, 'http://kubesim').searchParams.get('by') ?? '';
    let ms: number;
    try {
      ms = parseDuration(by);
    } catch (e) {
      return send(errors.badRequest(`by: ${(e as Error).message}; give a duration such as 90s, 5m, 1h30m or 2d`));
    }
    if (ms < 0) return send(errors.badRequest('by: the clock only moves forward'));
    await advanceSettling(clock, ms, { followers, activity });
    return reply.send(describe());
  });
}
