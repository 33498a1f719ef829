// One item of the attemptToDelete queue (garbagecollector.go attemptToDeleteWorker,
// attemptToDeleteItem, classifyReferences, isDangling, processDeletingDependentsItem): is
// this object garbage, judged by live reads of it and of each of its owners, never by the
// graph alone?
import { isConflict } from '../../clients/interfaces.js';
import type { Result } from '../runtime/reconcile.js';
import type { KubeObject, OwnerReference } from '../runtime/types.js';
import type { GraphBuilder, GraphQueues } from './graph-builder.js';
import { AbsentOwnerCache, FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN, type DependencyGraph, type GraphNode, type ObjectIdentity } from './graph.js';
import { NamespacedOwnerOfClusterScopedObjectError, type Operations } from './operations.js';
import { RestMappingError, type RestMapper } from './rest-mapper.js';

export interface AttemptToDeleteContext {
  graph: DependencyGraph;
  builder: GraphBuilder;
  ops: Operations;
  mapper: RestMapper;
  absentOwners: AbsentOwnerCache;
  queues: GraphQueues;
  /** A kind discovery did not know: look again, a CRD may have just been established. */
  onUnknownKind(): void;
}

/**
 * The worker's verdict on the item: done, or again later with backoff. An unknown kind and
 * a conflict retry quietly (kube logs the first at V(5)); a cluster-scoped object naming a
 * namespaced owner is dropped, retrying cannot fix it; other errors go to the runner, which
 * reports and retries.
 */
export async function attemptToDeleteWorker(ctx: AttemptToDeleteContext, uid: string): Promise<Result> {
  const node = ctx.graph.get(uid);
  if (!node) return {};
  try {
    await attemptToDeleteItem(ctx, node);
  } catch (e) {
    if (e instanceof NamespacedOwnerOfClusterScopedObjectError) return {};
    if (e instanceof RestMappingError) {
      ctx.onUnknownKind();
      return { requeue: true };
    }
    // The object changed its owners between the read and the write: look again, it is churn.
    if (isConflict(e)) return { requeue: true };
    throw e;
  }
  // A virtual node whose object exists but no informer has shown yet is looked at again,
  // so one created and deleted while a watch was down cannot stay forever (issue 56121).
  const now = ctx.graph.get(uid);
  if (now === node && node.virtual) return { requeue: true };
  return {};
}

async function attemptToDeleteItem(ctx: AttemptToDeleteContext, node: GraphNode): Promise<void> {
  // Being deleted is a one-way trip: its dependents are looked at when it is finally gone.
  if (node.beingDeleted && !node.deletingDependents) return;
  const latest = await ctx.ops.getObject(node.identity);
  if (!latest || latest.metadata.uid !== node.uid) {
    ctx.builder.virtualDelete({ ...node.identity });
    return;
  }
  if (node.deletingDependents) {
    await processDeletingDependents(ctx, node);
    return;
  }
  const refs = latest.metadata.ownerReferences ?? [];
  if (refs.length === 0) return;
  const { solid, dangling, waiting } = await classifyReferences(ctx, node, refs);
  if (solid.length > 0) {
    if (dangling.length === 0 && waiting.length === 0) return;
    // A live owner keeps the object; references to gone owners go, and so do references to
    // owners waiting on their dependents, or those owners would wait forever.
    await ctx.ops.removeOwnerReferences(node.identity, [...dangling, ...waiting].map((r) => r.uid));
    return;
  }
  const resourceVersion = latest.metadata.resourceVersion;
  if (waiting.length > 0 && node.dependents.size > 0) {
    // An owner deleting in foreground waits for this one, which has dependents of its own:
    // delete it in foreground too. A dependent already deleting its dependents may be a
    // cycle back to us, so stop blocking our owners first (kube's admittedly rough check).
    if ([...node.dependents].some((d) => d.deletingDependents)) await ctx.ops.unblockOwnerReferences(node.identity);
    await ctx.ops.deleteObject(node.identity, { resourceVersion, owners: refs, policy: 'Foreground' });
    return;
  }
  await ctx.ops.deleteObject(node.identity, { resourceVersion, owners: refs, policy: policyFromFinalizers(latest) });
}

/** No owner is waiting on this object: honour a deletion already asked of it by its finalizers. */
function policyFromFinalizers(obj: KubeObject): 'Orphan' | 'Foreground' | 'Background' {
  const finalizers = obj.metadata.finalizers ?? [];
  if (finalizers.includes(FINALIZER_ORPHAN)) return 'Orphan';
  if (finalizers.includes(FINALIZER_DELETE_DEPENDENTS)) return 'Foreground';
  return 'Background';
}

/**
 * solid: the owner exists and is not waiting; dangling: absent or another uid by that name;
 * waiting: being deleted with foregroundDeletion. One live read per reference, unless the
 * owner is already known absent.
 */
async function classifyReferences(
  ctx: AttemptToDeleteContext,
  node: GraphNode,
  refs: readonly OwnerReference[],
): Promise<{ solid: OwnerReference[]; dangling: OwnerReference[]; waiting: OwnerReference[] }> {
  const solid: OwnerReference[] = [];
  const dangling: OwnerReference[] = [];
  const waiting: OwnerReference[] = [];
  for (const ref of refs) {
    const owner = await liveOwner(ctx, node, ref);
    if (!owner) dangling.push(ref);
    else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FINALIZER_DELETE_DEPENDENTS)) waiting.push(ref);
    else solid.push(ref);
  }
  return { solid, dangling, waiting };
}

/**
 * The owner a reference names, read live, or undefined when it is dangling (isDangling). The
 * owner is looked for in the dependent's namespace, or outside any for a cluster-scoped kind;
 * a cluster-scoped dependent cannot name a namespaced kind at all.
 */
async function liveOwner(ctx: AttemptToDeleteContext, node: GraphNode, ref: OwnerReference): Promise<KubeObject | undefined> {
  const { absentOwners, mapper, ops } = ctx;
  if (absentOwners.has(AbsentOwnerCache.key(ref, ''))) return undefined;
  if (absentOwners.has(AbsentOwnerCache.key(ref, node.identity.namespace))) return undefined;
  const resource = mapper.resourceFor(ref.apiVersion, ref.kind);
  if (resource.namespaced && !node.identity.namespace) throw new NamespacedOwnerOfClusterScopedObjectError();
  const namespace = resource.namespaced ? node.identity.namespace : '';
  const id: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
  const owner = await ops.getObject(id);
  if (!owner || owner.metadata.uid !== ref.uid) {
    absentOwners.add(AbsentOwnerCache.key(ref, namespace));
    return undefined;
  }
  return owner;
}

/**
 * A foreground-deleting owner: once no dependent blocks it, drop foregroundDeletion and let
 * the server finish the deletion; until then make sure each blocking dependent is on its way.
 */
async function processDeletingDependents(ctx: AttemptToDeleteContext, node: GraphNode): Promise<void> {
  const blocking = node.blockingDependents();
  if (blocking.length === 0) {
    await ctx.ops.removeFinalizer(node.identity, FINALIZER_DELETE_DEPENDENTS);
    return;
  }
  for (const dep of blocking) if (!dep.deletingDependents) ctx.queues.attemptToDelete(dep.uid);
}
