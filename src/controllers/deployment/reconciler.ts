// The Deployment reconciler (k8s.io/kubernetes pkg/controller/deployment
// deployment_controller.go syncDeployment, rolling.go rolloutRolling, recreate.go
// rolloutRecreate, sync.go getNewReplicaSet/scaleReplicaSet/cleanupDeployment). ReplicaSets
// are read through the client so a sync always sees its own writes.
import { isAlreadyExists, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import type { Clock } from '../runtime/clock.js';
import type { EventRecorder } from '../runtime/events.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { controllerRef } from '../replicaset/pods.js';
import { REPLICASETS } from '../replicaset/reconciler.js';
import { computeHash } from './hash.js';
import {
  asObj,
  byCreation,
  DESIRED_REPLICAS,
  equalIgnoreHash,
  findNewReplicaSet,
  MAX_REPLICAS,
  maxRevision,
  newReplicaSetFor,
  num,
  revisionOf,
  REVISION,
  specReplicas,
  statusNum,
} from './replicasets.js';
import { maxUnavailable, newRSReplicasRolling, resolveFenceposts, scaleDownOld } from './rollout-math.js';
import { calculateStatus, conditionsOf, deploymentComplete, setCondition, statusChanged, withProgressing } from './status.js';

export const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };

export interface DeploymentReconcilerOptions {
  client: Client;
  clock: Clock;
  recorder: EventRecorder;
}

/** One sync's view: the Deployment and its ReplicaSets, updated as the sync writes. */
interface Sync {
  d: KubeObject;
  newRS?: KubeObject;
  old: KubeObject[];
  /** Progressing set by getNewReplicaSet (NewReplicaSetCreated / FoundNewReplicaSet). */
  progressing?: { reason: string; message: string };
}

const stamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class DeploymentReconciler implements Reconciler {
  constructor(private readonly opts: DeploymentReconcilerOptions) {}

  async reconcile(req: Request): Promise<Result | void> {
    const { client } = this.opts;
    let d: KubeObject;
    try {
      d = await client.get(DEPLOYMENTS, req.name, req.namespace);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const rses = (await client.list(REPLICASETS, { namespace: d.metadata.namespace })).items.filter(
      (rs) => controllerRef(rs)?.uid === d.metadata.uid,
    );
    const newRS = findNewReplicaSet(d, rses);
    const s: Sync = { d, newRS, old: rses.filter((rs) => rs !== newRS).sort(byCreation) };
    if (d.metadata.deletionTimestamp) return this.syncStatus(s, false);
    const spec = asObj(d.spec);
    if (spec.paused === true) {
      if (s.newRS) s.newRS = await this.syncNewRSAnnotations(s, s.newRS);
      await this.scalePaused(s);
      await this.cleanup(s);
      return this.syncStatus(s, true);
    }
    return asObj(spec.strategy).type === 'Recreate' ? this.rolloutRecreate(s) : this.rolloutRolling(s);
  }

  private surge(d: KubeObject): { surge: number; unavailable: number } {
    const strategy = asObj(asObj(d.spec).strategy);
    if (strategy.type === 'Recreate') return { surge: 0, unavailable: specReplicas(d) };
    const ru = asObj(strategy.rollingUpdate);
    return resolveFenceposts(ru.maxSurge as string | number | undefined, ru.maxUnavailable as string | number | undefined, specReplicas(d));
  }

  private maxUnavailable(d: KubeObject): number {
    const strategy = asObj(asObj(d.spec).strategy);
    if (strategy.type === 'Recreate') return 0;
    const ru = asObj(strategy.rollingUpdate);
    return maxUnavailable(ru.maxSurge as string | number | undefined, ru.maxUnavailable as string | number | undefined, specReplicas(d));
  }

  private async rolloutRolling(s: Sync): Promise<Result | void> {
    const { d } = s;
    const replicas = specReplicas(d);
    const newRS = await this.getNewReplicaSet(s, true);
    if (!newRS) return { requeue: true };
    // reconcileNewReplicaSet
    const cur = specReplicas(newRS);
    if (cur !== replicas) {
      const ru = asObj(asObj(asObj(d.spec).strategy).rollingUpdate);
      const total = [...s.old, newRS].reduce((n, rs) => n + specReplicas(rs), 0);
      const want =
        cur > replicas
          ? replicas
          : newRSReplicasRolling({ replicas, maxSurge: ru.maxSurge as string, maxUnavailable: ru.maxUnavailable as string, newRSReplicas: cur, totalReplicas: total });
      if (want !== cur) {
        s.newRS = await this.scale(s, newRS, want);
        return this.syncStatus(s, false);
      }
    }
    // reconcileOldReplicaSets
    const counts = (rs: KubeObject) => ({ name: rs.metadata.name!, replicas: specReplicas(rs), available: statusNum(rs, 'availableReplicas') });
    const downs = scaleDownOld({ replicas, maxUnavailable: this.maxUnavailable(d), old: s.old.map(counts), newRS: counts(newRS) });
    if (downs.size) {
      s.old = await Promise.all(s.old.map((rs) => (downs.has(rs.metadata.name!) ? this.scale(s, rs, downs.get(rs.metadata.name!)!) : rs)));
      return this.syncStatus(s, false);
    }
    return this.syncStatus(s, false, true);
  }

  private async rolloutRecreate(s: Sync): Promise<Result | void> {
    await this.getNewReplicaSet(s, false);
    let scaled = false;
    s.old = await Promise.all(
      s.old.map(async (rs) => {
        if (specReplicas(rs) === 0) return rs;
        scaled = true;
        return this.scale(s, rs, 0);
      }),
    );
    // Wait until every old pod is gone before any new one starts.
    if (scaled || s.old.some((rs) => statusNum(rs, 'replicas') > 0)) return this.syncStatus(s, false);
    const newRS = await this.getNewReplicaSet(s, true);
    if (!newRS) return { requeue: true };
    if (specReplicas(newRS) !== specReplicas(s.d)) {
      s.newRS = await this.scale(s, newRS, specReplicas(s.d));
      return this.syncStatus(s, false);
    }
    return this.syncStatus(s, false, true);
  }

  /** getNewReplicaSet: sync the existing one's annotations, or create it (bumping collisionCount on a clash). */
  private async getNewReplicaSet(s: Sync, create: boolean): Promise<KubeObject | undefined> {
    const { client, recorder } = this.opts;
    const { d } = s;
    if (s.newRS) {
      s.newRS = await this.syncNewRSAnnotations(s, s.newRS);
      if (!conditionsOf(d).some((c) => c.type === 'Progressing')) {
        s.progressing = { reason: 'FoundNewReplicaSet', message: `Found new replica set "${s.newRS.metadata.name}"` };
      }
      return s.newRS;
    }
    if (!create) return undefined;
    const collisionCount = asObj(d.status).collisionCount as number | undefined;
    const hash = computeHash(asObj(d.spec).template, collisionCount);
    const replicas = this.newRSReplicas(s);
    const body = newReplicaSetFor(d, { hash, replicas, revision: maxRevision(s.old) + 1, maxReplicas: specReplicas(d) + this.surge(d).surge });
    try {
      s.newRS = await client.create(REPLICASETS, body);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await client.get(REPLICASETS, body.metadata.name!, d.metadata.namespace);
      if (controllerRef(existing)?.uid === d.metadata.uid && equalIgnoreHash(asObj(existing.spec).template, asObj(d.spec).template)) {
        s.newRS = existing;
        return existing;
      }
      // A hash collision: a different template already has this name (kube bumps collisionCount).
      await client.patch(DEPLOYMENTS, d.metadata.name!, { status: { collisionCount: (collisionCount ?? 0) + 1 } }, 'merge', {
        namespace: d.metadata.namespace,
        subresource: 'status',
      });
      return undefined;
    }
    if (replicas > 0) void recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${s.newRS.metadata.name} to ${replicas}`);
    s.progressing = { reason: 'NewReplicaSetCreated', message: `Created new replica set "${s.newRS.metadata.name}"` };
    return s.newRS;
  }

  private newRSReplicas(s: Sync): number {
    const { d } = s;
    if (asObj(asObj(d.spec).strategy).type === 'Recreate') return specReplicas(d);
    const ru = asObj(asObj(asObj(d.spec).strategy).rollingUpdate);
    const total = s.old.reduce((n, rs) => n + specReplicas(rs), 0);
    return newRSReplicasRolling({ replicas: specReplicas(d), maxSurge: ru.maxSurge as string, maxUnavailable: ru.maxUnavailable as string, newRSReplicas: 0, totalReplicas: total });
  }

  /** The new ReplicaSet carries the highest revision (a rollback re-promotes an old one). */
  private async syncNewRSAnnotations(s: Sync, rs: KubeObject): Promise<KubeObject> {
    const maxOld = maxRevision(s.old);
    const want: Record<string, string> = {};
    if (revisionOf(rs) <= maxOld) want[REVISION] = String(maxOld + 1);
    const a = rs.metadata.annotations ?? {};
    const desired = String(specReplicas(s.d));
    const max = String(specReplicas(s.d) + this.surge(s.d).surge);
    if (a[DESIRED_REPLICAS] !== desired) want[DESIRED_REPLICAS] = desired;
    if (a[MAX_REPLICAS] !== max) want[MAX_REPLICAS] = max;
    if (Object.keys(want).length === 0) return rs;
    return this.opts.client.patch(REPLICASETS, rs.metadata.name!, { metadata: { annotations: want } }, 'merge', { namespace: rs.metadata.namespace });
  }

  /** scaleReplicaSet: new size plus the desired/max annotations, and a ScalingReplicaSet event. */
  private async scale(s: Sync, rs: KubeObject, size: number): Promise<KubeObject> {
    const from = specReplicas(rs);
    const annotations = { [DESIRED_REPLICAS]: String(specReplicas(s.d)), [MAX_REPLICAS]: String(specReplicas(s.d) + this.surge(s.d).surge) };
    const out = await this.opts.client.patch(REPLICASETS, rs.metadata.name!, { metadata: { annotations }, spec: { replicas: size } }, 'merge', {
      namespace: rs.metadata.namespace,
    });
    if (from !== size) {
      const verb = size > from ? 'up' : 'down';
      void this.opts.recorder.event(s.d, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${rs.metadata.name} to ${size}`);
    }
    return out;
  }

  /**
   * sync.go scale, its simple case only: with one active ReplicaSet (or none but the new one),
   * a paused Deployment's replicas go to it. Kube also splits a change proportionally across
   * several active ReplicaSets; we leave those alone until the rollout resumes.
   */
  private async scalePaused(s: Sync): Promise<void> {
    const active = [...s.old, ...(s.newRS ? [s.newRS] : [])].filter((rs) => specReplicas(rs) > 0);
    const target = active.length === 1 ? active[0] : active.length === 0 ? s.newRS : undefined;
    if (!target || specReplicas(target) === specReplicas(s.d)) return;
    const scaled = await this.scale(s, target, specReplicas(s.d));
    if (target === s.newRS) s.newRS = scaled;
    else s.old = s.old.map((rs) => (rs === target ? scaled : rs));
  }

  /**
   * cleanupDeployment: delete the oldest old ReplicaSets beyond revisionHistoryLimit, only
   * those scaled to zero with no pods left.
   */
  private async cleanup(s: Sync): Promise<void> {
    const limit = num(asObj(s.d.spec).revisionHistoryLimit, 10);
    const alive = s.old.filter((rs) => !rs.metadata.deletionTimestamp).sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    const diff = alive.length - limit;
    const deleted = new Set<KubeObject>();
    for (const rs of alive.slice(0, Math.max(0, diff))) {
      if (statusNum(rs, 'replicas') !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > statusNum(rs, 'observedGeneration')) continue;
      try {
        await this.opts.client.delete(REPLICASETS, rs.metadata.name!, rs.metadata.namespace);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      deleted.add(rs);
    }
    s.old = s.old.filter((rs) => !deleted.has(rs));
  }

  /** syncRolloutStatus (or syncDeploymentStatus when paused); cleans up once complete. */
  private async syncStatus(s: Sync, paused: boolean, mayCleanup = false): Promise<Result | void> {
    const { d } = s;
    const now = stamp(this.opts.clock.now());
    const all = [...s.old, ...(s.newRS ? [s.newRS] : [])];
    let status = calculateStatus(d, all, s.newRS, this.maxUnavailable(d), now);
    if (s.progressing) {
      status.conditions = setCondition(status.conditions, { type: 'Progressing', status: 'True', ...s.progressing }, now);
    }
    if (paused) {
      status.conditions = setCondition(status.conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, now);
    } else if (!s.progressing) {
      status = withProgressing(d, status, s.newRS, now);
    }
    if (mayCleanup && deploymentComplete(d, status)) await this.cleanup(s);
    if (!statusChanged(d, status)) return;
    try {
      await this.opts.client.patch(DEPLOYMENTS, d.metadata.name!, { status }, 'merge', { namespace: d.metadata.namespace, subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
