// The default ClusterRoles and ClusterRoleBindings a cluster starts with, after kube's
// bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy policy.go): cluster-admin
// for system:masters; admin, edit and view aggregated from the system:aggregate-to-* roles;
// discovery, basic-user (self reviews) and public-info-viewer (/healthz, /version...) for
// everyone authenticated (public-info-viewer also anonymously); system:monitoring. The
// controllers' roles are in ./controller-policy.ts.
import type { PolicyRule } from './rules.js';
import { controllerClusterRoleBindings, controllerClusterRoles } from './controller-policy.js';

export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

export function rule(verbs: string[], apiGroups: string[], resources: string[]): PolicyRule {
  return { verbs, apiGroups, resources };
}

export function urlRule(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, nonResourceURLs };
}

export interface ClusterRoleSpec {
  name: string;
  rules?: PolicyRule[];
  labels?: Record<string, string>;
  aggregateFrom?: string;
}

export interface BindingSpec {
  name: string;
  role: string;
  subjects: { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string }[];
}

const AGGREGATE_LABEL = (to: string) => `rbac.authorization.k8s.io/aggregate-to-${to}`;

const viewRules: PolicyRule[] = [
  rule(READ, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
  rule(READ, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(READ, ['events.k8s.io'], ['events']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
  rule(READ, ['coordination.k8s.io'], ['leases']),
];

const editRules: PolicyRule[] = [
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(['create'], [''], ['pods/eviction']),
  rule(WRITE, [''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(WRITE, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  rule(WRITE, ['coordination.k8s.io'], ['leases']),
  rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
];

const adminRules: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule([...WRITE, ...READ], ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
];

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

export function defaultClusterRoles(): ClusterRoleSpec[] {
  return [
    { name: 'cluster-admin', rules: [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])] },
    { name: 'admin', aggregateFrom: 'admin' },
    { name: 'edit', aggregateFrom: 'edit', labels: { [AGGREGATE_LABEL('admin')]: 'true' } },
    { name: 'view', aggregateFrom: 'view', labels: { [AGGREGATE_LABEL('edit')]: 'true' } },
    { name: 'system:aggregate-to-admin', rules: adminRules, labels: { [AGGREGATE_LABEL('admin')]: 'true' } },
    { name: 'system:aggregate-to-edit', rules: editRules, labels: { [AGGREGATE_LABEL('edit')]: 'true' } },
    { name: 'system:aggregate-to-view', rules: viewRules, labels: { [AGGREGATE_LABEL('view')]: 'true' } },
    { name: 'system:discovery', rules: [urlRule(['get'], DISCOVERY_URLS)] },
    {
      name: 'system:basic-user',
      rules: [rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews'])],
    },
    { name: 'system:public-info-viewer', rules: [urlRule(['get'], PUBLIC_INFO_URLS)] },
    { name: 'system:monitoring', rules: [urlRule(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'])] },
    ...controllerClusterRoles(),
  ];
}

export function defaultClusterRoleBindings(): BindingSpec[] {
  return [
    { name: 'cluster-admin', role: 'cluster-admin', subjects: [{ kind: 'Group', name: 'system:masters' }] },
    { name: 'system:discovery', role: 'system:discovery', subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
    { name: 'system:basic-user', role: 'system:basic-user', subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
    { name: 'system:public-info-viewer', role: 'system:public-info-viewer', subjects: [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }] },
    { name: 'system:monitoring', role: 'system:monitoring', subjects: [{ kind: 'Group', name: 'system:monitoring' }] },
    ...controllerClusterRoleBindings(),
  ];
}

/** The aggregated roles' rules at bootstrap, so admin/edit/view work before (or without) the aggregation controller. */
function aggregated(roles: ClusterRoleSpec[], to: string): PolicyRule[] {
  const label = AGGREGATE_LABEL(to);
  return roles
    .filter((r) => r.labels?.[label] === 'true' && r.rules)
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((r) => r.rules!);
}

/** The ClusterRole objects, as the API stores them. */
export function clusterRoleObjects(): Record<string, unknown>[] {
  const specs = defaultClusterRoles();
  // Aggregation is transitive (view -> edit -> admin): resolve view, then edit, then admin.
  const resolved = new Map<string, PolicyRule[]>();
  for (const to of ['view', 'edit', 'admin']) {
    const withResolved = specs.map((s) => (s.aggregateFrom && resolved.has(s.aggregateFrom) ? { ...s, rules: resolved.get(s.aggregateFrom)! } : s));
    resolved.set(to, dedupe(aggregated(withResolved, to)));
  }
  return specs.map((s) => ({
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: { name: s.name, labels: { ...BOOTSTRAP_LABELS, ...s.labels }, annotations: { ...AUTOUPDATE } },
    ...(s.aggregateFrom
      ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE_LABEL(s.aggregateFrom)]: 'true' } }] }, rules: resolved.get(s.aggregateFrom) }
      : { rules: s.rules }),
  }));
}

function dedupe(rules: PolicyRule[]): PolicyRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const k = JSON.stringify(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function clusterRoleBindingObjects(): Record<string, unknown>[] {
  return defaultClusterRoleBindings().map((b) => ({
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name: b.name, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...AUTOUPDATE } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.role },
    subjects: b.subjects.map((s) => (s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace } : { apiGroup: 'rbac.authorization.k8s.io', kind: s.kind, name: s.name })),
  }));
}
