// Who the request in progress is from and which authorizer judges it, for the code below the
// filter that must ask again (escalation checks on RBAC writes, access reviews), as kube reads
// the user from the request context. Handlers run synchronously inside `runAs`.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Authorizer } from './authorizer.js';
import type { RBACAuthorizer } from './rbac/authorizer.js';
import type { UserInfo } from './user.js';

export interface AuthorizationContext {
  user: UserInfo;
  /** The server's authorizer chain (system:masters, then RBAC). */
  authorizer: Authorizer;
  /** The RBAC rule resolver, for escalation checks and rules reviews. */
  rbac: RBACAuthorizer;
}

const current = new AsyncLocalStorage<AuthorizationContext>();

export function runAs<T>(context: AuthorizationContext, fn: () => T): T {
  return current.run(context, fn);
}

/** The request's authorization context; undefined outside a request (authorization not wired). */
export function authorizationContext(): AuthorizationContext | undefined {
  return current.getStore();
}
