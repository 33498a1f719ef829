// The Deployment reconciler (k8s.io/kubernetes pkg/controller/deployment
// deployment_controller.go syncDeployment, rolling.go rolloutRolling, recreate.go
// rolloutRecreate, sync.go getNewReplicaSet/scale/scaleReplicaSet/cleanupDeployment/
// checkPausedConditions/isScalingEvent). ReplicaSets are read through the client so a sync
// always sees its own writes. Where kube writes the Deployment's status several times in one
// sync (revision annotation, Progressing condition, counters), we fold them into one write.
import { getIfExists, isAlreadyExists, isNotFound, type Client, type ResourceRef } from '../../clients/interfaces.js';
import type { Clock } from '../runtime/clock.js';
import type { EventRecorder } from '../runtime/events.js';
import type { Reconciler, Request, Result } from '../runtime/reconcile.js';
import type { KubeObject } from '../runtime/types.js';
import { controllerRef } from '../replicaset/pods.js';
import { REPLICASETS } from '../replicaset/reconciler.js';
import { computeHash } from './hash.js';
import { progressDeadlineSeconds, progressingOf, stuckRequeueAfter, TIMED_OUT_REASON, withRolloutProgress } from './progress.js';
import { proportionalSizes } from './proportion.js';
import {
  asObj,
  byCreation,
  DESIRED_REPLICAS,
  equalIgnoreHash,
  findNewReplicaSet,
  intAnnotation,
  MAX_REPLICAS,
  maxRevision,
  newReplicaSetAnnotations,
  newReplicaSetFor,
  num,
  revisionOf,
  REVISION,
  specReplicas,
  statusNum,
} from './replicasets.js';
import { rollback, rollbackTo } from './rollback.js';
import { maxUnavailable, newRSReplicasRolling, resolveFenceposts, scaleDownOld } from './rollout-math.js';
import { calculateStatus, conditionsOf, deploymentComplete, setCondition, statusChanged, storedCounts, type DeploymentCondition } from './status.js';

export const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };

export interface DeploymentReconcilerOptions {
  client: Client;
  clock: Clock;
  recorder: EventRecorder;
}

/** One sync's view: the Deployment (with changes not yet written) and its ReplicaSets. */
interface Sync {
  /** The Deployment as stored when the sync began, to tell whether a status write is due. */
  stored: KubeObject;
  /** The Deployment with this sync's revision annotation and conditions applied. */
  d: KubeObject;
  newRS?: KubeObject;
  old: KubeObject[];
}

const stamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const isActive = (rs: KubeObject): boolean => specReplicas(rs) > 0;

export class DeploymentReconciler implements Reconciler {
  constructor(private readonly opts: DeploymentReconcilerOptions) {}

  async reconcile(req: Request): Promise<Result | void> {
    const { client } = this.opts;
    const d = await getIfExists(client, DEPLOYMENTS, req.name, req.namespace);
    if (!d) return;
    const rses = (await client.list(REPLICASETS, { namespace: d.metadata.namespace })).items.filter(
      (rs) => controllerRef(rs)?.uid === d.metadata.uid,
    );
    const newRS = findNewReplicaSet(d, rses);
    const s: Sync = { stored: d, d, newRS, old: rses.filter((rs) => rs !== newRS).sort(byCreation) };
    await this.getNewReplicaSet(s, false);
    if (d.metadata.deletionTimestamp) return this.syncDeploymentStatus(s);
    this.checkPausedConditions(s);
    const spec = asObj(d.spec);
    if (spec.paused === true) return this.sync(s);
    if (rollbackTo(d) !== undefined) {
      await rollback({ client, recorder: this.opts.recorder, d, rses: [...s.old, ...(s.newRS ? [s.newRS] : [])] });
      return;
    }
    if (this.isScalingEvent(s)) return this.sync(s);
    return asObj(spec.strategy).type === 'Recreate' ? this.rolloutRecreate(s) : this.rolloutRolling(s);
  }

  private maxSurge(d: KubeObject): number {
    const strategy = asObj(asObj(d.spec).strategy);
    if (strategy.type === 'Recreate') return 0;
    const ru = asObj(strategy.rollingUpdate);
    return resolveFenceposts(ru.maxSurge as string | number | undefined, ru.maxUnavailable as string | number | undefined, specReplicas(d)).surge;
  }

  private maxUnavailable(d: KubeObject): number {
    const strategy = asObj(asObj(d.spec).strategy);
    if (strategy.type === 'Recreate') return 0;
    const ru = asObj(strategy.rollingUpdate);
    return maxUnavailable(ru.maxSurge as string | number | undefined, ru.maxUnavailable as string | number | undefined, specReplicas(d));
  }

  /** Set a condition on this sync's view of the Deployment (written with the status). */
  private setProgressing(s: Sync, c: Omit<DeploymentCondition, 'type'>): void {
    const conditions = setCondition(conditionsOf(s.d), { type: 'Progressing', ...c }, stamp(this.opts.clock.now()));
    s.d = { ...s.d, status: { ...asObj(s.d.status), conditions } };
  }

  /**
   * checkPausedConditions: Progressing Unknown DeploymentPaused while paused, DeploymentResumed
   * on resume, so time spent paused never counts against the progress deadline.
   */
  private checkPausedConditions(s: Sync): void {
    if (progressDeadlineSeconds(s.d) === undefined) return;
    const cond = progressingOf(conditionsOf(s.d));
    if (cond?.reason === TIMED_OUT_REASON) return;
    const pausedCond = cond?.reason === 'DeploymentPaused';
    const paused = asObj(s.d.spec).paused === true;
    if (paused && !pausedCond) this.setProgressing(s, { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    else if (!paused && pausedCond) this.setProgressing(s, { status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' });
  }

  /** isScalingEvent: an active ReplicaSet was last sized for a different spec.replicas. */
  private isScalingEvent(s: Sync): boolean {
    return [...s.old, ...(s.newRS ? [s.newRS] : [])].filter(isActive).some((rs) => {
      const desired = intAnnotation(rs, DESIRED_REPLICAS);
      return desired !== undefined && desired !== specReplicas(s.d);
    });
  }

  /** sync: for a paused Deployment or a scaling event, scale without rolling, then report status. */
  private async sync(s: Sync): Promise<Result | void> {
    await this.scale(s);
    if (asObj(s.d.spec).paused === true && rollbackTo(s.d) === undefined) await this.cleanup(s);
    return this.syncDeploymentStatus(s);
  }

  /**
   * sync.go scale: one active ReplicaSet (or none: the newest) takes spec.replicas; a saturated
   * new ReplicaSet leaves the old ones at 0; otherwise a rolling Deployment spreads the change
   * proportionally (proportion.ts).
   */
  private async scale(s: Sync): Promise<void> {
    const { d } = s;
    const replicas = specReplicas(d);
    const all = [...s.old, ...(s.newRS ? [s.newRS] : [])];
    const active = all.filter(isActive);
    const newestOld = [...s.old].sort(byCreation).pop();
    const activeOrLatest = active.length === 1 ? active[0] : active.length === 0 ? (s.newRS ?? newestOld) : undefined;
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) !== replicas) await this.scaleTo(s, activeOrLatest, replicas);
      return;
    }
    const n = s.newRS;
    // IsSaturated: the new ReplicaSet holds every replica, all available.
    if (n && specReplicas(n) === replicas && intAnnotation(n, DESIRED_REPLICAS) === replicas && statusNum(n, 'availableReplicas') === replicas) {
      for (const rs of s.old.filter(isActive)) await this.scaleTo(s, rs, 0);
      return;
    }
    if (asObj(asObj(d.spec).strategy).type === 'Recreate') return;
    const sizes = proportionalSizes({
      replicas,
      maxSurge: this.maxSurge(d),
      statusReplicas: statusNum(d, 'replicas'),
      active: active.map((rs) => ({
        name: rs.metadata.name!,
        replicas: specReplicas(rs),
        created: Date.parse(rs.metadata.creationTimestamp ?? '') || 0,
        maxReplicas: intAnnotation(rs, MAX_REPLICAS),
      })),
    });
    for (const { name, replicas: size } of sizes) await this.scaleTo(s, active.find((rs) => rs.metadata.name === name)!, size);
  }

  private async rolloutRolling(s: Sync): Promise<Result | void> {
    const { d } = s;
    const replicas = specReplicas(d);
    const newRS = s.newRS ?? (await this.getNewReplicaSet(s, true));
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
        await this.scaleTo(s, newRS, want);
        return this.syncRolloutStatus(s);
      }
    }
    // reconcileOldReplicaSets
    const counts = (rs: KubeObject) => ({ name: rs.metadata.name!, replicas: specReplicas(rs), available: statusNum(rs, 'availableReplicas') });
    const downs = scaleDownOld({ replicas, maxUnavailable: this.maxUnavailable(d), old: s.old.map(counts), newRS: counts(newRS) });
    if (downs.size) {
      for (const rs of s.old) if (downs.has(rs.metadata.name!)) await this.scaleTo(s, rs, downs.get(rs.metadata.name!)!);
      return this.syncRolloutStatus(s);
    }
    if (deploymentComplete(d, storedCounts(d))) await this.cleanup(s);
    return this.syncRolloutStatus(s);
  }

  private async rolloutRecreate(s: Sync): Promise<Result | void> {
    let scaled = false;
    for (const rs of s.old.filter(isActive)) {
      await this.scaleTo(s, rs, 0);
      scaled = true;
    }
    // Wait until every old pod is gone before any new one starts.
    if (scaled || s.old.some((rs) => statusNum(rs, 'replicas') > 0)) return this.syncRolloutStatus(s);
    const newRS = s.newRS ?? (await this.getNewReplicaSet(s, true));
    if (!newRS) return { requeue: true };
    if (specReplicas(newRS) !== specReplicas(s.d)) await this.scaleTo(s, newRS, specReplicas(s.d));
    if (deploymentComplete(s.d, storedCounts(s.d))) await this.cleanup(s);
    return this.syncRolloutStatus(s);
  }

  /**
   * getNewReplicaSet: sync the existing one's annotations (revision, the Deployment's own
   * annotations) and the Deployment's revision, or create it (bumping collisionCount on a
   * clash), setting Progressing FoundNewReplicaSet / NewReplicaSetCreated.
   */
  private async getNewReplicaSet(s: Sync, create: boolean): Promise<KubeObject | undefined> {
    const { client, recorder } = this.opts;
    const { d } = s;
    const newRevision = maxRevision(s.old) + 1;
    const maxReplicas = specReplicas(d) + this.maxSurge(d);
    const hasDeadline = progressDeadlineSeconds(d) !== undefined;
    if (s.newRS) {
      const annotations = newReplicaSetAnnotations(d, s.newRS, { newRevision, exists: true, maxReplicas });
      const minReady = num(asObj(d.spec).minReadySeconds);
      if (annotations || num(asObj(s.newRS.spec).minReadySeconds) !== minReady) {
        const patch = { metadata: { annotations: annotations ?? s.newRS.metadata.annotations }, spec: { minReadySeconds: minReady } };
        s.newRS = await client.patch(REPLICASETS, s.newRS.metadata.name!, patch, 'merge', { namespace: s.newRS.metadata.namespace });
      }
      this.setRevision(s, s.newRS!.metadata.annotations?.[REVISION]);
      if (hasDeadline && !progressingOf(conditionsOf(s.d))) {
        this.setProgressing(s, { status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${s.newRS!.metadata.name}"` });
      }
      return s.newRS;
    }
    if (!create) return undefined;
    const collisionCount = asObj(d.status).collisionCount as number | undefined;
    const hash = computeHash(asObj(d.spec).template, collisionCount);
    const replicas = this.newRSReplicas(s);
    const body = newReplicaSetFor(d, { hash, replicas, revision: newRevision, maxReplicas });
    try {
      s.newRS = await client.create(REPLICASETS, body);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await client.get(REPLICASETS, body.metadata.name!, d.metadata.namespace);
      if (controllerRef(existing)?.uid === d.metadata.uid && equalIgnoreHash(asObj(existing.spec).template, asObj(d.spec).template)) {
        s.newRS = existing;
        this.setRevision(s, String(newRevision));
        return existing;
      }
      // A hash collision: a different template already has this name (kube bumps collisionCount).
      await client.patch(DEPLOYMENTS, d.metadata.name!, { status: { collisionCount: (collisionCount ?? 0) + 1 } }, 'merge', {
        namespace: d.metadata.namespace,
        subresource: 'status',
      });
      return undefined;
    }
    if (replicas > 0) void recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${s.newRS.metadata.name} from 0 to ${replicas}`);
    this.setRevision(s, String(newRevision));
    if (hasDeadline) this.setProgressing(s, { status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${s.newRS.metadata.name}"` });
    return s.newRS;
  }

  /** SetDeploymentRevision: the Deployment carries its new ReplicaSet's revision (`kubectl rollout status --revision`). */
  private setRevision(s: Sync, revision: string | undefined): void {
    if (revision === undefined || s.d.metadata.annotations?.[REVISION] === revision) return;
    s.d = { ...s.d, metadata: { ...s.d.metadata, annotations: { ...(s.d.metadata.annotations ?? {}), [REVISION]: revision } } };
  }

  private newRSReplicas(s: Sync): number {
    const { d } = s;
    if (asObj(asObj(d.spec).strategy).type === 'Recreate') return specReplicas(d);
    const ru = asObj(asObj(asObj(d.spec).strategy).rollingUpdate);
    const total = s.old.reduce((n, rs) => n + specReplicas(rs), 0);
    return newRSReplicasRolling({ replicas: specReplicas(d), maxSurge: ru.maxSurge as string, maxUnavailable: ru.maxUnavailable as string, newRSReplicas: 0, totalReplicas: total });
  }

  /**
   * scaleReplicaSet: the new size plus the desired/max annotations (which tell a later sync
   * whether spec.replicas changed since), and a ScalingReplicaSet event when the size moved.
   */
  private async scaleTo(s: Sync, rs: KubeObject, size: number): Promise<void> {
    const from = specReplicas(rs);
    const desired = String(specReplicas(s.d));
    const max = String(specReplicas(s.d) + this.maxSurge(s.d));
    const a = rs.metadata.annotations ?? {};
    if (from === size && a[DESIRED_REPLICAS] === desired && a[MAX_REPLICAS] === max) return;
    const patch = { metadata: { annotations: { [DESIRED_REPLICAS]: desired, [MAX_REPLICAS]: max } }, spec: { replicas: size } };
    const out = await this.opts.client.patch(REPLICASETS, rs.metadata.name!, patch, 'merge', { namespace: rs.metadata.namespace });
    if (rs === s.newRS) s.newRS = out;
    else s.old = s.old.map((o) => (o === rs ? out : o));
    if (from !== size) {
      const verb = size > from ? 'up' : 'down';
      void this.opts.recorder.event(s.d, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${size}`);
    }
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

  private status(s: Sync) {
    const all = [...s.old, ...(s.newRS ? [s.newRS] : [])];
    return calculateStatus(s.d, all, s.newRS, this.maxUnavailable(s.d), stamp(this.opts.clock.now()));
  }

  /** syncDeploymentStatus: counters and Available only (paused, scaling, deleting). */
  private async syncDeploymentStatus(s: Sync): Promise<void> {
    await this.writeStatus(s, this.status(s));
  }

  /** syncRolloutStatus: counters and Progressing; a rollout without progress is checked again at its deadline. */
  private async syncRolloutStatus(s: Sync): Promise<Result | void> {
    const now = this.opts.clock.now();
    const status = withRolloutProgress(s.d, this.status(s), s.newRS, now);
    const written = await this.writeStatus(s, status);
    if (written) return;
    const after = stuckRequeueAfter(s.d, status, now);
    if (after === undefined) return;
    return after === 0 ? { requeue: true } : { requeueAfter: after };
  }

  /** One status write with the revision annotation, when either changed; whether it wrote. */
  private async writeStatus(s: Sync, status: ReturnType<typeof calculateStatus>): Promise<boolean> {
    const { stored, d } = s;
    const revision = d.metadata.annotations?.[REVISION];
    const revisionChanged = revision !== undefined && revision !== stored.metadata.annotations?.[REVISION];
    if (!revisionChanged && !statusChanged(stored, status)) return false;
    const patch = { ...(revisionChanged ? { metadata: { annotations: { [REVISION]: revision } } } : {}), status };
    try {
      await this.opts.client.patch(DEPLOYMENTS, d.metadata.name!, patch, 'merge', { namespace: d.metadata.namespace, subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    return true;
  }
}
