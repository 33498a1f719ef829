// Objects every cluster starts with, created through the API like any other write so they
// carry uids, timestamps and managedFields: the four system namespaces and the
// `kubernetes` Service in default, the default RBAC policy, as a fresh kube-apiserver has them.
import type { FastifyInstance } from 'fastify';
import { directDispatcher } from './server.js';
import { clusterRoleBindingObjects, clusterRoleObjects } from './auth/rbac/bootstrap-policy.js';
import { controllerServiceAccounts } from './auth/rbac/controller-policy.js';

const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function bootstrapObjects(server: FastifyInstance): void {
  const dispatch = directDispatcher(server)?.request;
  if (!dispatch) throw new Error('bootstrap: the server was not made by buildServer');
  const post = (url: string, body: unknown) => {
    const res = dispatch({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'user-agent': 'kube-apiserver/v1.33.0' },
      body: JSON.stringify(body),
    });
    // 409: restored from a data dir or snapshot, where it already exists.
    if (res?.status !== 201 && res?.status !== 409) throw new Error(`bootstrap ${url}: ${res?.status} ${res?.body.toString()}`);
  };
  for (const name of NAMESPACES) post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  post('/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
  });
  // kube's bootstrap RBAC policy (the rbac/bootstrap-roles post-start hook) and the
  // controllers' ServiceAccounts.
  for (const role of clusterRoleObjects()) post('/apis/rbac.authorization.k8s.io/v1/clusterroles', role);
  for (const binding of clusterRoleBindingObjects()) post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', binding);
  for (const name of controllerServiceAccounts()) post('/api/v1/namespaces/kube-system/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
}
