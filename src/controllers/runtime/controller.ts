// Pulls requests from a work queue and runs the reconciler, with the retry policy in the
// runner, not in each reconciler (controller-runtime pkg/internal/controller/controller.go
// processNextWorkItem + reconcileHandler).
import { isNamespaceTerminating } from '../../clients/interfaces.js';
import type { Clock } from './clock.js';
import type { RateLimiter } from './rate-limiter.js';
import { requestFromKey, requestKey, TerminalError, type Reconciler, type Request } from './reconcile.js';
import { WorkQueue } from './workqueue.js';

export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  clock: Clock;
  /** Parallel workers; one request is never reconciled by two at once. Default 1. */
  workers?: number;
  rateLimiter?: RateLimiter<string>;
  /** Where reconcile errors are reported; defaults to console.error. */
  onError?: (err: unknown, req: Request) => void;
}

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  private readonly reconciler: Reconciler;
  private readonly workers: number;
  private readonly onError: (err: unknown, req: Request) => void;
  private running: Promise<void>[] = [];
  /** Starters run before the workers (the builder's informer wiring); see Manager. */
  private readonly startHooks: (() => Promise<void>)[] = [];
  private readonly stopHooks: (() => Promise<void>)[] = [];

  constructor(opts: ControllerOptions) {
    this.name = opts.name;
    this.reconciler = opts.reconciler;
    this.workers = opts.workers ?? 1;
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new Error(`controller ${opts.name}: workers must be >= 1`);
    this.queue = new WorkQueue<string>({ clock: opts.clock, rateLimiter: opts.rateLimiter });
    this.onError =
      opts.onError ?? ((err, req) => console.error(`controller ${opts.name}: reconcile ${requestKey(req)}:`, err));
  }

  enqueue(req: Request): void {
    this.queue.add(requestKey(req));
  }

  /** Run before workers start, e.g. waiting for informers to sync. */
  beforeStart(hook: () => Promise<void>): void {
    this.startHooks.push(hook);
  }

  /** Run after the workers have finished, e.g. stopping informers the controller owns. */
  afterStop(hook: () => Promise<void>): void {
    this.stopHooks.push(hook);
  }

  async start(): Promise<void> {
    if (this.running.length > 0) throw new Error(`controller ${this.name} already started`);
    for (const hook of this.startHooks) await hook();
    for (let i = 0; i < this.workers; i++) this.running.push(this.worker());
  }

  /** Stop handing out work; resolves when in-flight reconciles have finished. */
  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.running);
    this.running = [];
    for (const hook of this.stopHooks) await hook();
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.reconcileHandler(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcileHandler(key: string): Promise<void> {
    const req = requestFromKey(key);
    let result;
    try {
      result = await this.reconciler.reconcile(req);
    } catch (err) {
      // A create refused because the namespace is being torn down is no failure: the namespace
      // controller is deleting the object too (kube's controllers check NamespaceTerminatingCause).
      if (isNamespaceTerminating(err)) {
        this.queue.forget(key);
        return;
      }
      // A throwing error reporter must not kill the worker.
      try {
        this.onError(err, req);
      } catch {
        /* reporting is best effort */
      }
      // A terminal error is not retried; any other error backs off per item.
      if (err instanceof TerminalError) this.queue.forget(key);
      else this.queue.addRateLimited(key);
      return;
    }
    if (result?.requeueAfter !== undefined && result.requeueAfter > 0) {
      // A scheduled requeue is not a failure: reset the backoff, then wait the asked time.
      this.queue.forget(key);
      this.queue.addAfter(key, result.requeueAfter);
    } else if (result?.requeue) {
      this.queue.addRateLimited(key);
    } else {
      this.queue.forget(key);
    }
  }
}
