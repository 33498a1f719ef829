// Impersonation (kube's WithImpersonation): which checks each header needs, the user that
// results, and the answers when a check fails; plus the Forbidden message for each kind of
// request (responsewriters.forbiddenMessage).
import { describe, expect, it } from 'vitest';
import type { Attributes, Authorizer } from '../../../../src/apiserver/auth/authorizer.js';
import { forbiddenError, forbiddenMessage } from '../../../../src/apiserver/auth/forbidden.js';
import { impersonate } from '../../../../src/apiserver/auth/impersonation.js';
import { StatusError } from '../../../../src/apiserver/errors.js';

const requester = { name: 'carol', groups: ['system:authenticated'] };

/** Allows the impersonate checks whose "resource/name" is listed, and records every check. */
function authorizer(allowed: string[]): Authorizer & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    authorize(a: Attributes) {
      const key = `${a.apiGroup ? `${a.apiGroup}:` : ''}${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.namespace ? `@${a.namespace}` : ''}/${a.name}`;
      asked.push(`${a.verb} ${key}`);
      return allowed.includes(key) ? { decision: 'allow', reason: '' } : { decision: 'noOpinion', reason: '' };
    },
  };
}

describe('impersonate', () => {
  it('passes the requester through without headers', () => {
    expect(impersonate(requester, {}, authorizer([]))).toBe(requester);
  });

  const cases: Array<[string, Record<string, string | string[]>, string[], unknown]> = [
    ['a user, authenticated', { 'impersonate-user': 'alice' }, ['users/alice'], { name: 'alice', groups: ['system:authenticated'] }],
    ['a user and groups', { 'impersonate-user': 'alice', 'impersonate-group': ['devs', 'ops'] }, ['users/alice', 'groups/devs', 'groups/ops'], { name: 'alice', groups: ['devs', 'ops', 'system:authenticated'] }],
    [
      'a ServiceAccount gets its fixed groups',
      { 'impersonate-user': 'system:serviceaccount:ns:builder' },
      ['serviceaccounts@ns/builder'],
      { name: 'system:serviceaccount:ns:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'] },
    ],
    ['anonymous is unauthenticated', { 'impersonate-user': 'system:anonymous' }, ['users/system:anonymous'], { name: 'system:anonymous', groups: ['system:unauthenticated'] }],
    [
      'uid and extra',
      { 'impersonate-user': 'alice', 'impersonate-uid': '42', 'impersonate-extra-scopes': 'view' },
      ['users/alice', 'authentication.k8s.io:userextras/scopes/view', 'authentication.k8s.io:uids/42'],
      { name: 'alice', uid: '42', groups: ['system:authenticated'], extra: { scopes: ['view'] } },
    ],
  ];
  it.each(cases)('%s', (_name, headers, allowed, want) => {
    expect(impersonate(requester, headers, authorizer(allowed))).toEqual(want);
  });

  it('refuses a user it may not impersonate, in kube words', () => {
    const r = impersonate(requester, { 'impersonate-user': 'alice' }, authorizer([]));
    expect(r).toBeInstanceOf(StatusError);
    expect((r as StatusError).status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'users "alice" is forbidden: User "carol" cannot impersonate resource "users" in API group "" at the cluster scope',
      details: { name: 'alice', kind: 'users' },
    });
  });

  it('refuses a group, and checks the user first', () => {
    const a = authorizer(['users/alice']);
    const r = impersonate(requester, { 'impersonate-user': 'alice', 'impersonate-group': 'system:masters' }, a);
    expect((r as StatusError).status.message).toBe('groups "system:masters" is forbidden: User "carol" cannot impersonate resource "groups" in API group "" at the cluster scope');
    expect(a.asked).toEqual(['impersonate users/alice', 'impersonate groups/system:masters']);
  });

  it('refuses groups without a user as a bad request', () => {
    const r = impersonate(requester, { 'impersonate-group': 'devs' }, authorizer([]));
    expect((r as StatusError).status.code).toBe(400);
  });
});

describe('forbiddenMessage', () => {
  const user = { name: 'x', groups: [] };
  const cases: Array<[string, Attributes, string]> = [
    ['namespaced list', { user, verb: 'list', isResourceRequest: true, apiGroup: '', resource: 'pods', namespace: 'y' }, 'User "x" cannot list resource "pods" in API group "" in the namespace "y"'],
    ['cluster-scoped', { user, verb: 'get', isResourceRequest: true, apiGroup: '', resource: 'nodes', name: 'n' }, 'User "x" cannot get resource "nodes" in API group "" at the cluster scope'],
    ['subresource', { user, verb: 'get', isResourceRequest: true, apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'y' }, 'User "x" cannot get resource "deployments/scale" in API group "apps" in the namespace "y"'],
    ['path', { user, verb: 'get', isResourceRequest: false, path: '/metrics' }, 'User "x" cannot get path "/metrics"'],
  ];
  it.each(cases)('%s', (_name, attrs, want) => {
    expect(forbiddenMessage(attrs)).toBe(want);
  });

  it('builds the Status kube returns: resource and name first, reason after a colon', () => {
    const e = forbiddenError({ user, verb: 'get', isResourceRequest: true, apiGroup: 'apps', resource: 'deployments', name: 'web', namespace: 'y' }, 'RBAC: role.rbac.authorization.k8s.io "r" not found');
    expect(e.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "web" is forbidden: User "x" cannot get resource "deployments" in API group "apps" in the namespace "y": RBAC: role.rbac.authorization.k8s.io "r" not found',
      reason: 'Forbidden',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
      code: 403,
    });
    expect(forbiddenError({ user, verb: 'post', isResourceRequest: false, path: '/x' }, '').status.message).toBe('forbidden: User "x" cannot post path "/x"');
  });
});
