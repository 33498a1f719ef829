// A Deployment's status from its ReplicaSets (k8s.io/kubernetes pkg/controller/deployment
// sync.go calculateStatus, progress.go syncRolloutStatus; util DeploymentComplete,
// DeploymentProgressing, SetDeploymentCondition).
import type { KubeObject } from '../runtime/types.js';
import { asObj, specReplicas, statusNum } from './replicasets.js';

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: DeploymentCondition[];
  collisionCount?: number;
}

export function conditionsOf(d: KubeObject): DeploymentCondition[] {
  const c = asObj(d.status).conditions;
  return Array.isArray(c) ? (c as DeploymentCondition[]) : [];
}

/**
 * SetDeploymentCondition: the same status and reason changes nothing; otherwise replace,
 * keeping lastTransitionTime when only the reason or message moved.
 */
export function setCondition(conds: DeploymentCondition[], c: DeploymentCondition, now: string, forceUpdate = false): DeploymentCondition[] {
  const cur = conds.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason && !forceUpdate) return conds;
  const next = { ...c, lastUpdateTime: now, lastTransitionTime: cur && cur.status === c.status ? cur.lastTransitionTime ?? now : now };
  return [...conds.filter((x) => x.type !== c.type), next];
}

/** calculateStatus: counters summed over every ReplicaSet, plus the Available condition. */
export function calculateStatus(d: KubeObject, all: KubeObject[], newRS: KubeObject | undefined, maxUnavailable: number, now: string): DeploymentStatus {
  const sum = (k: string) => all.reduce((n, rs) => n + statusNum(rs, k), 0);
  const available = sum('availableReplicas');
  const replicas = specReplicas(d);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sum('replicas'),
    updatedReplicas: newRS ? statusNum(newRS, 'replicas') : 0,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicas - available),
    conditions: conditionsOf(d),
  };
  const cc = asObj(d.status).collisionCount;
  if (typeof cc === 'number') status.collisionCount = cc;
  status.conditions =
    available >= replicas - maxUnavailable
      ? setCondition(status.conditions, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, now)
      : setCondition(status.conditions, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now);
  return status;
}

/** DeploymentComplete: every replica updated and available, and the spec observed. */
export function deploymentComplete(d: KubeObject, s: DeploymentStatus): boolean {
  const r = specReplicas(d);
  return s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r && s.observedGeneration >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated, ready or available replicas, or fewer old ones. */
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

/** syncRolloutStatus's Progressing condition for a rollout that is not paused. */
export function withProgressing(d: KubeObject, s: DeploymentStatus, newRS: KubeObject | undefined, now: string): DeploymentStatus {
  if (!newRS) return s;
  const name = newRS.metadata.name;
  if (deploymentComplete(d, s)) {
    s.conditions = setCondition(s.conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.` }, now);
  } else if (deploymentProgressing(d, s)) {
    s.conditions = setCondition(s.conditions, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${name}" is progressing.` }, now, true);
  }
  return s;
}

/** Whether writing `next` would change the stored status. */
export function statusChanged(d: KubeObject, next: DeploymentStatus): boolean {
  const old = asObj(d.status);
  return Object.entries(next).some(([k, v]) => JSON.stringify(old[k]) !== JSON.stringify(v));
}
