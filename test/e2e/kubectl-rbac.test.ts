// RBAC through real kubectl with impersonation (--as, --as-group): for a matrix of identities,
// bindings and verbs, `kubectl auth can-i` answers what the real request then does, and a
// refused request carries kube's Forbidden message word for word. Also: `auth can-i --list`,
// public endpoints for anonymous users, escalation prevention, and impersonation itself
// gated by the `impersonate` verb.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directDispatcher } from '../../src/apiserver/server.js';
import { InProcessClient } from '../../src/clients/in-process.js';
import { startCluster, type Cluster } from '../../src/index.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const [bin] = kubectlBinaries();
const skip = requireClient(bin !== undefined, 'kubectl');

const SETUP = `
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team-a}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team-b}
data: {a: "1"}
---
apiVersion: v1
kind: Secret
metadata: {name: token, namespace: team-a}
stringData: {t: x}
---
apiVersion: v1
kind: Secret
metadata: {name: other, namespace: team-a}
stringData: {t: x}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-admin, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: auditors-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: auditors, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: builder, namespace: team-a}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [create, delete]}
- {apiGroups: [""], resources: [secrets], resourceNames: [token], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: builder}
subjects: [{kind: ServiceAccount, name: builder, namespace: team-a}]
`;

interface Case {
  who: string[];
  /** The user's name as messages print it. */
  user: string;
  verb: 'get' | 'list' | 'create' | 'delete';
  resource: string;
  group: string;
  name?: string;
  namespace: string;
  allowed: boolean;
}

const ALICE = { who: ['--as', 'alice'], user: 'alice' };
const BOB = { who: ['--as', 'bob', '--as-group', 'auditors'], user: 'bob' };
const BUILDER = { who: ['--as', 'system:serviceaccount:team-a:builder'], user: 'system:serviceaccount:team-a:builder' };
const CAROL = { who: ['--as', 'carol'], user: 'carol' };

const MATRIX: Case[] = [
  { ...ALICE, verb: 'list', resource: 'pods', group: '', namespace: 'team-a', allowed: true },
  { ...ALICE, verb: 'list', resource: 'pods', group: '', namespace: 'team-b', allowed: false },
  { ...ALICE, verb: 'get', resource: 'secrets', group: '', name: 'other', namespace: 'team-a', allowed: true },
  { ...ALICE, verb: 'create', resource: 'configmaps', group: '', namespace: 'team-a', allowed: true },
  { ...ALICE, verb: 'delete', resource: 'configmaps', group: '', name: 'settings', namespace: 'team-b', allowed: false },
  { ...ALICE, verb: 'list', resource: 'deployments', group: 'apps', namespace: 'team-a', allowed: true },
  { ...ALICE, verb: 'list', resource: 'nodes', group: '', namespace: '', allowed: false },
  { ...BOB, verb: 'list', resource: 'configmaps', group: '', namespace: 'team-b', allowed: true },
  { ...BOB, verb: 'get', resource: 'secrets', group: '', name: 'token', namespace: 'team-a', allowed: false },
  { ...BOB, verb: 'create', resource: 'configmaps', group: '', namespace: 'team-a', allowed: false },
  { ...BOB, verb: 'list', resource: 'rolebindings', group: 'rbac.authorization.k8s.io', namespace: 'team-a', allowed: false },
  { ...BUILDER, verb: 'create', resource: 'configmaps', group: '', namespace: 'team-a', allowed: true },
  { ...BUILDER, verb: 'get', resource: 'secrets', group: '', name: 'token', namespace: 'team-a', allowed: true },
  { ...BUILDER, verb: 'get', resource: 'secrets', group: '', name: 'other', namespace: 'team-a', allowed: false },
  { ...BUILDER, verb: 'list', resource: 'configmaps', group: '', namespace: 'team-a', allowed: false },
  { ...CAROL, verb: 'list', resource: 'pods', group: '', namespace: 'team-a', allowed: false },
  { ...CAROL, verb: 'get', resource: 'namespaces', group: '', name: 'team-a', namespace: '', allowed: false },
];

/** kube's Forbidden message for a resource request (responsewriters.forbiddenMessage + NewForbidden). */
function forbidden(c: Case, name = c.name): string {
  const qualified = c.group ? `${c.resource}.${c.group}` : c.resource;
  const subject = name ? `${qualified} "${name}"` : qualified;
  // A namespace's own namespace is itself, as kube's request info has it.
  const ns = c.resource === 'namespaces' ? name : c.namespace;
  const where = ns ? `in the namespace "${ns}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${c.user}" cannot ${c.verb} resource "${c.resource}" in API group "${c.group}" ${where}`;
}

describe.skipIf(Boolean(skip))('RBAC through kubectl', () => {
  let cluster: Cluster;
  let k: ReturnType<typeof kubectl>;
  let dir: string;

  beforeAll(async () => {
    cluster = await startCluster({ controllers: 'none' });
    k = kubectl(bin!, cluster.kubeconfigPath);
    dir = mkdtempSync(join(tmpdir(), 'kubesim-rbac-'));
    writeFileSync(join(dir, 'setup.yaml'), SETUP);
    const res = await k(['apply', '-f', join(dir, 'setup.yaml')]);
    expect(res.stderr).toBe('');
  });
  afterAll(async () => cluster?.stop());

  let n = 0;
  const request = async (c: Case) => {
    const ns = c.namespace ? ['-n', c.namespace] : [];
    const kind = c.group ? `${c.resource}.${c.group}` : c.resource;
    switch (c.verb) {
      case 'list':
        return k(['get', kind, ...ns, ...c.who]);
      case 'get':
        return k(['get', kind, c.name!, ...ns, ...c.who]);
      case 'delete':
        return k(['delete', kind, c.name!, ...ns, ...c.who]);
      case 'create': {
        const name = `made-${++n}`;
        return { name, ...(await k(['create', 'configmap', name, '--from-literal=x=1', ...ns, ...c.who])) };
      }
    }
  };

  it.each(MATRIX.map((c) => [`${c.who.join(' ')}: ${c.verb} ${c.resource}${c.name ? `/${c.name}` : ''} in ${c.namespace || 'the cluster'}`, c] as const))('%s', async (_title, c) => {
    const ns = c.namespace ? ['-n', c.namespace] : [];
    const kind = c.group ? `${c.resource}.${c.group}` : c.resource;
    const canI = await k(['auth', 'can-i', c.verb, c.name ? `${kind}/${c.name}` : kind, ...ns, ...c.who]);
    expect(canI.stdout.trim()).toBe(c.allowed ? 'yes' : 'no');
    const res = await request(c);
    expect(res.code === 0, res.stderr).toBe(c.allowed);
    if (!c.allowed) {
      const name = c.verb === 'create' ? undefined : c.name;
      // kubectl create words a failed create its own way; everything else prints the Status.
      expect(res.stderr.trim()).toMatch(c.verb === 'create' ? /^error: failed to create configmap: / : /^Error from server \(Forbidden\): /);
      expect(res.stderr).toContain(forbidden(c, name));
    }
  });

  it('words a denied list exactly as kube-apiserver does', async () => {
    const res = await k(['get', 'pods', '-n', 'team-b', '--as', 'alice']);
    expect(res.stderr.trim()).toBe('Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "team-b"');
  });

  it('every kubectl version (1.27 to 1.33) gets the same answers', async () => {
    for (const b of kubectlBinaries()) {
      const kv = kubectl(b, cluster.kubeconfigPath);
      expect((await kv(['auth', 'can-i', 'list', 'pods', '-n', 'team-a', '--as', 'alice'])).stdout, b.name).toBe('yes\n');
      expect((await kv(['auth', 'can-i', 'list', 'pods', '-n', 'team-b', '--as', 'alice'])).stdout, b.name).toBe('no\n');
      const denied = await kv(['get', 'configmaps', '-n', 'team-b', '--as', 'alice']);
      expect(denied.stderr.trim(), b.name).toBe('Error from server (Forbidden): configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "team-b"');
    }
  });

  it('kubectl explain knows the RBAC kinds', async () => {
    const res = await k(['explain', 'role.rules']);
    expect(res.stdout).toContain('PolicyRule holds information that describes a policy rule');
  });

  it('auth can-i --list shows the rules a user holds in a namespace', async () => {
    const res = await k(['auth', 'can-i', '--list', '-n', 'team-a', '--as', 'system:serviceaccount:team-a:builder']);
    expect(res.code).toBe(0);
    const lines = res.stdout.split('\n').map((l) => l.trim().split(/\s+/).join(' '));
    expect(lines).toContain('configmaps [] [] [create delete]');
    expect(lines).toContain('secrets [] [token] [get]');
    expect(lines).toContain('selfsubjectaccessreviews.authorization.k8s.io [] [] [create]');
    expect(lines.some((l) => l.startsWith('pods '))).toBe(false);
  });

  it('lets anyone read /healthz and /version, and nothing else without a grant', async () => {
    expect((await k(['get', '--raw', '/healthz', '--as', 'system:anonymous'])).stdout).toBe('ok');
    expect((await k(['get', '--raw', '/version', '--as', 'carol'])).code).toBe(0);
    const denied = await k(['get', '--raw', '/metrics', '--as', 'carol']);
    expect(denied.stderr.trim()).toBe('Error from server (Forbidden): forbidden: User "carol" cannot get path "/metrics"');
  });

  it('refuses a Role granting what its author lacks unless they may escalate', async () => {
    const ok = await k(['create', 'role', 'pod-reader', '--verb=get', '--resource=pods', '-n', 'team-a', '--as', 'alice']);
    expect(ok.stdout).toBe('role.rbac.authorization.k8s.io/pod-reader created\n');
    const res = await k(['create', 'role', 'node-reader', '--verb=get,list', '--resource=nodes', '-n', 'team-a', '--as', 'alice']);
    expect(res.stderr.trim()).toBe(
      'Error from server (Forbidden): roles.rbac.authorization.k8s.io "node-reader" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["nodes"], Verbs:["get" "list"]}',
    );
    // With the escalate verb the same Role is allowed.
    expect((await k(['create', 'clusterrole', 'role-escalator', '--verb=escalate', '--resource=roles.rbac.authorization.k8s.io'])).code).toBe(0);
    expect((await k(['create', 'rolebinding', 'alice-escalates', '--clusterrole=role-escalator', '--user=alice', '-n', 'team-a'])).code).toBe(0);
    const again = await k(['create', 'role', 'node-reader', '--verb=get,list', '--resource=nodes', '-n', 'team-a', '--as', 'alice']);
    expect(again.stdout).toBe('role.rbac.authorization.k8s.io/node-reader created\n');
  });

  it('refuses a binding to a role granting more than the author holds unless they may bind it', async () => {
    const ok = await k(['create', 'rolebinding', 'dave-view', '--clusterrole=view', '--user=dave', '-n', 'team-a', '--as', 'alice']);
    expect(ok.stdout).toBe('rolebinding.rbac.authorization.k8s.io/dave-view created\n');
    const res = await k(['create', 'rolebinding', 'dave-admin', '--clusterrole=cluster-admin', '--user=dave', '-n', 'team-a', '--as', 'alice']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('rolebindings.rbac.authorization.k8s.io "dave-admin" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n');
    expect((await k(['create', 'clusterrole', 'admin-binder', '--verb=bind', '--resource=clusterroles.rbac.authorization.k8s.io', '--resource-name=cluster-admin'])).code).toBe(0);
    expect((await k(['create', 'rolebinding', 'alice-binds', '--clusterrole=admin-binder', '--user=alice', '-n', 'team-a'])).code).toBe(0);
    const again = await k(['create', 'rolebinding', 'dave-admin', '--clusterrole=cluster-admin', '--user=dave', '-n', 'team-a', '--as', 'alice']);
    expect(again.stdout).toBe('rolebinding.rbac.authorization.k8s.io/dave-admin created\n');
  });

  it('lets an update that changes only ownerReferences or finalizers through without the escalation check', async () => {
    expect((await k(['create', 'clusterrole', 'binding-patcher', '--verb=get,patch', '--resource=rolebindings.rbac.authorization.k8s.io'])).code).toBe(0);
    expect((await k(['create', 'clusterrolebinding', 'erin-patches', '--clusterrole=binding-patcher', '--user=erin'])).code).toBe(0);
    const direct = directDispatcher(cluster.server)!;
    const erin = { name: 'erin', groups: ['system:authenticated'] };
    const patch = (body: unknown) =>
      direct.request({ method: 'PATCH', url: '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings/alice-admin', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify(body), user: erin })!;
    expect(patch({ metadata: { finalizers: ['example.com/hold'] } }).status).toBe(200);
    expect(patch({ metadata: { finalizers: null } }).status).toBe(200);
    const escalating = patch({ subjects: [{ kind: 'User', name: 'erin', apiGroup: 'rbac.authorization.k8s.io' }] });
    expect(escalating.status).toBe(403);
    expect(JSON.parse(escalating.body.toString()).message).toMatch(/^rolebindings\.rbac\.authorization\.k8s\.io "alice-admin" is forbidden: user "erin" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n/);
  });

  it('gates impersonation by the impersonate verb', async () => {
    const direct = directDispatcher(cluster.server)!;
    const carol = { name: 'carol', groups: ['system:authenticated'] };
    const get = (headers: Record<string, string>) => direct.request({ method: 'GET', url: '/api/v1/namespaces/team-a/pods', headers, user: carol })!;
    const denied = get({ 'impersonate-user': 'alice' });
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body.toString())).toMatchObject({
      reason: 'Forbidden',
      message: 'users "alice" is forbidden: User "carol" cannot impersonate resource "users" in API group "" at the cluster scope',
      details: { name: 'alice', kind: 'users' },
    });
    expect((await k(['create', 'clusterrole', 'impersonate-alice', '--verb=impersonate', '--resource=users', '--resource-name=alice'])).code).toBe(0);
    expect((await k(['create', 'clusterrolebinding', 'carol-as-alice', '--clusterrole=impersonate-alice', '--user=carol'])).code).toBe(0);
    expect(get({ 'impersonate-user': 'alice' }).status).toBe(200);
    const groupDenied = get({ 'impersonate-user': 'alice', 'impersonate-group': 'system:masters' });
    expect(JSON.parse(groupDenied.body.toString()).message).toBe('groups "system:masters" is forbidden: User "carol" cannot impersonate resource "groups" in API group "" at the cluster scope');
    const noUser = get({ 'impersonate-group': 'auditors' });
    expect(noUser.status).toBe(400);
  });

  it('an in-process client acts as its user, on the direct path and through inject', async () => {
    const carolClient = new InProcessClient(cluster.server, { user: { name: 'carol', groups: ['system:authenticated'] } });
    await expect(carolClient.list({ group: '', version: 'v1', resource: 'configmaps', namespaced: true }, { namespace: 'team-a' })).rejects.toMatchObject({ code: 403 });
    carolClient.close();
    // inject: repeated Impersonate-Group headers are kept apart, as over HTTP.
    const res = await cluster.server.inject({ method: 'GET', url: '/api/v1/namespaces/team-a/configmaps', headers: { 'impersonate-user': 'frank', 'impersonate-group': ['x', 'auditors'] } as unknown as Record<string, string> });
    expect(res.statusCode).toBe(200);
    const denied = await cluster.server.inject({ method: 'GET', url: '/api/v1/namespaces/team-a/configmaps', headers: { 'impersonate-user': 'frank', 'impersonate-group': 'x' } });
    expect(denied.statusCode).toBe(403);
  });
});
