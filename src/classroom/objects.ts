// What the cluster holds for each student: a namespace of their own, a RoleBinding there to
// the `admin` ClusterRole (everything in the namespace except its quota and the namespace
// itself, as on a real multi-tenant cluster), and a ResourceQuota on object counts so one
// student cannot fill the server for the others. Counts only: a quota on cpu or memory would
// refuse every pod that does not declare requests, which a first `kubectl run` does not.
import type { KubeObject } from '../apiserver/object.js';
import { STUDENTS_GROUP, type StudentAccount } from './accounts.js';

export const STUDENT_LABEL = 'kubesim.dev/student';
export const QUOTA_NAME = 'student-quota';

/** The default quota: enough for the lessons (a Deployment or two, a CronJob's Jobs), not for a flood. */
export const DEFAULT_STUDENT_QUOTA: Readonly<Record<string, string>> = Object.freeze({
  pods: '30',
  services: '10',
  configmaps: '50',
  secrets: '50',
  persistentvolumeclaims: '10',
  'count/deployments.apps': '10',
  'count/replicasets.apps': '50',
  'count/jobs.batch': '30',
  'count/cronjobs.batch': '10',
});

export interface ClassroomOptions {
  /** ResourceQuota hard limits per student (default DEFAULT_STUDENT_QUOTA). */
  quota?: Record<string, string>;
  /** Let every student read (view) the whole cluster, other students' namespaces included. */
  viewCluster?: boolean;
}

/** Parses `pods=20,count/jobs.batch=5` into a quota's hard limits, over the defaults. */
export function parseQuotaFlag(text: string): Record<string, string> {
  const out: Record<string, string> = { ...DEFAULT_STUDENT_QUOTA };
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0 || !/^\d+$/.test(part.slice(eq + 1))) throw new Error(`--student-quota: "${part}" is not RESOURCE=COUNT (e.g. pods=20)`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** Every object the class needs, namespaces first, in the order to create them. */
export function classroomObjects(accounts: StudentAccount[], opts: ClassroomOptions = {}): KubeObject[] {
  const out: KubeObject[] = [];
  for (const a of accounts) {
    const labels = { [STUDENT_LABEL]: a.name };
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: a.namespace, labels } });
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'student-admin', namespace: a.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: a.name }],
    });
    out.push({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: QUOTA_NAME, namespace: a.namespace, labels },
      spec: { hard: { ...(opts.quota ?? DEFAULT_STUDENT_QUOTA) } },
    });
  }
  if (opts.viewCluster) {
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kubesim:students-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: STUDENTS_GROUP }],
    });
  }
  return out;
}
