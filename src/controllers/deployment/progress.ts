// The Progressing condition and the progress deadline (k8s.io/kubernetes
// pkg/controller/deployment progress.go syncRolloutStatus, requeueStuckDeployment; util
// DeploymentProgressing, DeploymentTimedOut, HasProgressDeadline). `kubectl rollout status`
// gives up with "exceeded its progress deadline" once the reason is ProgressDeadlineExceeded.
import type { KubeObject } from '../runtime/types.js';
import { asObj } from './replicasets.js';
import { conditionsOf, deploymentComplete, setCondition, type DeploymentCondition, type DeploymentStatus } from './status.js';

export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
/** progressDeadlineSeconds at MaxInt32 means "never time out" (HasProgressDeadline). */
const NO_DEADLINE = 2147483647;

const stamp = (t: Date): string => t.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function progressDeadlineSeconds(d: KubeObject): number | undefined {
  const v = asObj(d.spec).progressDeadlineSeconds;
  return typeof v === 'number' && v !== NO_DEADLINE ? v : undefined;
}

export function progressingOf(conds: DeploymentCondition[]): DeploymentCondition | undefined {
  return conds.find((c) => c.type === 'Progressing');
}

/** DeploymentProgressing: more updated, ready or available replicas, or fewer old ones, than the stored status says. */
export function deploymentProgressing(d: KubeObject, s: DeploymentStatus): boolean {
  const old = asObj(d.status);
  const n = (k: string) => (typeof old[k] === 'number' ? (old[k] as number) : 0);
  return (
    s.replicas - s.updatedReplicas < n('replicas') - n('updatedReplicas') ||
    s.updatedReplicas > n('updatedReplicas') ||
    s.readyReplicas > n('readyReplicas') ||
    s.availableReplicas > n('availableReplicas')
  );
}

/**
 * DeploymentTimedOut: the Progressing condition was last updated (a new ReplicaSet, progress,
 * a resume) longer than progressDeadlineSeconds ago. A completed rollout never times out.
 */
export function deploymentTimedOut(d: KubeObject, s: DeploymentStatus, now: Date): boolean {
  const deadline = progressDeadlineSeconds(d);
  const cond = progressingOf(s.conditions);
  if (deadline === undefined || !cond) return false;
  if (cond.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (cond.reason === TIMED_OUT_REASON) return true;
  return Date.parse(cond.lastUpdateTime ?? '') + deadline * 1000 < now.getTime();
}

/**
 * syncRolloutStatus's conditions: Progressing dropped without a deadline; otherwise, unless the
 * rollout already completed, NewReplicaSetAvailable once complete, ReplicaSetUpdated (a fresh
 * lastUpdateTime) on any progress, ProgressDeadlineExceeded (False) once stuck too long.
 */
export function withRolloutProgress(d: KubeObject, s: DeploymentStatus, newRS: KubeObject | undefined, now: Date): DeploymentStatus {
  const at = stamp(now);
  if (progressDeadlineSeconds(d) === undefined) {
    s.conditions = s.conditions.filter((c) => c.type !== 'Progressing');
    return s;
  }
  const current = progressingOf(conditionsOf(d));
  const complete = s.replicas === s.updatedReplicas && current?.reason === NEW_RS_AVAILABLE_REASON;
  if (complete) return s;
  const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (deploymentComplete(d, s)) {
    s.conditions = setCondition(s.conditions, { type: 'Progressing', status: 'True', reason: NEW_RS_AVAILABLE_REASON, message: `${subject} has successfully progressed.` }, at);
  } else if (deploymentProgressing(d, s)) {
    // The same reason again still moves lastUpdateTime: progress resets the deadline.
    s.conditions = setCondition(s.conditions, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `${subject} is progressing.` }, at, true);
  } else if (deploymentTimedOut(d, s, now)) {
    s.conditions = setCondition(s.conditions, { type: 'Progressing', status: 'False', reason: TIMED_OUT_REASON, message: `${subject} has timed out progressing.` }, at);
  }
  return s;
}

/**
 * requeueStuckDeployment: how long until a rollout without progress should be checked against
 * its deadline (one second past it), 0 for "now", undefined when no check is due.
 */
export function stuckRequeueAfter(d: KubeObject, s: DeploymentStatus, now: Date): number | undefined {
  const deadline = progressDeadlineSeconds(d);
  const cond = progressingOf(s.conditions);
  if (deadline === undefined || !cond) return undefined;
  if (deploymentComplete(d, s) || cond.reason === TIMED_OUT_REASON) return undefined;
  const after = Date.parse(cond.lastUpdateTime ?? '') + deadline * 1000 - now.getTime();
  if (!Number.isFinite(after)) return undefined;
  return after < 1000 ? 0 : after + 1000;
}
