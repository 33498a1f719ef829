// The ReplicaSet reconciler (k8s.io/kubernetes pkg/controller/replicaset replica_set.go
// syncReplicaSet + manageReplicas + replica_set_utils.go calculateStatus). It reads pods
// through the client, not a cache, so a pod it just created is always counted: that stands
// in for kube's expectations, which exist only because its cache lags its own writes.
import { getIfExists, isNamespaceTerminating, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import type { Clock } from '../runtime/clock.js';
import type { EventRecorder } from '../runtime/events.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { newControllerRef } from '../runtime/meta.js';
import {
  controlledActivePods,
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

export interface ReplicaSetReconcilerOptions {
  client: Client;
  clock: Clock;
  recorder: EventRecorder;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const num = (v: unknown, dflt = 0): number => (typeof v === 'number' ? v : dflt);

export class ReplicaSetReconciler implements Reconciler {
  constructor(private readonly opts: ReplicaSetReconcilerOptions) {}

  async reconcile(req: Request): Promise<Result | void> {
    const { client } = this.opts;
    const rs = await getIfExists(client, REPLICASETS, req.name, req.namespace);
    if (!rs) return;
    const spec = asObj(rs.spec);
    const selector = spec.selector as LabelSelector | undefined;
    const all = (await client.list(PODS, { namespace: rs.metadata.namespace })).items;
    const claimed = await this.claimPods(rs, selector, all.filter(isPodActive));
    const wrote = claimed.wrote || (!rs.metadata.deletionTimestamp && (await this.manageReplicas(rs, claimed.pods, num(spec.replicas, 1))));
    // The status counts the pods as they are after this sync's writes; a sync that wrote
    // nothing counts the list it already has (most syncs: a pod's status changed), instead of
    // listing every pod of the namespace a second time.
    const fresh = wrote ? (await client.list(PODS, { namespace: rs.metadata.namespace })).items : all;
    return this.updateStatus(rs, controlledActivePods(fresh, rs.metadata.uid));
  }

  /**
   * PodControllerRefManager.ClaimPods: keep pods this ReplicaSet controls, adopt matching
   * orphans, release owned pods whose labels stopped matching.
   */
  private async claimPods(rs: KubeObject, selector: LabelSelector | undefined, pods: KubeObject[]): Promise<{ pods: KubeObject[]; wrote: boolean }> {
    const { client } = this.opts;
    const uid = rs.metadata.uid;
    const out: KubeObject[] = [];
    let wrote = false;
    for (const pod of pods) {
      const ref = controllerRef(pod);
      const matches = selectorMatches(selector, pod.metadata.labels);
      if (ref?.uid === uid) {
        if (matches) out.push(pod);
        else {
          const refs = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          wrote = true;
          await ignoreNotFound(client.patch(PODS, pod.metadata.name!, { metadata: { ownerReferences: refs } }, 'merge', { namespace: pod.metadata.namespace }));
        }
      } else if (!ref && matches && !rs.metadata.deletionTimestamp) {
        const refs = [...(pod.metadata.ownerReferences ?? []), newControllerRef(rs)];
        const patch = { metadata: { ownerReferences: refs } };
        wrote = true;
        const adopted = await ignoreNotFound(client.patch(PODS, pod.metadata.name!, patch, 'merge', { namespace: pod.metadata.namespace }));
        if (adopted) out.push(adopted);
      }
    }
    return { pods: out, wrote };
  }

  /** Creates or deletes toward `replicas`; whether it wrote anything (or tried to). */
  private async manageReplicas(rs: KubeObject, pods: KubeObject[], replicas: number): Promise<boolean> {
    const { client, recorder } = this.opts;
    const diff = pods.length - replicas;
    if (diff === 0) return false;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      for (let i = 0; i < n; i++) {
        let pod: KubeObject;
        try {
          pod = await client.create(PODS, podFromTemplate(rs, newControllerRef(rs)));
        } catch (e) {
          // A terminating namespace refuses every create; nothing to retry (slowStartBatch's NamespaceTerminatingCause check).
          if (isNamespaceTerminating(e)) return true;
          throw e;
        }
        void recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
      }
    } else if (diff > 0) {
      for (const pod of podsToDelete(pods, Math.min(diff, BURST_REPLICAS))) {
        const gone = await ignoreNotFound(client.delete(PODS, pod.metadata.name!, pod.metadata.namespace));
        if (gone) void recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      }
    }
    return true;
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
