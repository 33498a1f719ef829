// The garbage collector's writes and live reads, each on one object named by its identity
// (garbagecollector/operations.go and patch.go). Every write is conditional on the uid and
// the resourceVersion read just before, so an object that gained an owner or was replaced
// meanwhile is never deleted or patched on stale information.
import { isConflict, isNotFound, type Client, type DeleteOptions, type ResourceRef } from '../../clients/interfaces.js';
import type { KubeObject, OwnerReference } from '../runtime/types.js';
import type { ObjectIdentity } from './graph.js';
import type { RestMapper } from './rest-mapper.js';

/** A cluster-scoped object cannot have a namespaced owner; retrying will not help (namespacedOwnerOfClusterScopedObjectErr). */
export class NamespacedOwnerOfClusterScopedObjectError extends Error {
  constructor() {
    super('cluster-scoped objects cannot refer to namespaced owners');
    this.name = 'NamespacedOwnerOfClusterScopedObjectError';
  }
}

/** client-go retry.DefaultRetry: a few quick attempts on Conflict before giving up to the queue. */
const CONFLICT_RETRIES = 5;

export interface OperationsOptions {
  client: Client;
  mapper: RestMapper;
}

export class Operations {
  constructor(private readonly opts: OperationsOptions) {}

  /** Where an identity lives: its resource and namespace ('' kept only for cluster-scoped kinds). */
  locate(id: Pick<ObjectIdentity, 'apiVersion' | 'kind' | 'namespace'>): { ref: ResourceRef; namespace?: string } {
    const ref = this.opts.mapper.resourceFor(id.apiVersion, id.kind);
    if (!ref.namespaced) return { ref };
    if (!id.namespace) throw new NamespacedOwnerOfClusterScopedObjectError();
    return { ref, namespace: id.namespace };
  }

  /** The live object, or undefined when nothing by that name exists. */
  async getObject(id: ObjectIdentity): Promise<KubeObject | undefined> {
    const { ref, namespace } = this.locate(id);
    try {
      return await this.opts.client.get(ref, id.name, namespace);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Delete with uid and resourceVersion preconditions. On a Conflict the object is read
   * again: gone or replaced is done; unchanged ownerReferences mean some other field moved,
   * so it is deleted without the resourceVersion (deleteObject's retry), else the caller
   * retries from the start with what it now says.
   */
  async deleteObject(id: ObjectIdentity, opts: { resourceVersion?: string; owners?: readonly OwnerReference[]; policy?: DeleteOptions['propagationPolicy'] }): Promise<void> {
    const { ref, namespace } = this.locate(id);
    const preconditions: DeleteOptions['preconditions'] = { uid: id.uid };
    if (opts.resourceVersion) preconditions.resourceVersion = opts.resourceVersion;
    try {
      await this.opts.client.delete(ref, id.name, namespace, { preconditions, propagationPolicy: opts.policy });
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e) || !opts.resourceVersion) throw e;
      const live = await this.getObject(id);
      if (!live || live.metadata.uid !== id.uid) return;
      if (sameReferences(live.metadata.ownerReferences ?? [], opts.owners ?? [])) {
        await this.deleteObject(id, { policy: opts.policy });
        return;
      }
      throw e;
    }
  }

  /** Drop the references to these owner uids (the "ownerRefs removal" patch). */
  removeOwnerReferences(id: ObjectIdentity, ownerUids: readonly string[]): Promise<void> {
    const drop = new Set(ownerUids);
    return this.patchOwnerReferences(id, (refs) => {
      const next = refs.filter((r) => !drop.has(r.uid));
      return next.length === refs.length ? undefined : next;
    });
  }

  /** Set blockOwnerDeletion false on every reference that has it (unblockOwnerReferences). */
  unblockOwnerReferences(id: ObjectIdentity): Promise<void> {
    return this.patchOwnerReferences(id, (refs) =>
      refs.some((r) => r.blockOwnerDeletion) ? refs.map((r) => (r.blockOwnerDeletion ? { ...r, blockOwnerDeletion: false } : r)) : undefined,
    );
  }

  /** Remove one finalizer, if still there; a gone or replaced object needs nothing (removeFinalizer). */
  removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    return this.conditionalPatch(id, (live) => {
      const finalizers = live.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return undefined;
      const rest = finalizers.filter((f) => f !== finalizer);
      return { finalizers: rest.length ? rest : null };
    });
  }

  private patchOwnerReferences(id: ObjectIdentity, change: (refs: OwnerReference[]) => OwnerReference[] | undefined): Promise<void> {
    return this.conditionalPatch(id, (live) => {
      const next = change([...(live.metadata.ownerReferences ?? [])]);
      if (!next) return undefined;
      return { ownerReferences: next.length ? next : null };
    });
  }

  /**
   * Read, compute a metadata change, and send it as a JSON merge patch carrying the uid and
   * resourceVersion it was computed from, so the server refuses it if the object moved;
   * then read again and retry (retry.RetryOnConflict). Merge patch works for every kind,
   * custom resources included, where kube falls back to it from strategic merge.
   */
  private async conditionalPatch(id: ObjectIdentity, compute: (live: KubeObject) => Record<string, unknown> | undefined): Promise<void> {
    const { ref, namespace } = this.locate(id);
    for (let attempt = 1; ; attempt++) {
      const live = await this.getObject(id);
      if (!live || live.metadata.uid !== id.uid) return;
      const change = compute(live);
      if (!change) return;
      const patch = { metadata: { ...change, uid: id.uid, resourceVersion: live.metadata.resourceVersion } };
      try {
        await this.opts.client.patch(ref, id.name, patch, 'merge', { namespace });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e) || attempt >= CONFLICT_RETRIES) throw e;
      }
    }
  }
}

function sameReferences(a: readonly OwnerReference[], b: readonly OwnerReference[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
