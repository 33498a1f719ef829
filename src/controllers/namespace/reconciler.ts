// The namespace controller's reconcile (kube-controller-manager pkg/controller/namespace/
// namespace_controller.go syncNamespaceFromKey + worker): only namespaces being deleted are its
// business. One pass of the deleter; while content remains, look again after half the
// estimate plus a second. Failures go back to the runner, which retries with backoff.
import type { Cache } from '../runtime/cache.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { NamespacedResourcesDeleter } from './deleter.js';

export interface NamespaceReconcilerOptions {
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
    if (!this.opts.namespaces.get(req.name)?.metadata.deletionTimestamp) return;
    const { estimateSeconds } = await this.opts.deleter.delete(req.name);
    if (estimateSeconds > 0) return { requeueAfter: recheckAfterMs(estimateSeconds) };
  }
}
