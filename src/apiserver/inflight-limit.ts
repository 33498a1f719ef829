// The server's limits on concurrent work, as kube-apiserver's filters set them:
// - max in flight (k8s.io/apiserver pkg/server/filters/maxinflight.go): at most
//   --max-requests-inflight read-only and --max-mutating-requests-inflight mutating requests at
//   once; beyond them a 429 with Retry-After: 1 and the filter's plain-text body. Long-running
//   requests (watches, logs) are not counted. Like kube, members of system:masters are never
//   refused, except the administrator kubesim acts as when authentication is off (everyone is
//   that user then, and exempting it would turn the limit off).
// - request timeout (filters/timeout.go, WithRequestDeadline): a short request not answered
//   within --request-timeout (60 s), or the shorter ?timeout= the client asks for, gets kube's
//   504 Timeout Status; long-running requests have their own lifetimes.
// - watches per user: a kubesim limit (kube has none; APF bounds only their start), so one user
//   cannot hold the server's memory with open watches: beyond it, 429 TooManyRequests.
// Only requests over HTTP are limited: the in-process client's direct path answers in one turn
// of the event loop, so nothing of it is ever in flight.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as errors from './errors.js';
import { requestUser } from './auth/request-user.js';
import { ADMIN_USER, SYSTEM_MASTERS, type UserInfo } from './auth/user.js';

export interface RequestLimits {
  /** Read-only requests in flight at once (kube's --max-requests-inflight, default 400); 0 means no limit. */
  maxRequestsInflight: number;
  /** Mutating requests in flight at once (--max-mutating-requests-inflight, default 200); 0 means no limit. */
  maxMutatingRequestsInflight: number;
  /** Open watches per user (default 500); 0 means no limit. */
  maxWatchesPerUser: number;
  /** Time a short request may take, in ms (kube's --request-timeout, default 60 s); 0 means none. */
  requestTimeoutMs: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  maxRequestsInflight: 400,
  maxMutatingRequestsInflight: 200,
  maxWatchesPerUser: 500,
  requestTimeoutMs: 60_000,
};

/** What maxinflight.go's tooManyRequests writes: plain text, not a Status. */
export const TOO_MANY_REQUESTS_MESSAGE = 'Too many requests, please try again later.';
/** The Status message of kube's timeout filter (apierrors.NewTimeoutError adds "Timeout: "). */
export const REQUEST_TIMEOUT_MESSAGE = 'Timeout: request did not complete within requested timeout - context deadline exceeded';

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Tracked {
  mutating: boolean;
  counted: boolean;
  timer?: NodeJS.Timeout;
}

export class InFlightLimiter {
  private readOnlyInFlight = 0;
  private mutatingInFlight = 0;
  private readonly tracked = new WeakMap<FastifyRequest, Tracked>();
  private readonly watchesByUser = new Map<string, number>();

  constructor(private readonly limits: RequestLimits) {}

  readOnly(): number {
    return this.readOnlyInFlight;
  }

  mutating(): number {
    return this.mutatingInFlight;
  }

  /**
   * Installs the filters. Registered after authentication's hooks, so the request's user is
   * known (fastify runs onRequest hooks in registration order).
   */
  register(app: FastifyInstance): void {
    const { limits } = this;
    app.addHook('onRequest', (req, reply, done) => {
      if (isLongRunning(req.url)) return done();
      const mutating = !READ_ONLY_METHODS.has(req.method);
      const max = mutating ? limits.maxMutatingRequestsInflight : limits.maxRequestsInflight;
      const current = mutating ? this.mutatingInFlight : this.readOnlyInFlight;
      if (max > 0 && current >= max && !exempt(requestUser(req.raw))) {
        reply.code(429).header('retry-after', '1').header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff');
        reply.send(`${TOO_MANY_REQUESTS_MESSAGE}\n`);
        return done();
      }
      if (mutating) this.mutatingInFlight++;
      else this.readOnlyInFlight++;
      const t: Tracked = { mutating, counted: true };
      const ms = timeoutOf(req.url, limits.requestTimeoutMs);
      if (ms > 0) t.timer = setTimeout(() => timeOut(reply), ms);
      this.tracked.set(req, t);
      done();
    });
    const finished = (req: FastifyRequest, _reply: FastifyReply, done: () => void) => {
      const t = this.tracked.get(req);
      if (t) {
        this.tracked.delete(req);
        if (t.timer) clearTimeout(t.timer);
        if (t.mutating) this.mutatingInFlight--;
        else this.readOnlyInFlight--;
      }
      done();
    };
    app.addHook('onResponse', finished);
    app.addHook('onRequestAbort', (req, done) => finished(req, undefined as unknown as FastifyReply, done));
  }

  /**
   * Counts a watch against its user's limit; throws 429 when the user has as many open. The
   * returned function, called when the watch ends, gives the slot back.
   */
  openWatch(user: UserInfo): () => void {
    const max = this.limits.maxWatchesPerUser;
    const open = this.watchesByUser.get(user.name) ?? 0;
    if (max > 0 && open >= max) {
      throw errors.tooManyRequests(`too many watches open for user "${user.name}" (at most ${max}); stop some, or try again later`, 1);
    }
    this.watchesByUser.set(user.name, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.watchesByUser.get(user.name) ?? 1) - 1;
      if (n <= 0) this.watchesByUser.delete(user.name);
      else this.watchesByUser.set(user.name, n);
    };
  }

  /** Open watches of one user (for tests and metrics). */
  watchesOf(userName: string): number {
    return this.watchesByUser.get(userName) ?? 0;
  }
}

function exempt(user: UserInfo): boolean {
  return user !== ADMIN_USER && user.groups.includes(SYSTEM_MASTERS);
}

function timeOut(reply: FastifyReply): void {
  if (reply.sent || reply.raw.headersSent) return;
  const err = errors.timeout(REQUEST_TIMEOUT_MESSAGE);
  err.status.details = {};
  reply.code(504).header('content-type', 'application/json').send(JSON.stringify(err.status));
}

/**
 * The request's deadline in ms: the server's, or the client's ?timeout= (a Go duration, as
 * kubectl --request-timeout sends it) when shorter. An unreadable value leaves the server's.
 */
export function timeoutOf(url: string, serverMs: number): number {
  const q = url.indexOf('timeout=');
  if (q < 0) return serverMs;
  const value = new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('timeout');
  const ms = value === null ? undefined : parseGoDuration(value);
  if (ms === undefined || ms <= 0) return serverMs;
  return serverMs > 0 ? Math.min(ms, serverMs) : ms;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go time.Duration string ("30s", "1m30s", "1.5h", "250ms") in ms; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    end = re.lastIndex;
  }
  return end > 0 && end === text.length ? total : undefined;
}

/**
 * kube's long-running check (BasicLongRunningRequestCheck with verbs watch and proxy,
 * subresources log, exec, attach, portforward, proxy), plus kubesim's clock advance, which
 * waits for the cluster to settle.
 */
export function isLongRunning(url: string): boolean {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path.startsWith('/kubesim/clock/advance')) return true;
  if (/\/(log|exec|attach|portforward|proxy)$/.test(path)) return true;
  if (/^\/api\/v1\/watch\/|^\/apis\/[^/]+\/[^/]+\/watch\//.test(path)) return true;
  return q >= 0 && /(^|&)(watch|follow)=(true|1)(&|$)/.test(url.slice(q + 1));
}
