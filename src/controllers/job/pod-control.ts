// The Job controller's writes to pods, with the expectations that keep an informer cache
// which has not yet seen those writes from causing a second create, delete or count
// (controller_utils.go ControllerExpectations; job_controller.go finalizerExpectations,
// deleteActivePods, deleteJobPods, removeTrackingFinalizerFromPods).
import { isNamespaceTerminating, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import { OWNER_UID_INDEX, type Cache } from '../runtime/cache.js';
import { EventType, type EventRecorder } from '../runtime/events.js';
import type { KubeObject } from '../runtime/types.js';
import { hasTrackingFinalizer, removeTrackingFinalizerPatch } from './tracking.js';

export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };

export interface PodControlOptions {
  client: Client;
  pods: Cache;
  recorder: EventRecorder;
}

interface Expectations {
  /** Pods we created (by name) not yet in the cache. */
  adds: Set<string>;
  /** Pods we deleted (by name) the cache still shows as not being deleted. */
  deletes: Set<string>;
  /** Pods (by uid) whose finalizer we removed while the cache may still show it. */
  rmFinalizers: Set<string>;
}

export class PodControl {
  private readonly expectations = new Map<string, Expectations>();

  constructor(private readonly opts: PodControlOptions) {}

  /** Creates the pods, in parallel; a failed create throws after the others finished. */
  async create(job: KubeObject, templates: KubeObject[]): Promise<number> {
    const exp = this.expect(job);
    const results = await Promise.allSettled(
      templates.map(async (t) => {
        let pod: KubeObject;
        try {
          pod = await this.opts.client.create(PODS, t);
        } catch (e) {
          // The namespace is being torn down: every create will fail, and nothing is missing (manageJob).
          if (isNamespaceTerminating(e)) return;
          throw e;
        }
        exp.adds.add(pod.metadata.name ?? '');
        await this.opts.recorder.event(job, EventType.Normal, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      }),
    );
    return settle(results);
  }

  /**
   * Deletes pods. With keepFinalizers (the Job is finishing) the pods stay, being deleted,
   * until their outcome is counted; otherwise (surplus pods, suspend) the finalizer is
   * removed first, so the pod goes away without being counted as failed.
   */
  async delete(job: KubeObject, pods: KubeObject[], opts: { keepFinalizers: boolean }): Promise<number> {
    const exp = this.expect(job);
    const { client, recorder } = this.opts;
    const results = await Promise.allSettled(
      pods.map(async (p) => {
        const name = p.metadata.name ?? '';
        try {
          if (!opts.keepFinalizers && hasTrackingFinalizer(p)) {
            await client.patch(PODS, name, removeTrackingFinalizerPatch, 'strategic', { namespace: p.metadata.namespace });
          }
          await client.delete(PODS, name, p.metadata.namespace);
          exp.deletes.add(name);
          await recorder.event(job, EventType.Normal, 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }),
    );
    return settle(results);
  }

  /**
   * Removes our finalizer; returns which removals took (a pod already gone counts as removed).
   * With the Job given, the removals are expected so a stale cache does not count a pod twice.
   */
  async removeFinalizers(pods: KubeObject[], job?: KubeObject): Promise<{ removed: boolean[]; error?: unknown }> {
    const exp = job ? this.expect(job) : undefined;
    let error: unknown;
    const removed = await Promise.all(
      pods.map(async (p) => {
        exp?.rmFinalizers.add(p.metadata.uid ?? '');
        try {
          await this.opts.client.patch(PODS, p.metadata.name ?? '', removeTrackingFinalizerPatch, 'strategic', { namespace: p.metadata.namespace });
        } catch (e) {
          exp?.rmFinalizers.delete(p.metadata.uid ?? '');
          if (isNotFound(e)) return true;
          error ??= e;
          return false;
        }
        return true;
      }),
    );
    return error === undefined ? { removed } : { removed, error };
  }

  /** Pods whose finalizer removal the cache has not caught up with yet. */
  expectedRemovedFinalizers(job: KubeObject): ReadonlySet<string> {
    return this.expectations.get(job.metadata.uid ?? '')?.rmFinalizers ?? new Set();
  }

  /**
   * Every pod we created is in the cache and every pod we deleted has left it or shows its
   * deletionTimestamp; finalizer removals the cache already shows are forgotten.
   */
  satisfied(job: KubeObject): boolean {
    const e = this.expectations.get(job.metadata.uid ?? '');
    if (!e) return true;
    const seen = new Map(this.opts.pods.byIndex(OWNER_UID_INDEX, job.metadata.uid ?? '').map((p) => [p.metadata.name ?? '', p]));
    const byUid = new Map([...seen.values()].map((p) => [p.metadata.uid ?? '', p]));
    for (const n of e.adds) if (seen.has(n)) e.adds.delete(n);
    for (const n of e.deletes) if (!seen.has(n) || seen.get(n)!.metadata.deletionTimestamp) e.deletes.delete(n);
    for (const uid of e.rmFinalizers) {
      const p = byUid.get(uid);
      if (!p || !hasTrackingFinalizer(p)) e.rmFinalizers.delete(uid);
    }
    return e.adds.size === 0 && e.deletes.size === 0;
  }

  forget(job: KubeObject): void {
    this.expectations.delete(job.metadata.uid ?? '');
  }

  private expect(job: KubeObject): Expectations {
    const uid = job.metadata.uid ?? '';
    let e = this.expectations.get(uid);
    if (!e) this.expectations.set(uid, (e = { adds: new Set(), deletes: new Set(), rmFinalizers: new Set() }));
    return e;
  }
}

/** How many writes succeeded; the first failure is rethrown once all have settled. */
function settle(results: PromiseSettledResult<unknown>[]): number {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.length;
}
