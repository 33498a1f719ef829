// RBAC rule matching (kube's RuleAllows), subject matching and the authorizer's walk over
// indexed bindings, table-driven.
import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../../../src/apiserver/auth/authorizer.js';
import { RBACAuthorizer } from '../../../../src/apiserver/auth/rbac/authorizer.js';
import { PolicyIndex } from '../../../../src/apiserver/auth/rbac/policy-index.js';
import { ruleAllows, subjectAppliesTo, type PolicyRule } from '../../../../src/apiserver/auth/rbac/rules.js';
import { MemoryStorage } from '../../../../src/apiserver/storage/memory.js';
import type { KubeObject } from '../../../../src/apiserver/object.js';

const alice = { name: 'alice', groups: ['devs', 'system:authenticated'] };
const res = (verb: string, resource: string, extra: Partial<Attributes> = {}): Attributes => ({ user: alice, verb, isResourceRequest: true, apiGroup: '', resource, subresource: '', namespace: 'ns', name: '', ...extra });
const url = (verb: string, path: string): Attributes => ({ user: alice, verb, isResourceRequest: false, path });

describe('ruleAllows', () => {
  const cases: Array<[string, PolicyRule, Attributes, boolean]> = [
    ['exact verb, group, resource', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', 'pods'), true],
    ['other verb', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('list', 'pods'), false],
    ['verb *', { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, res('deletecollection', 'pods'), true],
    ['other group', { verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }, res('get', 'pods'), false],
    ['group *', { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }, res('get', 'deployments', { apiGroup: 'apps' }), true],
    ['resource * covers subresources', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, res('get', 'pods', { subresource: 'log' }), true],
    ['plain resource does not cover its subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', 'pods', { subresource: 'log' }), false],
    ['resource/subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', 'pods', { subresource: 'log' }), true],
    ['*/subresource', { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }, res('update', 'deployments', { apiGroup: 'apps', subresource: 'scale' }), true],
    ['*/subresource is not the resource', { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }, res('update', 'deployments', { apiGroup: 'apps' }), false],
    ['resourceNames: named', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', 'configmaps', { name: 'a' }), true],
    ['resourceNames: other name', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', 'configmaps', { name: 'b' }), false],
    ['resourceNames: a list names nothing', { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('list', 'configmaps'), false],
    ['nonResourceURL exact', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, url('get', '/healthz'), true],
    ['nonResourceURL prefix *', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, url('get', '/apis/apps/v1'), true],
    ['nonResourceURL prefix * is not the bare path', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, url('get', '/apis'), false],
    ['nonResourceURL *', { verbs: ['*'], nonResourceURLs: ['*'] }, url('post', '/anything'), true],
    ['resource rule never matches a path', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, url('get', '/healthz'), false],
    ['url rule never matches a resource', { verbs: ['*'], nonResourceURLs: ['*'] }, res('get', 'pods'), false],
  ];
  it.each(cases)('%s', (_name, rule, attrs, want) => {
    expect(ruleAllows(attrs, rule)).toBe(want);
  });
});

describe('subjectAppliesTo', () => {
  const sa = { name: 'system:serviceaccount:ns:builder', groups: ['system:serviceaccounts'] };
  const cases: Array<[string, { kind: string; name: string; namespace?: string }, { name: string; groups: string[] }, string, boolean]> = [
    ['User by name', { kind: 'User', name: 'alice' }, alice, '', true],
    ['User other', { kind: 'User', name: 'bob' }, alice, '', false],
    ['Group member', { kind: 'Group', name: 'devs' }, alice, '', true],
    ['ServiceAccount with namespace', { kind: 'ServiceAccount', name: 'builder', namespace: 'ns' }, sa, '', true],
    ['ServiceAccount defaults to the binding namespace', { kind: 'ServiceAccount', name: 'builder' }, sa, 'ns', true],
    ['ServiceAccount in another namespace', { kind: 'ServiceAccount', name: 'builder', namespace: 'other' }, sa, '', false],
    ['User named like a ServiceAccount is not the ServiceAccount kind', { kind: 'User', name: 'builder' }, sa, 'ns', false],
  ];
  it.each(cases)('%s', (_name, subject, user, bindingNs, want) => {
    expect(subjectAppliesTo(subject, user, bindingNs)).toBe(want);
  });
});

describe('RBACAuthorizer over a storage-backed index', () => {
  const storage = new MemoryStorage({});
  const put = (resource: string, obj: KubeObject) => {
    const key = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name!;
    if (storage.get(resource, key)) storage.update(resource, key, obj);
    else storage.create(resource, key, obj);
  };
  const index = new PolicyIndex(storage);
  const authz = new RBACAuthorizer(index);
  put('clusterroles.rbac.authorization.k8s.io', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'pod-reader' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] } as KubeObject);
  put('rolebindings.rbac.authorization.k8s.io', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'devs-read', namespace: 'ns' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pod-reader' },
    subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }],
  } as KubeObject);

  it('allows through a RoleBinding, naming it in the reason', () => {
    expect(authz.authorize(res('list', 'pods'))).toEqual({ decision: 'allow', reason: 'RBAC: allowed by RoleBinding "devs-read/ns" of ClusterRole "pod-reader" to Group "devs"' });
  });
  it('has no opinion in another namespace or for another verb', () => {
    expect(authz.authorize(res('list', 'pods', { namespace: 'other' })).decision).toBe('noOpinion');
    expect(authz.authorize(res('delete', 'pods')).decision).toBe('noOpinion');
  });
  it('follows storage: a deleted binding stops allowing, a binding to a missing role says so', () => {
    storage.delete('rolebindings.rbac.authorization.k8s.io', 'ns/devs-read');
    expect(authz.authorize(res('list', 'pods')).decision).toBe('noOpinion');
    put('clusterrolebindings.rbac.authorization.k8s.io', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ghost' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'missing' },
      subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }],
    } as KubeObject);
    expect(authz.authorize(res('list', 'pods'))).toEqual({ decision: 'noOpinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "missing" not found' });
  });
});
