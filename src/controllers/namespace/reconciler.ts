// The namespace controller's reconcile (kube-controller-manager pkg/controller/namespace/
// namespace_controller.go): only namespaces being deleted are its business. It waits
// namespaceDeletionGracePeriod after the deletion, so last-moment creations are in storage
// before it lists; then one pass of the deleter, re-checked after half the estimate (plus a
// second) while content remains. Failures go back to the runner, which retries with backoff.
import type { Cache } from '../runtime/cache.js';
import type { Clock } from '../runtime/clock.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { NamespacedResourcesDeleter } from './deleter.js';

/** namespaceDeletionGracePeriod: how long after a namespace's deletion its content is first deleted. */
export const NAMESPACE_DELETION_GRACE_MS = 5_000;

export interface NamespaceReconcilerOptions {
  clock: Clock;
  namespaces: Cache;
  deleter: NamespacedResourcesDeleter;
}

/** When content remains for `estimateSeconds`, look again after half of it, plus a second. */
export function recheckAfterMs(estimateSeconds: number): number {
  return (Math.floor(estimateSeconds / 2) + 1) * 1000;
}

export class NamespaceReconciler implements Reconciler {
  constructor(private readonly opts: NamespaceReconcilerOptions) {}

  async reconcile(req: Request): Promise<Result | void> {
    const ns = this.opts.namespaces.get(req.name);
    const deletionTimestamp = ns?.metadata.deletionTimestamp;
    if (!deletionTimestamp) return;
    const wait = Date.parse(deletionTimestamp) + NAMESPACE_DELETION_GRACE_MS - this.opts.clock.now().getTime();
    if (wait > 0) return { requeueAfter: wait };
    const { estimateSeconds } = await this.opts.deleter.delete(req.name);
    if (estimateSeconds > 0) return { requeueAfter: recheckAfterMs(estimateSeconds) };
  }
}
