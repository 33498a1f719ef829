// The built-in controllers act under their own identities with only their roles' rights, as
// kube-controller-manager's controllers do: the replicaset controller is
// system:serviceaccount:kube-system:replicaset-controller, may create pods but not delete
// Deployments, and stops being able to create pods (with kube's Forbidden message) when its
// ClusterRoleBinding goes, until it is back. (A reconcile error is logged with console.error,
// which the test watches.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client, ResourceRef } from '../../src/index.js';
import type { KubeObject } from '../../src/controllers/runtime/types.js';
import { replicaSetController } from '../../src/controllers/replicaset/setup.js';
import { startWithControllers, type ControllerHarness } from './controller-harness.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const RS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const CRB: ResourceRef = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', namespaced: false };
const SAR: ResourceRef = { group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews', namespaced: false };
const SA_USER = 'system:serviceaccount:kube-system:replicaset-controller';
const SA_GROUPS = ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'];

let harness: ControllerHarness;
let client: Client;

beforeAll(async () => {
  harness = await startWithControllers([replicaSetController]);
  client = harness.cluster.client;
});
afterAll(async () => harness?.stop());

const review = async (verb: string, group: string, resource: string, namespace: string): Promise<boolean> => {
  const res = await client.create<KubeObject>(SAR, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    metadata: {},
    spec: { user: SA_USER, groups: SA_GROUPS, resourceAttributes: { verb, group, resource, namespace } },
  } as KubeObject);
  return (res.status as { allowed: boolean }).allowed;
};

describe('controller identities', () => {
  it('the replicaset controller holds its role and nothing more', async () => {
    expect(await review('create', '', 'pods', 'default')).toBe(true);
    expect(await review('update', 'apps', 'replicasets/status', 'default')).toBe(true);
    expect(await review('delete', 'apps', 'deployments', 'default')).toBe(false);
    expect(await review('get', '', 'secrets', 'default')).toBe(false);
  });

  it('acts as its ServiceAccount: without its binding it is forbidden to create pods, with it again it does', async () => {
    const binding = await client.get<KubeObject>(CRB, 'system:controller:replicaset-controller');
    await client.delete(CRB, 'system:controller:replicaset-controller');
    await client.create(RS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } as KubeObject);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let denied: string;
    try {
      denied = await harness.until('a Forbidden error from the controller', async () =>
        logged.mock.calls.flat().map(String).find((e) => e.includes(`replicasets.apps "web" is forbidden: User "${SA_USER}" cannot get resource "replicasets" in API group "apps" in the namespace "default"`)),
      );
    } finally {
      logged.mockRestore();
    }
    expect(denied).toBeTruthy();
    expect((await client.list(PODS, { namespace: 'default', labelSelector: 'app=web' })).items).toHaveLength(0);

    const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, managedFields: _mf, ...metadata } = binding.metadata;
    await client.create(CRB, { ...binding, metadata } as KubeObject);
    const pods = await harness.until('2 pods', async () => {
      const items = (await client.list(PODS, { namespace: 'default', labelSelector: 'app=web' })).items;
      return items.length === 2 && items;
    }, { timeoutMs: 20_000, nudgeMs: 1000 });
    expect(pods).toHaveLength(2);
  });
});
