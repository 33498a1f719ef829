// The ReplicaSet reconciler (k8s.io/kubernetes pkg/controller/replicaset replica_set.go
// syncReplicaSet + manageReplicas + replica_set_utils.go calculateStatus). It reads pods from
// the shared informer cache, as kube's does: a list from the API server on every sync costs
// O(pods) requests' worth of work per pod event, quadratic for a large ReplicaSet. The cache
// lags the controller's own writes, so expectations hold back a second create or delete until
// the cache has caught up.
import { getIfExists, isNamespaceTerminating, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import { CONTROLLER_UID_INDEX, keyOf, objectKey, type Cache } from '../runtime/cache.js';
import type { Clock } from '../runtime/clock.js';
import type { EventRecorder } from '../runtime/events.js';
import type { ControllerExpectations } from '../runtime/expectations.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { newControllerRef } from '../runtime/meta.js';
import {
  controllerRef,
  isPodActive,
  isPodAvailable,
  isPodReady,
  msUntilAvailable,
  podFromTemplate,
  podsToDelete,
  selectorMatches,
  type LabelSelector,
} from './pods.js';

export const REPLICASETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };

/** kube's burstReplicas: at most this many creations or deletions per sync. */
export const BURST_REPLICAS = 500;

/** slowStartBatch's first batch: one create, then 2, 4, 8... while they succeed. */
const SLOW_START_INITIAL_BATCH = 1;

export interface ReplicaSetReconcilerOptions {
  client: Client;
  clock: Clock;
  recorder: EventRecorder;
  /** The shared pod informer's cache. */
  pods: Cache;
  /** Fed by the pod informer's events (see setup.ts). */
  expectations: ControllerExpectations;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const num = (v: unknown, dflt = 0): number => (typeof v === 'number' ? v : dflt);

export class ReplicaSetReconciler implements Reconciler {
  constructor(private readonly opts: ReplicaSetReconcilerOptions) {}

  async reconcile(req: Request): Promise<Result | void> {
    const { client, expectations } = this.opts;
    const key = keyOf(req.name, req.namespace);
    const rs = await getIfExists(client, REPLICASETS, req.name, req.namespace);
    if (!rs) {
      expectations.forget(key);
      return;
    }
    const spec = asObj(rs.spec);
    // Expectations before the cache is read, so a pod arriving in between cannot slip past them.
    const needsSync = expectations.satisfied(key);
    const pods = await this.claimPods(rs, spec.selector as LabelSelector | undefined, this.candidates(rs).filter(isPodActive));
    if (needsSync && !rs.metadata.deletionTimestamp) await this.manageReplicas(rs, key, pods, num(spec.replicas, 1));
    // As kube, the status counts the pods this sync started from; the events of its own
    // creates and deletes bring the next sync, which counts them.
    return this.updateStatus(rs, pods);
  }

  /**
   * The pods a claim can touch: those this ReplicaSet controls and the namespace's orphans.
   * kube lists the whole namespace and skips pods other controllers own; the controller index
   * skips them without looking, so a sync costs this ReplicaSet's pods, not the namespace's.
   */
  private candidates(rs: KubeObject): KubeObject[] {
    const { pods } = this.opts;
    const ns = rs.metadata.namespace ?? '';
    const orphans = pods.byIndex(CONTROLLER_UID_INDEX, '').filter((p) => p.metadata.namespace === ns);
    return [...pods.byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid ?? ''), ...orphans];
  }

  /**
   * PodControllerRefManager.ClaimPods: keep pods this ReplicaSet controls, adopt matching
   * orphans, release owned pods whose labels stopped matching.
   */
  private async claimPods(rs: KubeObject, selector: LabelSelector | undefined, pods: KubeObject[]): Promise<KubeObject[]> {
    const { client } = this.opts;
    const uid = rs.metadata.uid;
    const out: KubeObject[] = [];
    for (const pod of pods) {
      const ref = controllerRef(pod);
      const matches = selectorMatches(selector, pod.metadata.labels);
      if (ref?.uid === uid) {
        if (matches) out.push(pod);
        else {
          const refs = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          await ignoreNotFound(client.patch(PODS, pod.metadata.name!, { metadata: { ownerReferences: refs } }, 'merge', { namespace: pod.metadata.namespace }));
        }
      } else if (!ref && matches && !rs.metadata.deletionTimestamp) {
        const refs = [...(pod.metadata.ownerReferences ?? []), newControllerRef(rs)];
        const patch = { metadata: { ownerReferences: refs } };
        const adopted = await ignoreNotFound(client.patch(PODS, pod.metadata.name!, patch, 'merge', { namespace: pod.metadata.namespace }));
        if (adopted) out.push(adopted);
      }
    }
    return out;
  }

  /**
   * Creates or deletes toward `replicas`, at most BURST_REPLICAS at a time. Creates go in
   * slow-start batches (1, 2, 4, ...) in parallel, stopping at the first batch with a failure,
   * so a quota or admission refusal costs one request, not hundreds; deletes go all at once.
   */
  private async manageReplicas(rs: KubeObject, key: string, pods: KubeObject[], replicas: number): Promise<void> {
    const { client, recorder, expectations } = this.opts;
    const diff = pods.length - replicas;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      expectations.expectCreations(key, n);
      let done = 0;
      for (let batch = SLOW_START_INITIAL_BATCH; done < n; batch *= 2) {
        const size = Math.min(batch, n - done);
        const results = await Promise.allSettled(Array.from({ length: size }, () => this.createPod(rs, key)));
        done += size;
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) {
          // The creates never attempted will never be observed either.
          expectations.lowerCreations(key, n - done);
          // A terminating namespace refuses every create; nothing to retry (slowStartBatch's NamespaceTerminatingCause check).
          if (isNamespaceTerminating(failed.reason)) return;
          throw failed.reason;
        }
      }
    } else if (diff > 0) {
      const victims = podsToDelete(pods, Math.min(diff, BURST_REPLICAS));
      expectations.expectDeletions(key, victims.map(objectKey));
      const results = await Promise.allSettled(
        victims.map(async (pod) => {
          try {
            await client.delete(PODS, pod.metadata.name!, pod.metadata.namespace);
          } catch (e) {
            // No event will come for a delete that did not happen (or a pod already gone).
            expectations.deletionObserved(key, objectKey(pod));
            if (isNotFound(e)) return;
            throw e;
          }
          void recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  private async createPod(rs: KubeObject, key: string): Promise<void> {
    let pod: KubeObject;
    try {
      pod = await this.opts.client.create(PODS, podFromTemplate(rs, newControllerRef(rs)));
    } catch (e) {
      // No ADDED event will come for it (CreationObserved on a failed create).
      this.opts.expectations.creationObserved(key);
      throw e;
    }
    void this.opts.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  }

  /** calculateStatus + updateReplicaSetStatus; requeues when a ready pod will turn available. */
  private async updateStatus(rs: KubeObject, pods: KubeObject[]): Promise<Result | void> {
    const now = this.opts.clock.now();
    const spec = asObj(rs.spec);
    const minReady = num(spec.minReadySeconds);
    const templateLabels = asObj(asObj(asObj(spec.template).metadata).labels) as Record<string, string>;
    const status = replicaSetStatus(rs, pods, templateLabels, minReady, now);
    const old = asObj(rs.status);
    const changed = Object.entries(status).some(([k, v]) => old[k] !== v);
    if (changed) {
      await ignoreNotFound(
        this.opts.client.patch(REPLICASETS, rs.metadata.name!, { status }, 'merge', { namespace: rs.metadata.namespace, subresource: 'status' }),
      );
    }
    const waits = pods.map((p) => msUntilAvailable(p, minReady, now)).filter((w): w is number => w !== undefined);
    return waits.length ? { requeueAfter: Math.min(...waits) } : undefined;
  }
}

/** The counters of a ReplicaSet's status for its active, controlled pods. */
export function replicaSetStatus(rs: KubeObject, pods: KubeObject[], templateLabels: Record<string, string>, minReadySeconds: number, now: Date) {
  const labelled = (p: KubeObject) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v);
  return {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter(labelled).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReadySeconds, now)).length,
    observedGeneration: rs.metadata.generation ?? 0,
  };
}

async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
