// The one method a controller implements (controller-runtime pkg/reconcile/reconcile.go).
// A request names an object, never an event: the reconciler re-reads current state.

export interface Request {
  namespace?: string;
  name: string;
}

export interface Result {
  /** Reconcile this request again after so many milliseconds, even without a change. */
  requeueAfter?: number;
  /** Reconcile again with rate-limited backoff (controller-runtime Result.Requeue). */
  requeue?: boolean;
}

export interface Reconciler {
  reconcile(req: Request): Promise<Result | void>;
}

/** Wrap a function as a Reconciler (controller-runtime reconcile.Func). */
export function reconcilerFunc(fn: (req: Request) => Promise<Result | void>): Reconciler {
  return { reconcile: fn };
}

/**
 * An error that retrying will not fix: the runner logs it and forgets the request instead of
 * requeueing it (controller-runtime reconcile.TerminalError).
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** Work-queue item for a request: "namespace/name", or "name" when cluster-scoped. */
export function requestKey(req: Request): string {
  return req.namespace ? `${req.namespace}/${req.name}` : req.name;
}

export function requestFromKey(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
