// The garbage collector's dependency graph: one node per uid, linked owner -> dependents by
// ownerReferences (kube-controller-manager pkg/controller/garbagecollector graph.go). A node
// for an owner that no informer has shown yet is "virtual": it exists because a dependent
// names it, and a worker checks with a live read whether it exists at all.
import type { OwnerReference } from '../runtime/types.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

/** An object's coordinates: what an ownerReference says plus the namespace ('' when cluster-scoped). */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

/** kube's objectReference.String(), used in events and errors. */
export function identityString(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}

/** An ownerReference names these coordinates (ownerReferenceMatchesCoordinates: all but namespace). */
export function referenceMatches(ref: OwnerReference, id: ObjectIdentity): boolean {
  return ref.uid === id.uid && ref.apiVersion === id.apiVersion && ref.kind === id.kind && ref.name === id.name;
}

export class GraphNode {
  identity: ObjectIdentity;
  /** The object's ownerReferences as last observed ([] for a virtual node). */
  owners: OwnerReference[];
  readonly dependents = new Set<GraphNode>();
  /** Not yet seen by an informer: known only from a dependent's ownerReference. */
  virtual: boolean;
  /** deletionTimestamp is set; a one-way trip to final deletion. */
  beingDeleted = false;
  /** Being deleted in foreground: waits for its blocking dependents (the foregroundDeletion finalizer). */
  deletingDependents = false;

  constructor(opts: { identity: ObjectIdentity; owners?: OwnerReference[]; virtual?: boolean }) {
    this.identity = opts.identity;
    this.owners = opts.owners ?? [];
    this.virtual = opts.virtual ?? false;
  }

  get uid(): string {
    return this.identity.uid;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion (node.blockingDependents). */
  blockingDependents(): GraphNode[] {
    const out: GraphNode[] = [];
    for (const dep of this.dependents) {
      if (dep.owners.some((r) => r.uid === this.uid && r.blockOwnerDeletion === true)) out.push(dep);
    }
    return out;
  }
}

/** uid -> node, and the owner/dependent links kept symmetric (uidToNode + insertNode/removeNode). */
export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  has(uid: string): boolean {
    return this.nodes.has(uid);
  }

  size(): number {
    return this.nodes.size;
  }

  all(): IterableIterator<GraphNode> {
    return this.nodes.values();
  }

  /** Put a node in the uid map without touching links (a new virtual owner, a replacement identity). */
  write(node: GraphNode): void {
    this.nodes.set(node.uid, node);
  }

  /** Take a node out and unlink it from its owners; its own dependents keep their references. */
  remove(node: GraphNode): void {
    if (this.nodes.get(node.uid) === node) this.nodes.delete(node.uid);
    for (const ref of node.owners) this.nodes.get(ref.uid)?.dependents.delete(node);
  }
}

/**
 * How the owner references changed between two versions of an object, by uid
 * (graph_builder.go referencesDiffs): added, removed, and those whose other fields changed.
 */
export function referencesDiffs(
  old: readonly OwnerReference[],
  next: readonly OwnerReference[],
): { added: OwnerReference[]; removed: OwnerReference[]; changed: { old: OwnerReference; next: OwnerReference }[] } {
  const oldByUid = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: { old: OwnerReference; next: OwnerReference }[] = [];
  for (const r of next) {
    const o = oldByUid.get(r.uid);
    if (!o) added.push(r);
    else {
      oldByUid.delete(r.uid);
      if (!sameReference(o, r)) changed.push({ old: o, next: r });
    }
  }
  return { added, removed: [...oldByUid.values()], changed };
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.uid === b.uid &&
    (a.controller ?? false) === (b.controller ?? false) &&
    (a.blockOwnerDeletion ?? false) === (b.blockOwnerDeletion ?? false)
  );
}

/**
 * Split dependents by whether they reference `owner` by exactly these coordinates
 * (partitionDependents). A dependent in another namespace than a namespaced owner never
 * matches; one with two references to the uid may land in both lists.
 */
export function partitionDependents(dependents: Iterable<GraphNode>, owner: ObjectIdentity): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (owner.namespace !== '' && owner.namespace !== dep.identity.namespace) mismatch = true;
    else {
      for (const r of dep.owners) {
        if (r.uid !== owner.uid) continue;
        if (referenceMatches(r, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

/**
 * The next identity to try for a virtual owner that its dependents name in several ways
 * (getAlternateOwnerIdentity): the first, in a fixed order, after the one just found absent,
 * wrapping around, so repeated virtual deletes cycle through every candidate.
 */
export function alternateOwnerIdentity(dependents: GraphNode[], absent: ObjectIdentity): ObjectIdentity | undefined {
  const key = (id: ObjectIdentity) => [id.apiVersion, id.kind, id.name, id.namespace].join('\u0000');
  const candidates = new Map<string, ObjectIdentity>();
  for (const dep of dependents) {
    for (const r of dep.owners) {
      if (r.uid !== absent.uid) continue;
      const id: ObjectIdentity = { apiVersion: r.apiVersion, kind: r.kind, name: r.name, uid: r.uid, namespace: dep.identity.namespace };
      if (!sameIdentity(id, absent)) candidates.set(key(id), id);
    }
  }
  const sorted = [...candidates.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const after = sorted.find(([k]) => k > key(absent));
  return (after ?? sorted[0])?.[1];
}

/**
 * Owner identities confirmed absent (the ReferenceCache, an LRU of 500): a dependent naming
 * one needs no live read to call its reference dangling. Keyed with the namespace, so a
 * cluster-scoped owner is looked up with '' and a namespaced one with the dependent's.
 */
export class AbsentOwnerCache {
  private readonly entries = new Set<string>();

  constructor(private readonly max = 500) {}

  static key(ref: Pick<OwnerReference, 'apiVersion' | 'kind' | 'name' | 'uid'>, namespace: string): string {
    return [ref.apiVersion, ref.kind, ref.name, ref.uid, namespace].join('\u0000');
  }

  add(key: string): void {
    this.entries.delete(key);
    this.entries.add(key);
    if (this.entries.size > this.max) this.entries.delete(this.entries.values().next().value!);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}
