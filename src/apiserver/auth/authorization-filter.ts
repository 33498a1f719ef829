// The authorization filter (k8s.io/apiserver pkg/endpoints/filters: WithImpersonation, then
// WithAuthorization), run after authentication for every HTTP request and for the in-process
// direct path: impersonation headers resolved (each checked with the `impersonate` verb), then
// the request's attributes put to the authorizers: system:masters, then RBAC. Nobody allowing
// it is a 403 with kube's message.
import type { FastifyInstance } from 'fastify';
import { StatusError } from '../errors.js';
import { parseRequestInfo, type RequestInfo } from '../endpoints/request-info.js';
import type { RegistryContext } from '../registry/context.js';
import type { Attributes, Authorizer } from './authorizer.js';
import { runAs } from './authorization-context.js';
import { forbiddenError } from './forbidden.js';
import { hasImpersonation, impersonate, type HeaderValues } from './impersonation.js';
import { PolicyIndex } from './rbac/policy-index.js';
import { privilegedGroupAuthorizer, RBACAuthorizer, unionAuthorizer } from './rbac/authorizer.js';
import { requestUser, setRequestUser } from './request-user.js';
import { ADMIN_USER, type UserInfo } from './user.js';

export interface AuthorizationOptions {
  ctx: RegistryContext;
}

export interface Authorization {
  authorizer: Authorizer;
  rbac: RBACAuthorizer;
  /** Resolves impersonation and authorizes one request: the user it acts as, or the error to answer. */
  check(requester: UserInfo, method: string, url: URL, info: RequestInfo | undefined, headers: HeaderValues): UserInfo | StatusError;
  /** Runs a handler with the request's user in the authorization context (escalation checks, reviews). */
  run<T>(user: UserInfo | undefined, fn: () => T): T;
}

/** A list or watch naming one object by field selector is about that object (requestinfo.go). */
function nameFromFieldSelector(query: URLSearchParams): string {
  const selector = query.get('fieldSelector');
  if (!selector) return '';
  for (const term of selector.split(',')) {
    const m = /^metadata\.name(==?)(.*)$/.exec(term.trim());
    if (m) return m[2]!;
  }
  return '';
}

export function requestAttributes(user: UserInfo, method: string, url: URL, info: RequestInfo | undefined): Attributes {
  if (!info || !info.isResourceRequest) return { user, verb: method.toLowerCase(), isResourceRequest: false, path: url.pathname };
  let name = info.name;
  if (!name && (info.verb === 'list' || info.verb === 'watch')) name = nameFromFieldSelector(url.searchParams);
  return {
    user,
    verb: info.verb,
    isResourceRequest: true,
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name,
  };
}

/**
 * The Impersonate-* headers, each repeated one as a list (Impersonate-Group may come several
 * times), from the raw header lines: node and inject's requests both keep them apart there.
 */
export function impersonationHeaders(rawHeaders: readonly string[]): HeaderValues {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (name.startsWith('impersonate-')) (out[name] ??= []).push(rawHeaders[i + 1]!);
  }
  return out;
}

export function registerAuthorization(app: FastifyInstance, opts: AuthorizationOptions): Authorization {
  const index = new PolicyIndex(opts.ctx.storage);
  const rbac = new RBACAuthorizer(index);
  const authorizer = unionAuthorizer(privilegedGroupAuthorizer, rbac);
  app.addHook('onClose', async () => index.stop());

  const check: Authorization['check'] = (requester, method, url, info, headers) => {
    let user = requester;
    if (hasImpersonation(headers)) {
      const impersonated = impersonate(requester, headers, authorizer);
      if (impersonated instanceof StatusError) return impersonated;
      user = impersonated;
    }
    const attrs = requestAttributes(user, method, url, info);
    const decision = authorizer.authorize(attrs);
    return decision.decision === 'allow' ? user : forbiddenError(attrs, decision.reason);
  };

  app.addHook('onRequest', async (req, reply) => {
    const url = new URL(req.url, 'http://kubesim');
    const info = parseRequestInfo(req.method, url.pathname, url.searchParams);
    const result = check(requestUser(req.raw), req.method, url, info, impersonationHeaders(req.raw.rawHeaders));
    if (!(result instanceof StatusError)) {
      setRequestUser(req.raw, result);
      return;
    }
    return reply.code(result.code).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(result.status));
  });

  return {
    authorizer,
    rbac,
    check,
    run: (user, fn) => runAs({ user: user ?? ADMIN_USER, authorizer, rbac }, fn),
  };
}
