// Who each built-in controller acts as and what it may do, after kube-controller-manager's
// --use-service-account-credentials (one ServiceAccount in kube-system per controller, a
// system:controller:<name> ClusterRole each: bootstrappolicy controller_policy.go), the
// scheduler's system:kube-scheduler and the kubelet's system:node. The shared informers and the
// event recorders run as system:kube-controller-manager, which may list and watch everything.
import type { UserInfo } from '../user.js';
import { ALL_AUTHENTICATED } from '../user.js';
import type { BindingSpec, ClusterRoleSpec } from './bootstrap-policy.js';
import type { PolicyRule } from './rules.js';

const READ = ['get', 'list', 'watch'];
const r = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ verbs, apiGroups, resources });
const EVENTS = [r(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events'])];

export const KUBE_CONTROLLER_MANAGER: UserInfo = Object.freeze({ name: 'system:kube-controller-manager', groups: [ALL_AUTHENTICATED] });

const saUser = (name: string): UserInfo => ({
  name: `system:serviceaccount:kube-system:${name}`,
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', ALL_AUTHENTICATED],
});

interface ControllerPolicy {
  /** The ServiceAccount (kube-system) a controller-manager controller acts as; or a user of its own. */
  serviceAccount?: string;
  user?: UserInfo;
  /** The ClusterRole its identity is bound to. */
  role: string;
  rules: PolicyRule[];
}

/** By the controller's `--controllers` name. */
const CONTROLLERS: Record<string, ControllerPolicy> = {
  garbagecollector: {
    serviceAccount: 'generic-garbage-collector',
    role: 'system:controller:generic-garbage-collector',
    rules: [r(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*'])],
  },
  namespace: {
    serviceAccount: 'namespace-controller',
    role: 'system:controller:namespace-controller',
    rules: [r(['get', 'list', 'watch', 'delete'], [''], ['namespaces']), r(['update'], [''], ['namespaces/finalize', 'namespaces/status']), r(['get', 'list', 'delete', 'deletecollection'], ['*'], ['*'])],
  },
  job: {
    serviceAccount: 'job-controller',
    role: 'system:controller:job-controller',
    rules: [
      r(['get', 'list', 'watch', 'update', 'patch'], ['batch'], ['jobs']),
      r(['update', 'patch'], ['batch'], ['jobs/status', 'jobs/finalizers']),
      r(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
      ...EVENTS,
    ],
  },
  cronjob: {
    serviceAccount: 'cronjob-controller',
    role: 'system:controller:cronjob-controller',
    rules: [
      r(['get', 'list', 'watch', 'update'], ['batch'], ['cronjobs']),
      r(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], ['batch'], ['jobs']),
      r(['update', 'patch'], ['batch'], ['cronjobs/status']),
      r(['update'], ['batch'], ['cronjobs/finalizers']),
      r(['list', 'delete'], [''], ['pods']),
      ...EVENTS,
    ],
  },
  ttlafterfinished: {
    serviceAccount: 'ttl-after-finished-controller',
    role: 'system:controller:ttl-after-finished-controller',
    rules: [r(['get', 'list', 'watch', 'delete'], ['batch'], ['jobs']), ...EVENTS],
  },
  resourcequota: {
    // Counts every kind a quota may name (controller_policy.go's resourcequota-controller).
    serviceAccount: 'resourcequota-controller',
    role: 'system:controller:resourcequota-controller',
    rules: [r(['list', 'watch'], ['*'], ['*']), r(['update'], [''], ['resourcequotas/status']), ...EVENTS],
  },
  replicaset: {
    serviceAccount: 'replicaset-controller',
    role: 'system:controller:replicaset-controller',
    rules: [
      r(['get', 'list', 'watch', 'update'], ['apps'], ['replicasets']),
      r(['update', 'patch'], ['apps'], ['replicasets/status']),
      r(['update'], ['apps'], ['replicasets/finalizers']),
      r(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']),
      ...EVENTS,
    ],
  },
  deployment: {
    serviceAccount: 'deployment-controller',
    role: 'system:controller:deployment-controller',
    rules: [
      r(['get', 'list', 'watch', 'update'], ['apps'], ['deployments']),
      r(['update', 'patch'], ['apps'], ['deployments/status']),
      r(['update'], ['apps'], ['deployments/finalizers']),
      r(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], ['apps'], ['replicasets']),
      r(['get', 'list', 'watch', 'update'], [''], ['pods']),
      ...EVENTS,
    ],
  },
  'clusterrole-aggregation': {
    serviceAccount: 'clusterrole-aggregation-controller',
    role: 'system:controller:clusterrole-aggregation-controller',
    rules: [r(['escalate', 'get', 'list', 'patch', 'update', 'watch'], ['rbac.authorization.k8s.io'], ['clusterroles'])],
  },
  // Not one of kube's: the example CronTab operator, with just what it uses.
  crontab: {
    serviceAccount: 'crontab-controller',
    role: 'system:controller:crontab-controller',
    rules: [
      r(['get', 'create'], ['apiextensions.k8s.io'], ['customresourcedefinitions']),
      r(['get', 'list', 'watch', 'update', 'patch'], ['stable.example.com'], ['crontabs', 'crontabs/status']),
      r(['get', 'list', 'watch', 'create', 'delete'], ['batch'], ['jobs']),
      ...EVENTS,
    ],
  },
  scheduler: {
    user: { name: 'system:kube-scheduler', groups: [ALL_AUTHENTICATED] },
    role: 'system:kube-scheduler',
    rules: [
      r(['get', 'list', 'watch', 'delete'], [''], ['pods']),
      r(['create'], [''], ['pods/binding', 'bindings']),
      r(['patch', 'update'], [''], ['pods/status']),
      r(READ, [''], ['nodes', 'namespaces']),
      r(['create', 'get', 'update'], ['coordination.k8s.io'], ['leases']),
      ...EVENTS,
    ],
  },
  // kube authorizes kubelets with the Node authorizer; here the system:node role is bound to the
  // system:nodes group instead, as RBAC did before Kubernetes 1.8.
  kubelet: {
    user: { name: 'system:node:kubesim-node-0', groups: ['system:nodes', ALL_AUTHENTICATED] },
    role: 'system:node',
    rules: [
      r(['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'], [''], ['nodes']),
      r(['patch', 'update'], [''], ['nodes/status']),
      r(['get', 'list', 'watch', 'delete'], [''], ['pods']),
      r(['patch', 'update'], [''], ['pods/status']),
      r(READ, [''], ['configmaps', 'secrets', 'services']),
      r(['create', 'delete', 'get', 'patch', 'update'], ['coordination.k8s.io'], ['leases']),
      ...EVENTS,
    ],
  },
};

/** The identity a controller's own requests carry; the controller manager's for one not listed. */
export function controllerUser(name: string): UserInfo {
  const p = CONTROLLERS[name];
  if (!p) return KUBE_CONTROLLER_MANAGER;
  return p.user ?? saUser(p.serviceAccount!);
}

const KCM_RULES: PolicyRule[] = [
  r(['list', 'watch'], ['*'], ['*']),
  r(['create', 'get', 'update'], ['coordination.k8s.io'], ['leases']),
  r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
  ...EVENTS,
];

/** The kube-system ServiceAccounts the controllers act as. */
export function controllerServiceAccounts(): string[] {
  return Object.values(CONTROLLERS).flatMap((p) => (p.serviceAccount ? [p.serviceAccount] : []));
}

export function controllerClusterRoles(): ClusterRoleSpec[] {
  return [{ name: 'system:kube-controller-manager', rules: KCM_RULES }, ...Object.values(CONTROLLERS).map((p) => ({ name: p.role, rules: p.rules }))];
}

export function controllerClusterRoleBindings(): BindingSpec[] {
  const bindings: BindingSpec[] = [{ name: 'system:kube-controller-manager', role: 'system:kube-controller-manager', subjects: [{ kind: 'User', name: KUBE_CONTROLLER_MANAGER.name }] }];
  for (const p of Object.values(CONTROLLERS)) {
    const subject: BindingSpec['subjects'][number] = p.serviceAccount
      ? { kind: 'ServiceAccount', name: p.serviceAccount, namespace: 'kube-system' }
      : p.role === 'system:node'
        ? { kind: 'Group', name: 'system:nodes' }
        : { kind: 'User', name: p.user!.name };
    bindings.push({ name: p.role, role: p.role, subjects: [subject] });
  }
  return bindings;
}
