// A Deployment's status from its ReplicaSets (k8s.io/kubernetes pkg/controller/deployment
// sync.go calculateStatus; util DeploymentComplete, SetDeploymentCondition). The Progressing
// condition is progress.ts.
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
  // Unavailable counts against the ReplicaSets' spec.replicas, so it is 0 while scaling down.
  const total = all.reduce((n, rs) => n + specReplicas(rs), 0);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sum('replicas'),
    updatedReplicas: newRS ? statusNum(newRS, 'replicas') : 0,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
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

type Counts = Pick<DeploymentStatus, 'replicas' | 'updatedReplicas' | 'availableReplicas' | 'observedGeneration'>;

/** The counters of the status as stored (what kube's DeploymentComplete(d, &d.Status) reads). */
export function storedCounts(d: KubeObject): Counts {
  return { replicas: statusNum(d, 'replicas'), updatedReplicas: statusNum(d, 'updatedReplicas'), availableReplicas: statusNum(d, 'availableReplicas'), observedGeneration: statusNum(d, 'observedGeneration') };
}

/** DeploymentComplete: every replica updated and available, and the spec observed. */
export function deploymentComplete(d: KubeObject, s: Counts): boolean {
  const r = specReplicas(d);
  return s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r && s.observedGeneration >= (d.metadata.generation ?? 0);
}

/** Whether writing `next` would change the stored status. */
export function statusChanged(d: KubeObject, next: DeploymentStatus): boolean {
  const old = asObj(d.status);
  return Object.entries(next).some(([k, v]) => JSON.stringify(old[k]) !== JSON.stringify(v));
}
