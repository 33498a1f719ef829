// The CronTab reconciler: one batch/v1 Job per CronTab, replaced when the CronTab's spec
// changes, and the Job's progress reported in the CronTab's status subresource.
import { getIfExists, isAlreadyExists, isNotFound, type Client } from '../../clients/interfaces.js';
import type { Clock } from '../runtime/clock.js';
import { EventType, type EventRecorder } from '../runtime/events.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { CRONTABS } from './crd.js';
import { isControlledBy, JOBS, jobFromCronTab, needsReplacement, sameJSON, statusFromJob, type CronTabStatus } from './job.js';

/** How long to wait before looking again at a Job that is still going away. */
export const REPLACE_RETRY_MS = 1000;

export interface CronTabReconcilerOptions {
  client: Client;
  clock: Clock;
  recorder: EventRecorder;
}

export class CronTabReconciler implements Reconciler {
  constructor(private readonly opts: CronTabReconcilerOptions) {}

  async reconcile(req: Request): Promise<Result | void> {
    const { client, clock } = this.opts;
    const ct = await getIfExists(client, CRONTABS, req.name, req.namespace);
    if (!ct) return;
    if (ct.metadata.deletionTimestamp) return;

    let job = await this.getJob(req);
    if (job && !isControlledBy(job, ct)) {
      await this.writeStatus(ct, statusFromJob(ct, job, clock.now(), true));
      return;
    }
    let requeue: Result | undefined;
    if (job && job.metadata.deletionTimestamp) {
      job = undefined; // still going away: come back when it is gone
      requeue = { requeueAfter: REPLACE_RETRY_MS };
    } else if (job && needsReplacement(job, ct)) {
      try {
        await client.delete(JOBS, req.name, req.namespace, { propagationPolicy: 'Background' });
        await this.opts.recorder.event(ct, EventType.Normal, 'JobDeleted', `Deleted Job ${req.name} to run the new spec`);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      job = undefined;
    }
    if (!job && !requeue) {
      try {
        job = await client.create(JOBS, jobFromCronTab(ct));
        await this.opts.recorder.event(ct, EventType.Normal, 'JobCreated', `Created Job ${job.metadata.name}`);
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        // The old Job is not gone yet (a finalizer, or a cache that lags): try again shortly.
        requeue = { requeueAfter: REPLACE_RETRY_MS };
      }
    }
    const next = statusFromJob(ct, job, clock.now());
    // Until the replacement exists, the spec change is not acted on: keep observedGeneration.
    if (!job) next.observedGeneration = ((ct.status ?? {}) as CronTabStatus).observedGeneration ?? 0;
    await this.writeStatus(ct, next);
    return requeue ?? {};
  }

  private async getJob(req: Request): Promise<KubeObject | undefined> {
    try {
      return await this.opts.client.get(JOBS, req.name, req.namespace);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private async writeStatus(ct: KubeObject, next: CronTabStatus): Promise<void> {
    if (sameJSON(ct.status ?? {}, next)) return;
    try {
      await this.opts.client.patch(CRONTABS, ct.metadata.name ?? '', { status: next }, 'merge', {
        namespace: ct.metadata.namespace,
        subresource: 'status',
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
