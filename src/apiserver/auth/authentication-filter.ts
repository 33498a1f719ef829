// The authentication filter (k8s.io/apiserver pkg/endpoints/filters/authentication.go): every
// request, on every route (/version, /openapi and /healthz included), is authenticated before
// anything else looks at it; the user is kept beside the raw request for authorization and the
// handlers. A request no authenticator accepts gets kube's 401 Status, message "Unauthorized".
import { randomBytes } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RequestAuthenticator, type AuthenticatorConfig, type Credentials } from './authenticator.js';
import { setRequestUser } from './request-user.js';
import { ADMIN_USER } from './user.js';

export type AuthenticationOptions = Omit<AuthenticatorConfig, 'loopbackToken'>;

/** kube's responsewriters.UnauthorizedError body. */
export const UNAUTHORIZED_STATUS = Object.freeze({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
});

const loopbackTokens = new WeakMap<FastifyInstance, string>();
const authenticators = new WeakMap<FastifyInstance, RequestAuthenticator>();

export function registerAuthentication(app: FastifyInstance, opts: AuthenticationOptions): RequestAuthenticator {
  // The in-process client's requests that go through fastify (inject) carry this token, as
  // kube-apiserver's own loopback client carries a token generated at start.
  const loopbackToken = randomBytes(32).toString('base64url');
  const authenticator = new RequestAuthenticator({ ...opts, loopbackToken });
  loopbackTokens.set(app, loopbackToken);
  authenticators.set(app, authenticator);
  app.addHook('onRequest', (req, reply, done) => {
    const creds = credentialsOf(req);
    // --auth none without credentials: the administrator, with no promise on the hot path.
    if (opts.mode === 'none' && creds.authorization === undefined && creds.clientCertificate === undefined) {
      setRequestUser(req.raw, ADMIN_USER);
      return done();
    }
    authenticator.authenticate(creds).then(
      (result) => {
        if (!result.ok) {
          req.log.info({ reason: result.reason }, 'Unable to authenticate the request');
          reply.code(401).header('content-type', 'application/json').header('cache-control', 'no-cache, private').send(JSON.stringify(UNAUTHORIZED_STATUS));
          return;
        }
        setRequestUser(req.raw, result.user);
        done();
      },
      (err: Error) => done(err),
    );
  });
  return authenticator;
}

/** Headers that make an injected request the administrator's (the in-process client's). */
export function loopbackHeaders(app: FastifyInstance): Record<string, string> {
  const token = loopbackTokens.get(app);
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The authenticator registered on a server, for TokenReview. */
export function requestAuthenticator(app: FastifyInstance): RequestAuthenticator | undefined {
  return authenticators.get(app);
}

function credentialsOf(req: FastifyRequest): Credentials {
  const creds: Credentials = { authorization: req.headers.authorization };
  const socket = req.raw.socket as Partial<TLSSocket> | undefined;
  if (socket && typeof socket.getPeerCertificate === 'function') {
    const peer = socket.getPeerCertificate();
    if (peer && Object.keys(peer).length > 0) {
      creds.clientCertificate = { authorized: socket.authorized === true, subject: peer.subject as unknown as Record<string, string | string[]> };
    }
  }
  return creds;
}
