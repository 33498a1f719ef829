// The TTL-after-finished controller (kube-controller-manager pkg/controller/ttlafterfinished):
// a finished Job with spec.ttlSecondsAfterFinished is deleted that many seconds after its
// Complete or Failed condition turned True, on the injected clock. Before deleting it re-reads
// the Job from the API (the cache may hold an older ttl) and deletes with a resourceVersion
// precondition, so a Job edited in between is looked at again instead of deleted.
import { getIfExists, isConflict, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import type { Cache } from '../runtime/cache.js';
import type { Clock } from '../runtime/clock.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';

export const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };

export interface TTLAfterFinishedOptions {
  client: Client;
  clock: Clock;
  jobs: Cache;
}

interface Condition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

/** When the Job finished: the lastTransitionTime of its True Complete or Failed condition. */
export function jobFinishTime(job: KubeObject): number | undefined {
  const conditions = ((job.status as { conditions?: Condition[] } | undefined)?.conditions ?? []);
  const c = conditions.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  if (!c) return undefined;
  const t = Date.parse(c.lastTransitionTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Milliseconds until the Job may be deleted (<= 0: now), or undefined when it needs no
 * cleanup: no ttl, not finished, or already being deleted.
 */
export function timeLeft(job: KubeObject, now: number): number | undefined {
  const ttl = (job.spec as { ttlSecondsAfterFinished?: number } | undefined)?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return undefined;
  const finishedAt = jobFinishTime(job);
  if (finishedAt === undefined) return undefined;
  // A finish time in the future (clock skew) simply waits longer, as kube defers it.
  return finishedAt + ttl * 1000 - now;
}

export class TTLAfterFinishedReconciler implements Reconciler {
  constructor(private readonly opts: TTLAfterFinishedOptions) {}

  async reconcile(req: Request): Promise<Result | void> {
    const { client, clock, jobs } = this.opts;
    const cached = jobs.get(req.name, req.namespace);
    if (!cached) return;
    const left = timeLeft(cached, clock.now().getTime());
    if (left === undefined) return;
    if (left > 0) return { requeueAfter: left };
    // The cached ttl may be stale: decide again on the Job as the API has it now.
    const fresh = await getIfExists(client, JOBS, req.name, req.namespace);
    if (!fresh) return;
    const freshLeft = timeLeft(fresh, clock.now().getTime());
    if (freshLeft === undefined) return;
    if (freshLeft > 0) return { requeueAfter: freshLeft };
    try {
      // Foreground: the Job goes once its pods are gone, as kube cascades it.
      await client.delete(JOBS, req.name, req.namespace, {
        propagationPolicy: 'Foreground',
        preconditions: { uid: fresh.metadata.uid, resourceVersion: fresh.metadata.resourceVersion },
      });
    } catch (e) {
      if (isNotFound(e)) return;
      // Changed since we read it: look again with what it is now.
      if (isConflict(e)) return { requeue: true };
      throw e;
    }
  }
}
