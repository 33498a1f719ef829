// One item of the attemptToOrphan queue (garbagecollector.go attemptToOrphanWorker +
// orphanDependents): an owner deleted with propagationPolicy Orphan lets go of every
// dependent, then its `orphan` finalizer is removed so the server can finish deleting it.
import type { DependencyGraph } from './graph.js';
import { FINALIZER_ORPHAN } from './graph.js';
import type { Operations } from './operations.js';

export interface AttemptToOrphanContext {
  graph: DependencyGraph;
  ops: Operations;
}

export async function attemptToOrphanWorker(ctx: AttemptToOrphanContext, uid: string): Promise<void> {
  const owner = ctx.graph.get(uid);
  if (!owner || owner.virtual) return;
  const dependents = [...owner.dependents];
  const results = await Promise.allSettled(dependents.map((d) => ctx.ops.removeOwnerReferences(d.identity, [uid])));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  // Every dependent must be released before the finalizer goes, or one left behind would be
  // collected as soon as its owner is.
  if (failed.length > 0) {
    throw new Error(`orphaning ${failed.length} dependent(s) of ${owner.identity.kind} ${owner.identity.name}: ${failed.map((f) => String(f.reason)).join('; ')}`);
  }
  await ctx.ops.removeFinalizer(owner.identity, FINALIZER_ORPHAN);
}
