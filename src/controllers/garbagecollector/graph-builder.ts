// Keeps the dependency graph in step with what the informers see and decides what the
// workers must look at (kube-controller-manager garbagecollector/graph_builder.go
// processGraphChanges, insertNode, addDependentToOwners, processTransitions). Node.js runs one
// handler at a time, so informer events and the workers' virtual deletes change the graph
// atomically without kube's graphChanges queue.
import type { KubeObject, OwnerReference } from '../runtime/types.js';
import {
  AbsentOwnerCache,
  alternateOwnerIdentity,
  FINALIZER_DELETE_DEPENDENTS,
  FINALIZER_ORPHAN,
  GraphNode,
  partitionDependents,
  referenceMatches,
  referencesDiffs,
  sameIdentity,
  type DependencyGraph,
  type ObjectIdentity,
} from './graph.js';
import type { RestMapper } from './rest-mapper.js';

/** Where the builder sends work: the two queues, by uid. */
export interface GraphQueues {
  attemptToDelete(uid: string, opts?: { rateLimited?: boolean }): void;
  attemptToOrphan(uid: string): void;
}

export interface GraphBuilderOptions {
  graph: DependencyGraph;
  absentOwners: AbsentOwnerCache;
  mapper: RestMapper;
  queues: GraphQueues;
  /** Record OwnerRefInvalidNamespace on the dependent (reportInvalidNamespaceOwnerRef). */
  reportInvalidNamespace(dependent: GraphNode, owner: ObjectIdentity): void;
}

/** The identity of an object an informer delivered; type comes from the resource if the object lacks it. */
export function identityOf(obj: KubeObject, type: { apiVersion: string; kind: string }): ObjectIdentity {
  const m = obj.metadata;
  return {
    apiVersion: obj.apiVersion ?? type.apiVersion,
    kind: obj.kind ?? type.kind,
    name: m.name ?? '',
    uid: m.uid ?? '',
    namespace: m.namespace ?? '',
  };
}

const hasFinalizer = (obj: KubeObject, f: string): boolean => (obj.metadata.finalizers ?? []).includes(f);

export class GraphBuilder {
  constructor(private readonly opts: GraphBuilderOptions) {}

  /** An add or update from an informer. */
  observe(obj: KubeObject, type: { apiVersion: string; kind: string }): void {
    const { graph, queues } = this.opts;
    const id = identityOf(obj, type);
    if (!id.uid) return;
    const owners = [...(obj.metadata.ownerReferences ?? [])];
    let node = graph.get(id.uid);
    if (node?.virtual) {
      // The owner the dependents guessed at is real now. Those that named it by other
      // coordinates (another kind, name or namespace) are checked again.
      if (!sameIdentity(node.identity, id)) {
        for (const dep of partitionDependents(node.dependents, id).nonmatching) {
          if (id.namespace !== '' && dep.identity.namespace !== id.namespace) this.opts.reportInvalidNamespace(dep, id);
          queues.attemptToDelete(dep.uid);
        }
        node.identity = id;
      }
      node.virtual = false;
    }
    if (!node) {
      node = new GraphNode({ identity: id, owners });
      graph.write(node);
      this.addDependentToOwners(node, owners);
    } else {
      const { added, removed, changed } = referencesDiffs(node.owners, owners);
      if (added.length || removed.length || changed.length) {
        this.enqueueUnblockedOwners(removed, changed);
        node.owners = owners;
        this.addDependentToOwners(node, added);
        for (const r of removed) graph.get(r.uid)?.dependents.delete(node);
      }
    }
    if (obj.metadata.deletionTimestamp) node.beingDeleted = true;
    this.processTransitions(obj, node);
  }

  /** A delete from an informer: the object is gone, so its dependents may be garbage. */
  forget(obj: KubeObject, type: { apiVersion: string; kind: string }): void {
    const node = this.opts.graph.get(obj.metadata.uid ?? '');
    if (node) this.removeExisting(node, identityOf(obj, type));
  }

  /**
   * A worker's live read found no object with this identity (a virtual delete event). A
   * virtual node that dependents name in other ways stays, to be tried under the next
   * identity; an observed node whose coordinates differ stays, and only the dependents that
   * named the absent coordinates are checked.
   */
  virtualDelete(absent: ObjectIdentity): void {
    const { graph, queues, absentOwners } = this.opts;
    const node = graph.get(absent.uid);
    if (!node) return;
    if (node.virtual) {
      const { matching, nonmatching } = partitionDependents(node.dependents, absent);
      if (nonmatching.length > 0) {
        if (matching.length > 0) {
          absentOwners.add(AbsentOwnerCache.key(absent, absent.namespace));
          for (const dep of matching) queues.attemptToDelete(dep.uid);
        }
        if (sameIdentity(node.identity, absent)) {
          const next = alternateOwnerIdentity(nonmatching, absent);
          if (next) {
            node.identity = next;
            queues.attemptToDelete(node.uid, { rateLimited: true });
          }
        }
        return;
      }
    } else if (!sameIdentity(node.identity, absent)) {
      const { matching } = partitionDependents(node.dependents, absent);
      if (matching.length > 0) {
        absentOwners.add(AbsentOwnerCache.key(absent, absent.namespace));
        for (const dep of matching) queues.attemptToDelete(dep.uid);
      }
      return;
    }
    this.removeExisting(node, absent);
  }

  private removeExisting(node: GraphNode, id: ObjectIdentity): void {
    const { graph, queues, absentOwners } = this.opts;
    graph.remove(node);
    if (node.dependents.size > 0) absentOwners.add(AbsentOwnerCache.key(id, id.namespace));
    for (const dep of node.dependents) queues.attemptToDelete(dep.uid);
    // An owner deleting its dependents in foreground may be waiting for this one.
    for (const r of node.owners) {
      const owner = graph.get(r.uid);
      if (owner?.deletingDependents) queues.attemptToDelete(owner.uid);
    }
  }

  /**
   * Link a node to its owners, creating a virtual node (and a live check of it) for an owner
   * not seen yet. A reference that disagrees with an observed owner's coordinates or
   * namespace sends the dependent to be checked; a namespace mismatch with an observed owner
   * is certainly wrong and gets the OwnerRefInvalidNamespace event.
   */
  private addDependentToOwners(node: GraphNode, refs: readonly OwnerReference[]): void {
    const { graph, queues, mapper } = this.opts;
    let potentiallyInvalid = false;
    for (const ref of refs) {
      let owner = graph.get(ref.uid);
      if (!owner) {
        // A kind known to be cluster-scoped is looked for outside any namespace; otherwise the
        // owner is assumed in the dependent's namespace, as ownerReferences cannot say.
        const namespace = mapper.isNamespaced(ref.apiVersion, ref.kind) === false ? '' : node.identity.namespace;
        owner = new GraphNode({ identity: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace }, virtual: true });
        graph.write(owner);
        owner.dependents.add(node);
        queues.attemptToDelete(owner.uid);
        continue;
      }
      owner.dependents.add(node);
      if (potentiallyInvalid) continue;
      const ownerNamespaced = owner.identity.namespace !== '';
      if (ownerNamespaced && owner.identity.namespace !== node.identity.namespace) {
        if (!owner.virtual) this.opts.reportInvalidNamespace(node, owner.identity);
        potentiallyInvalid = true;
      } else if (!referenceMatches(ref, owner.identity)) {
        potentiallyInvalid = true;
      } else if (!ownerNamespaced && owner.virtual && node.identity.namespace !== '') {
        potentiallyInvalid = true;
      }
    }
    if (potentiallyInvalid) queues.attemptToDelete(node.uid);
  }

  /**
   * A blocking reference removed (or unblocked) may be the last thing a foreground-deleting
   * owner waits for (addUnblockedOwnersToDeleteQueue).
   */
  private enqueueUnblockedOwners(removed: OwnerReference[], changed: { old: OwnerReference; next: OwnerReference }[]): void {
    const { graph, queues } = this.opts;
    const unblocked = [...removed.filter((r) => r.blockOwnerDeletion), ...changed.filter((c) => c.old.blockOwnerDeletion && !c.next.blockOwnerDeletion).map((c) => c.old)];
    for (const r of unblocked) {
      const owner = graph.get(r.uid);
      if (owner?.deletingDependents) queues.attemptToDelete(owner.uid);
    }
  }

  /**
   * Being deleted with the orphan finalizer: orphan the dependents. With foregroundDeletion:
   * the node waits for its dependents, each of which is looked at now (processTransitions).
   * Both are level-triggered here; the queues collapse repeats.
   */
  private processTransitions(obj: KubeObject, node: GraphNode): void {
    const { queues } = this.opts;
    if (!obj.metadata.deletionTimestamp) return;
    if (hasFinalizer(obj, FINALIZER_ORPHAN)) {
      queues.attemptToOrphan(node.uid);
      return;
    }
    if (hasFinalizer(obj, FINALIZER_DELETE_DEPENDENTS) && !node.deletingDependents) {
      node.deletingDependents = true;
      for (const dep of node.dependents) queues.attemptToDelete(dep.uid);
      queues.attemptToDelete(node.uid);
    }
  }
}
