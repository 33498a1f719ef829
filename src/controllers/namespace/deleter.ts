// Empties a terminating namespace and then releases it (kube-controller-manager
// pkg/controller/namespace/deletion/namespaced_resources_deleter.go): every namespaced
// resource discovery lists with the delete verb (custom resources included) is deleted with
// deletecollection, or list and delete one by one; what is left is counted, and waited for
// when a grace period (pods) or finalizers explain it. The status conditions report it. Once
// nothing is left, "kubernetes" is removed from spec.finalizers through namespaces/finalize,
// and the API server deletes the namespace.
import { ApiError, isConflict, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import type { Clock } from '../runtime/clock.js';
import { rfc3339 } from '../runtime/meta.js';
import type { KubeObject } from '../runtime/types.js';
import { updateConditions, type DeletionReport, type NamespaceCondition } from './conditions.js';

export const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };

/** The token this controller owns in spec.finalizers (v1.FinalizerKubernetes). */
export const FINALIZER_KUBERNETES = 'kubernetes';

/** How long to expect an object held by finalizers to take (finalizerEstimateSeconds). */
export const FINALIZER_ESTIMATE_SECONDS = 15;

type DiscoveredResource = ResourceRef & { verbs: string[] };

interface ResourceOutcome {
  estimate: number;
  remaining: number;
  finalizers: Map<string, number>;
  error?: string;
}

export interface NamespacedResourcesDeleterOptions {
  client: Client;
  clock: Clock;
  /** Failures that do not stop the deletion (a status update that did not go through). */
  onError(err: unknown): void;
}

const specFinalizers = (ns: KubeObject): string[] => ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []);

/** GroupVersionResource.String(), as kube's error messages print it: "/v1, Resource=pods". */
const gvrString = (r: ResourceRef): string => `${r.group}/${r.version}, Resource=${r.resource}`;

/** A 405 or 404 means the verb is not served for this resource after all: fall back, or skip. */
const notSupported = (e: unknown): boolean => e instanceof ApiError && (e.code === 405 || e.code === 404);

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class NamespacedResourcesDeleter {
  constructor(private readonly opts: NamespacedResourcesDeleterOptions) {}

  /**
   * One pass over a namespace being deleted. Returns how many seconds content is expected to
   * take to go (0 when the namespace was finalized, or needs nothing); throws when some content
   * could not be deleted, so the caller retries with backoff.
   */
  async delete(name: string): Promise<{ estimateSeconds: number }> {
    const { client } = this.opts;
    let ns: KubeObject;
    try {
      ns = await client.get(NAMESPACES, name);
    } catch (e) {
      if (isNotFound(e)) return { estimateSeconds: 0 };
      throw e;
    }
    if (!ns.metadata.deletionTimestamp) return { estimateSeconds: 0 };
    const marked = await this.retryOnConflict(ns, (cur) => this.markTerminating(cur));
    if (!marked || !marked.metadata.deletionTimestamp || specFinalizers(marked).length === 0) return { estimateSeconds: 0 };
    const { estimate, errors } = await this.deleteAllContent(marked);
    if (errors.length) throw new Error(`deletion of namespace ${name} failed: ${errors.join(', ')}`);
    if (estimate > 0) return { estimateSeconds: estimate };
    await this.retryOnConflict(marked, (cur) => this.finalize(cur));
    return { estimateSeconds: 0 };
  }

  /** updateNamespaceStatusFunc: a namespace deleted while its phase still says Active is set Terminating. */
  private async markTerminating(ns: KubeObject): Promise<KubeObject> {
    const status = (ns.status ?? {}) as { phase?: string };
    if (status.phase === 'Terminating') return ns;
    return this.opts.client.updateStatus(NAMESPACES, { ...ns, status: { ...status, phase: 'Terminating' } });
  }

  /** finalizeNamespace: PUT namespaces/{name}/finalize without our token (the rest sorted, as a Go string set lists them). */
  private async finalize(ns: KubeObject): Promise<KubeObject> {
    const rest = [...new Set(specFinalizers(ns).filter((f) => f !== FINALIZER_KUBERNETES))].sort();
    return this.opts.client.update(NAMESPACES, { ...ns, spec: { ...(ns.spec ?? {}), finalizers: rest } }, { subresource: 'finalize' });
  }

  /** retryOnConflictError: on a conflict, re-read and try again, unless the namespace was recreated; a vanished one ends it. */
  private async retryOnConflict(ns: KubeObject, fn: (cur: KubeObject) => Promise<KubeObject>): Promise<KubeObject | undefined> {
    let current = ns;
    for (;;) {
      try {
        return await fn(current);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        if (!isConflict(e)) throw e;
      }
      const latest = await this.opts.client.get(NAMESPACES, ns.metadata.name!).catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
      if (!latest) return undefined;
      if (latest.metadata.uid !== current.metadata.uid) throw new Error('namespace uid has changed across retries');
      current = latest;
    }
  }

  /** deleteAllContent: every deletable namespaced resource, then the conditions; returns the largest estimate and the errors. */
  private async deleteAllContent(ns: KubeObject): Promise<{ estimate: number; errors: string[] }> {
    const { client } = this.opts;
    const name = ns.metadata.name!;
    const report: DeletionReport = { contentErrors: [], remaining: new Map(), finalizers: new Map() };
    const errors: string[] = [];
    let resources: DiscoveredResource[] = [];
    try {
      resources = (await client.serverResources()).filter((r) => r.namespaced && r.verbs.includes('delete'));
    } catch (e) {
      // Not fatal: what was found is still deleted (client-go's partial discovery results).
      report.discoveryError = messageOf(e);
      errors.push(report.discoveryError);
    }
    const deletedAt = Date.parse(ns.metadata.deletionTimestamp!);
    let estimate = 0;
    for (const r of resources) {
      const outcome = await this.deleteAllContentFor(r, name, deletedAt);
      if (outcome.error) {
        errors.push(outcome.error);
        report.contentErrors.push(outcome.error);
      }
      estimate = Math.max(estimate, outcome.estimate);
      if (outcome.remaining > 0) {
        report.remaining.set(`${r.resource}.${r.group}`, outcome.remaining);
        for (const [f, n] of outcome.finalizers) report.finalizers.set(f, (report.finalizers.get(f) ?? 0) + n);
      }
    }
    // Always reconciled: a condition that failed before must be seen to recover.
    const current = ((ns.status as { conditions?: NamespaceCondition[] } | undefined)?.conditions ?? []);
    const { conditions, changed } = updateConditions(current, report, rfc3339(this.opts.clock.now()));
    if (changed) {
      await client.updateStatus(NAMESPACES, { ...ns, status: { ...(ns.status ?? {}), conditions } }).catch((e: unknown) => {
        if (!isNotFound(e) && !isConflict(e)) this.opts.onError(new Error(`couldn't update status condition for namespace "${name}": ${messageOf(e)}`));
      });
    }
    return { estimate, errors };
  }

  /** deleteAllContentForGroupVersionResource. */
  private async deleteAllContentFor(r: DiscoveredResource, namespace: string, deletedAt: number): Promise<ResourceOutcome> {
    const { client } = this.opts;
    const outcome: ResourceOutcome = { estimate: 0, remaining: 0, finalizers: new Map() };
    try {
      outcome.estimate = await this.estimateGracefulTermination(r, namespace, deletedAt);
      let collectionDeleted = false;
      if (r.verbs.includes('deletecollection')) {
        try {
          await client.deleteCollection(r, { namespace, propagationPolicy: 'Background' });
          collectionDeleted = true;
        } catch (e) {
          if (!notSupported(e)) throw e;
        }
      }
      if (!collectionDeleted && r.verbs.includes('list')) {
        for (const item of (await client.list(r, { namespace })).items) {
          await client.delete(r, item.metadata.name!, namespace, { propagationPolicy: 'Background' }).catch((e: unknown) => {
            if (!notSupported(e)) throw e;
          });
        }
      }
      if (!r.verbs.includes('list')) return outcome;
      const left = (await client.list(r, { namespace })).items;
      if (left.length === 0) return { ...outcome, estimate: 0 };
      outcome.remaining = left.length;
      for (const item of left) for (const f of item.metadata.finalizers ?? []) outcome.finalizers.set(f, (outcome.finalizers.get(f) ?? 0) + 1);
      if (outcome.estimate > 0) return outcome;
      // Finalizers are a normal reason to wait: give whoever owns them time.
      if (outcome.finalizers.size > 0) return { ...outcome, estimate: FINALIZER_ESTIMATE_SECONDS };
      return { ...outcome, error: `unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(r)}` };
    } catch (e) {
      if (notSupported(e)) return outcome;
      return { ...outcome, error: messageOf(e) };
    }
  }

  /**
   * estimateGracefulTermination: for pods, the longest terminationGracePeriodSeconds of those
   * not yet terminal, unless that much time has passed since the namespace was deleted.
   */
  private async estimateGracefulTermination(r: ResourceRef, namespace: string, deletedAt: number): Promise<number> {
    if (r.group !== '' || r.resource !== 'pods') return 0;
    let estimate = 0;
    for (const pod of (await this.opts.client.list(PODS, { namespace })).items) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = (pod.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds;
      if (typeof grace === 'number' && grace > estimate) estimate = grace;
    }
    return this.opts.clock.now().getTime() - deletedAt >= estimate * 1000 ? 0 : estimate;
  }
}
