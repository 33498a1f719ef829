// Whether the server is busy: how many short requests are in flight, and how many have
// started. A virtual clock advanced step by step (clock-endpoint.ts) waits at each step
// until the controllers' requests have died down, so the chain a timer sets off (a CronJob
// creates a Job, the Job its pods, the scheduler binds them ...) finishes before time moves
// on. Long-running requests (watches, follow streams) are not activity, as kube-apiserver
// leaves them out of its in-flight limits.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export class RequestActivity {
  private inFlight = 0;
  private started = 0;
  private readonly counted = new WeakSet<FastifyRequest>();

  register(app: FastifyInstance): void {
    app.addHook('onRequest', async (req) => {
      if (isLongRunning(req.url)) return;
      this.counted.add(req);
      this.inFlight++;
      this.started++;
    });
    const done = async (req: FastifyRequest) => {
      if (!this.counted.delete(req)) return;
      this.inFlight--;
    };
    app.addHook('onResponse', done);
    app.addHook('onRequestAbort', done);
  }

  /** A short request answered without fastify (the in-process client's direct path): it started and finished at once. */
  noteRequest(): void {
    this.started++;
  }

  /**
   * Resolves once no short request is in flight and none has started for `turns` turns of the
   * event loop (reconciles in-process go from a watch event to their next request in a few),
   * or after maxMs of real time whatever happens.
   */
  async quiet(opts: { turns?: number; maxMs?: number } = {}): Promise<void> {
    const turns = opts.turns ?? 5;
    const deadline = Date.now() + (opts.maxMs ?? 5000);
    for (;;) {
      const before = this.started;
      for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
      if ((this.inFlight === 0 && this.started === before) || Date.now() > deadline) return;
      // Requests over a socket finish on I/O, not on the next turn: let it happen.
      if (this.inFlight > 0) await new Promise((r) => setTimeout(r, 1));
    }
  }
}

/** Watches and follow streams (the clock's, a pod's logs) and advancing the clock itself. */
function isLongRunning(url: string): boolean {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  if (path.startsWith('/kubesim/clock/advance')) return true;
  if (/^\/api\/v1\/watch\/|^\/apis\/[^/]+\/[^/]+\/watch\//.test(path)) return true;
  return /(^|&)(watch|follow)=(true|1)(&|$)/.test(query);
}
