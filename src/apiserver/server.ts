// buildServer: the HTTP face of the API server. Every route is registered before listen;
// resources are dispatched per request through the catalogue (custom resources will be
// added at run time), so the path reads: HTTP -> request info -> handler for the verb ->
// the resource's store and strategy -> storage.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import * as errors from './errors.js';
import { registerClockEndpoint } from './clock-endpoint.js';
import { RequestActivity } from './request-activity.js';
import { realClock as runtimeRealClock, VirtualClock, type Clock as RuntimeClock } from '../controllers/runtime/clock.js';
import { Discovery, aggregatedDiscoveryVersion } from './endpoints/discovery.js';
import { createHandler } from './endpoints/handlers/create.js';
import { deleteCollectionHandler } from './endpoints/handlers/delete-collection.js';
import { deleteHandler } from './endpoints/handlers/delete.js';
import { namespaceDeleteHandler } from './endpoints/handlers/namespace-delete.js';
import { admitNamespaceLifecycle } from './admission/namespace-lifecycle.js';
import { getHandler } from './endpoints/handlers/get.js';
import { listHandler } from './endpoints/handlers/list.js';
import { patchHandler } from './endpoints/handlers/patch.js';
import { bindingHandler } from './endpoints/handlers/binding.js';
import { logHandler } from './endpoints/handlers/log.js';
import { scaleHandler } from './endpoints/handlers/scale.js';
import { updateHandler } from './endpoints/handlers/update.js';
import { watchHandler, type WatchServerOptions } from './endpoints/handlers/watch.js';
import { wantsYAML } from './endpoints/negotiation.js';
import type { ApiRequest, ApiResponse } from './endpoints/request.js';
import { parseRequestInfo, type NonResourceRequestInfo, type ResourceRequestInfo } from './endpoints/request-info.js';
import { encodeOpenAPIV2, negotiateOpenAPIV2, OPENAPI_V2_JSON_CONTENT_TYPE, OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from './openapi/v2/protobuf.js';
import { openAPIV2Document, openAPIV2JSON } from './openapi/v2/swagger.js';
import { openAPIV3Index, openAPIV3SerializedDocument } from './openapi/v3.js';
import type { RegistryContext } from './registry/context.js';
import { GenericStore } from './registry/generic-store.js';
import { toJSON } from './storage/stored-copy.js';
import type { ResourceType, Verb } from './registry/strategy.js';
import { stringify as toYAML } from 'yaml';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { InProcessResponse } from './endpoints/in-process-response.js';
import { admitResourceQuota } from './admission/resource-quota.js';
import { ApiServerMetrics } from './metrics.js';
import { DEFAULT_REQUEST_LIMITS, InFlightLimiter, type RequestLimits } from './inflight-limit.js';
import { requestUser } from './auth/request-user.js';
import { registerAuthentication, type AuthenticationOptions } from './auth/authentication-filter.js';
import { authenticationAPIHandler, isAuthenticationAPIRequest, serviceAccountTokensFor } from './auth/authentication-api.js';
import { ADMIN_USER, type UserInfo } from './auth/user.js';
import { registerAuthorization } from './auth/authorization-filter.js';
import { accessReviewHandler } from './auth/access-review-handler.js';
import { StatusError } from './errors.js';

export const KUBERNETES_VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.0' };

/** kube-apiserver's limit on a request body (3 MiB; bigger ones answer 413). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export interface ServerOptions {
  ctx: RegistryContext;
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  watch?: { [K in keyof WatchServerOptions]?: WatchServerOptions[K] | undefined };
  /** The address clients reach the server at (for /api serverAddressByClientCIDRs). */
  serverAddress?: () => string;
  version?: string;
  /** The cluster clock with timers, for the /kubesim/clock endpoint (a VirtualClock can be advanced). */
  clock?: RuntimeClock;
  /** Max requests in flight, watches per user, request timeout (inflight-limit.ts); kube's defaults otherwise. */
  limits?: { [K in keyof RequestLimits]?: RequestLimits[K] | undefined };
  /** Authentication (default: mode 'none', every request without valid credentials is the administrator). */
  authentication?: Omit<AuthenticationOptions, 'serviceAccountTokens'>;
  /** Serve HTTPS with this certificate; with clientCA, client certificates signed by it authenticate. */
  https?: { cert: string; key: string; clientCA?: string };
}

const STATUS_SUBRESOURCE_VERBS = new Set(['get', 'update', 'patch']);

function send(reply: FastifyReply, res: DirectResponse): FastifyReply {
  return reply.code(res.status).headers(res.headers).send(res.body);
}

function sendStatus(reply: FastifyReply, err: unknown): FastifyReply {
  return send(reply, statusResponse(err));
}

function sendResponse(req: FastifyRequest, reply: FastifyReply, res: ApiResponse): FastifyReply {
  return send(reply, encodeResponse(res, req.headers.accept));
}

export function buildServer(opts: ServerOptions): FastifyInstance {
  const { ctx } = opts;
  const app = Fastify({
    logger: opts.logLevel && opts.logLevel !== 'silent' ? { level: opts.logLevel } : false,
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // Client certificates are asked for, not required: one that does not verify is refused by
    // the x509 authenticator (401), and requests without one fall to the bearer token.
    ...(opts.https
      ? { https: { cert: opts.https.cert, key: opts.https.key, ...(opts.https.clientCA ? { ca: opts.https.clientCA, requestCert: true, rejectUnauthorized: false } : {}) } }
      : {}),
  }) as unknown as FastifyInstance;
  const authenticator = registerAuthentication(app, { mode: 'none', ...opts.authentication, serviceAccountTokens: serviceAccountTokensFor(ctx) });
  // Open watches, ended when the server closes (in-process watches hold no socket to cut).
  const openWatches = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const close of [...openWatches]) close();
  });
  // Impersonation and authorization for every request (after authentication's hook).
  const authz = registerAuthorization(app, { ctx });
  const watchOpts: WatchServerOptions = {
    track: (close) => {
      openWatches.add(close);
      return () => openWatches.delete(close);
    },
    bookmarkIntervalMs: opts.watch?.bookmarkIntervalMs ?? 60_000,
    maxPendingBytes: opts.watch?.maxPendingBytes ?? 16 * 1024 * 1024,
    defaultTimeoutSeconds: opts.watch?.defaultTimeoutSeconds ?? (() => 1800 + Math.floor(Math.random() * 1800)),
  };
  const discovery = new Discovery(ctx.catalog, opts.serverAddress ?? (() => '127.0.0.1:6443'));
  const stores = new WeakMap<ResourceType, GenericStore>();
  const storeFor = (rt: ResourceType) => {
    let s = stores.get(rt);
    if (!s) stores.set(rt, (s = new GenericStore(rt, ctx)));
    return s;
  };

  // Bodies stay raw bytes: handlers decode them, so a bad body is a Status, not a framework error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendStatus(reply, errors.requestEntityTooLarge('limit is 3145728'));
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendStatus(reply, errors.unsupportedMediaType(['application/json', 'application/yaml']));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return sendStatus(reply, errors.badRequest(err.message));
    return sendStatus(reply, err);
  });
  app.setNotFoundHandler((_req, reply) => sendStatus(reply, errors.pathNotFound()));

  // /metrics, max requests in flight, request timeouts and the watches-per-user cap.
  const limiter = new InFlightLimiter(requestLimits(opts.limits));
  const metrics = new ApiServerMetrics(ctx, limiter);
  metrics.register(app);
  limiter.register(app);
  /** A long-running request's slot in the metrics (and, over HTTP, its user's watch count), given back when it closes. */
  const openLongRunning = (info: ResourceRequestInfo, rt: ResourceType, method: string, closed: { once(ev: 'close', f: () => void): unknown }, release?: () => void) => {
    const end = metrics.openLongRunning(info, rt, method);
    closed.once('close', () => {
      end();
      release?.();
    });
  };

  const text = (body: string) => (_req: FastifyRequest, reply: FastifyReply) => reply.header('content-type', 'text/plain; charset=utf-8').send(body);
  for (const path of ['/healthz', '/livez', '/readyz']) app.get(path, text('ok'));
  let activity: RequestActivity | undefined;
  if (opts.clock) {
    // Only a virtual clock is advanced step by step, waiting for requests to die down: on the
    // real clock, counting every request would be work for nothing.
    activity = opts.clock instanceof VirtualClock ? new RequestActivity() : undefined;
    activity?.register(app);
    registerClockEndpoint(app, opts.clock, activity);
  }
  app.get('/version', (_req, reply) => {
    reply.send({
      ...KUBERNETES_VERSION,
      gitVersion: opts.version ?? KUBERNETES_VERSION.gitVersion,
      gitCommit: 'kubesim',
      gitTreeState: 'clean',
      buildDate: '2026-01-01T00:00:00Z',
      goVersion: `node${process.versions.node}`,
      compiler: 'kubesim',
      platform: `${process.platform}/${process.arch}`,
    });
  });

  const openapiOpts = { version: opts.version ?? KUBERNETES_VERSION.gitVersion };
  app.get('/openapi/v3', (_req, reply) => reply.send(openAPIV3Index(ctx.catalog.all(), openapiOpts)));
  app.get('/openapi/v3/*', (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    const doc = openAPIV3SerializedDocument(path, ctx.catalog.all(), openapiOpts);
    if (!doc) return sendStatus(reply, errors.pathNotFound());
    // As kube-openapi: a URL with the current hash is immutable; a stale hash redirects to the current one.
    const hash = new URL(req.url, 'http://kubesim').searchParams.get('hash');
    if (hash && hash !== doc.hash) return reply.redirect(`/openapi/v3/${path}?hash=${doc.hash}`, 301);
    reply.header('content-type', 'application/json').header('etag', `"${doc.hash}"`);
    if (hash) reply.header('cache-control', 'public, immutable');
    else reply.header('cache-control', 'no-cache, private');
    return reply.send(doc.json);
  });

  // Swagger 2.0 for kubectl 1.27 and 1.28 (explain, and apply's field-validation check), which
  // read /openapi/v2 and decode it only as gnostic protobuf.
  app.get('/openapi/v2', (req, reply) => {
    const doc = openAPIV2Document(ctx.catalog.all(), openapiOpts);
    const kind = negotiateOpenAPIV2(req.headers.accept);
    reply.header('vary', 'Accept');
    if (kind === 'protobuf') return reply.type(OPENAPI_V2_PROTOBUF_CONTENT_TYPE).send(encodeOpenAPIV2(doc));
    if (kind === 'json') return reply.type(OPENAPI_V2_JSON_CONTENT_TYPE).send(openAPIV2JSON(doc));
    return sendStatus(reply, errors.notAcceptable(['application/json', OPENAPI_V2_PROTOBUF_CONTENT_TYPE]));
  });

  const dispatch = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(req.url, 'http://kubesim');
    const info = parseRequestInfo(req.method, url.pathname, url.searchParams);
    if (!info) return sendStatus(reply, errors.pathNotFound());
    if (!info.isResourceRequest) {
      if (req.method !== 'GET') return sendStatus(reply, errors.methodNotSupported({ group: '', resource: info.path }, req.method));
      const doc = discoveryDocument(info, req.headers.accept);
      if (!doc) return sendStatus(reply, errors.pathNotFound());
      // Aggregated discovery as a Buffer, so fastify sends the content type exactly as written (clients compare it).
      return reply.header('content-type', doc.contentType).header('vary', 'Accept').send(doc.aggregated ? Buffer.from(doc.body) : doc.body);
    }
    try {
      const r = resourceRequest(info, url, req.headers, req.body as Buffer | undefined, requestUser(req.raw));
      const rt = r.rt;
      metrics.noteResource(req.raw, info, rt);
      const authAnswer = authenticationAPIHandler(r, { authenticator });
      if (authAnswer) return sendResponse(req, reply, await authAnswer);
      if (info.subresource === 'log') {
        const stream = logHandler(r, { clock: opts.clock ?? runtimeRealClock, track: watchOpts.track });
        openLongRunning(info, rt, req.method, reply.raw);
        reply.hijack();
        stream(reply.raw);
        return reply;
      }
      if (info.verb === 'watch') {
        const stream = watchHandler(r, watchOpts);
        openLongRunning(info, rt, req.method, reply.raw, limiter.openWatch(requestUser(req.raw)));
        if (rt.deprecationWarning) reply.raw.setHeader('Warning', `299 - ${JSON.stringify(rt.deprecationWarning)}`);
        reply.hijack();
        stream(reply.raw);
        return reply;
      }
      return sendResponse(req, reply, answer(r));
    } catch (e) {
      return sendStatus(reply, e);
    }
  };
  /** /api, /apis and the group and version documents below them; undefined for a group or version not served. */
  const discoveryDocument = (info: NonResourceRequestInfo, accept: string | undefined) => {
    const agg = aggregatedDiscoveryVersion(accept);
    if ((info.path === '/api' || info.path === '/apis') && agg) {
      const body = JSON.stringify(discovery.aggregated(info.path === '/api', agg));
      return { contentType: `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`, body, aggregated: true };
    }
    let doc: unknown;
    if (info.path === '/api') doc = discovery.apiVersions();
    else if (info.path === '/apis') doc = discovery.apiGroupList();
    else if (info.version) doc = discovery.apiResourceList(info.group ?? '', info.version);
    else doc = discovery.apiGroup(info.group ?? '');
    return doc ? { contentType: 'application/json', body: JSON.stringify(doc), aggregated: false } : undefined;
  };
  const resourceRequest = (info: ResourceRequestInfo, url: URL, headers: ApiRequest['headers'], body: Buffer | undefined, user: UserInfo): ApiRequest => {
    const rt = resolveResource(ctx, info);
    return { info, rt, store: storeFor(rt), ctx, query: url.searchParams, headers, body, user };
  };
  const answer = (r: ApiRequest): ApiResponse => {
    const res = authz.run(r.user, () => handle(r));
    if (r.rt.deprecationWarning) res.warnings = [r.rt.deprecationWarning, ...(res.warnings ?? [])];
    return res;
  };
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
  for (const url of ['/api', '/api/*', '/apis', '/apis/*']) app.route({ method: [...methods], url, handler: dispatch });

  // The in-process client's short resource requests: the same request info, handler and
  // response as `dispatch`, without building fastify's request and reply (inject), which
  // costs more than the handler itself. Anything else takes the full path.
  const request: DirectDispatch = (req) => {
    if (!DIRECT_METHODS.has(req.method)) return undefined;
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    if (body && body.length > MAX_REQUEST_BODY_BYTES) return undefined;
    const { url, info, headers } = parseDirect(req);
    const user = authz.check(req.user ?? ADMIN_USER, req.method, url, info, headers);
    if (user instanceof StatusError) return statusResponse(user);
    if (info && !info.isResourceRequest && req.method === 'GET') {
      const doc = discoveryDocument(info, req.headers.accept);
      if (!doc) return undefined;
      activity?.noteRequest();
      // fastify adds the charset to a string body's plain JSON type, not to the aggregated one sent as bytes.
      return { status: 200, headers: { 'content-type': doc.aggregated ? doc.contentType : JSON_UTF8, vary: 'Accept' }, body: Buffer.from(doc.body) };
    }
    if (!info?.isResourceRequest || info.verb === 'watch' || info.subresource === 'log' || isAuthenticationAPIRequest(info)) return undefined;
    activity?.noteRequest();
    const start = performance.now();
    let rt: ResourceType | undefined;
    let res: DirectResponse;
    try {
      const r = resourceRequest(info, url, headers, body, user);
      rt = r.rt;
      res = encodeResponse(answer(r), req.headers.accept);
    } catch (e) {
      res = statusResponse(e);
    }
    metrics.recordDirect(info, rt, req.method, headers['content-type'] as string | undefined, res.status, (performance.now() - start) / 1000);
    return res;
  };
  // A watch, streamed into an InProcessResponse the client reads; errors before the stream
  // starts are ordinary Status answers, as over HTTP.
  const watch: DirectWatch = (req) => {
    if (req.method !== 'GET') return undefined;
    const { url, info, headers } = parseDirect(req);
    if (!info?.isResourceRequest || info.verb !== 'watch') return undefined;
    const user = authz.check(req.user ?? ADMIN_USER, req.method, url, info, headers);
    const res = new InProcessResponse();
    try {
      if (user instanceof StatusError) throw user;
      const r = resourceRequest(info, url, headers, undefined, user);
      const stream = watchHandler(r, watchOpts);
      openLongRunning(info, r.rt, req.method, res.body);
      if (r.rt.deprecationWarning) res.setHeader('Warning', `299 - ${JSON.stringify(r.rt.deprecationWarning)}`);
      stream(res as unknown as ServerResponse);
    } catch (e) {
      const answer = statusResponse(e);
      return { ...answer, body: Readable.from([answer.body]), cancel: () => undefined };
    }
    return { status: res.statusCode, headers: res.headers, body: res.body, cancel: () => res.cancel() };
  };
  directDispatchers.set(app, { request, watch });
  return app;
}

/** What dispatch reads from a fastify request, from a direct one: URL, request info, lower-case headers. */
function parseDirect(req: DirectRequest): { url: URL; info: ReturnType<typeof parseRequestInfo>; headers: ApiRequest['headers'] } {
  const url = new URL(req.url, 'http://kubesim');
  const headers: ApiRequest['headers'] = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  return { url, info: parseRequestInfo(req.method, url.pathname, url.searchParams), headers };
}

function statusResponse(e: unknown): DirectResponse {
  const err = errors.toStatusError(e);
  const headers: Record<string, string> = { 'content-type': JSON_UTF8 };
  // As kube's responsewriters: a Status that says when to retry says it in Retry-After too.
  const retryAfter = err.status.details?.retryAfterSeconds;
  if (retryAfter) headers['retry-after'] = String(retryAfter);
  return { status: err.code, headers, body: Buffer.from(JSON.stringify(err.status)) };
}

function requestLimits(given: ServerOptions['limits']): RequestLimits {
  const limits = { ...DEFAULT_REQUEST_LIMITS };
  for (const key of Object.keys(limits) as (keyof RequestLimits)[]) {
    const v = given?.[key];
    if (v !== undefined) limits[key] = v;
  }
  return limits;
}

export interface DirectRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Whom the request is from (the in-process client's identity); the administrator when unset. */
  user?: UserInfo;
}

export interface DirectResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Answers a short resource request in-process, or undefined when it must go through the server (watch, logs, an oversized body). */
export type DirectDispatch = (req: DirectRequest) => DirectResponse | undefined;

/** Opens a watch in-process, or undefined when the request is not one. */
export type DirectWatch = (req: DirectRequest) => (Omit<DirectResponse, 'body'> & { body: Readable; cancel(): void }) | undefined;

export interface DirectDispatcher {
  request: DirectDispatch;
  watch: DirectWatch;
}

/** What fastify makes of 'application/json' for a string body. */
const JSON_UTF8 = 'application/json; charset=utf-8';
const DIRECT_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const directDispatchers = new WeakMap<FastifyInstance, DirectDispatcher>();

/** The direct path of a server buildServer made, for the in-process transport. */
export function directDispatcher(app: FastifyInstance): DirectDispatcher | undefined {
  return directDispatchers.get(app);
}

/** A handler's answer as the bytes and headers sent, over HTTP and in-process alike. */
function encodeResponse(res: ApiResponse, accept: string | undefined): DirectResponse {
  const headers: Record<string, string | string[]> = {};
  if (res.warnings?.length) headers.warning = res.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  if (wantsYAML(accept)) {
    headers['content-type'] = 'application/yaml';
    return { status: res.code, headers, body: Buffer.from(toYAML(res.body)) };
  }
  headers['content-type'] = JSON_UTF8;
  return { status: res.code, headers, body: Buffer.from(res.raw ?? toJSON(res.body)) };
}

function handle(r: ApiRequest): ApiResponse {
  // Before namespace lifecycle admission, which exempts access reviews.
  if (r.rt.group === 'authorization.k8s.io') return accessReviewHandler(r);
  admitNamespaceLifecycle(r);
  admitResourceQuota(r);
  if (r.info.subresource === 'scale') return scaleHandler(r);
  if (r.info.subresource === 'binding') return bindingHandler(r);
  switch (r.info.verb) {
    case 'get':
      return getHandler(r);
    case 'list':
      return listHandler(r);
    case 'create':
      return createHandler(r);
    case 'update':
      return updateHandler(r);
    case 'patch':
      return patchHandler(r);
    case 'delete':
      return r.rt.group === '' && r.rt.resource === 'namespaces' ? namespaceDeleteHandler(r) : deleteHandler(r);
    case 'deletecollection':
      return deleteCollectionHandler(r);
    default:
      throw errors.methodNotSupported({ group: r.rt.group, resource: r.rt.resource }, r.info.verb);
  }
}

/** Finds the resource a request names, or the 404 / 405 kube-apiserver gives. */
function resolveResource(ctx: RegistryContext, info: ResourceRequestInfo): ResourceType {
  const rt = ctx.catalog.lookup(info.group, info.version, info.resource);
  if (!rt || info.extraParts.length > 0) throw errors.pathNotFound();
  if (!rt.namespaced && info.namespace && info.resource !== 'namespaces') throw errors.pathNotFound();
  if (info.subresource) {
    const binding = info.subresource === 'binding' && rt.group === '' && rt.resource === 'pods';
    const log = info.subresource === 'log' && rt.group === '' && rt.resource === 'pods';
    // serviceaccounts/token: TokenRequest, create only (answered by the authentication API).
    if (info.subresource === 'token' && rt.group === '' && rt.resource === 'serviceaccounts' && info.name) {
      if (info.verb !== 'create') throw errors.methodNotSupported({ group: '', resource: 'serviceaccounts/token' }, info.verb);
      return rt;
    }
    // namespaces/finalize and the like: PUT only (kube's FinalizeREST has no Get, so no PATCH either).
    const updateOnly = Boolean(rt.strategy.subresourceUpdates?.[info.subresource]);
    const supported = (info.subresource === 'status' && rt.subresources?.status) || (info.subresource === 'scale' && rt.subresources?.scale) || binding || log || updateOnly;
    if (!supported || !info.name) throw errors.pathNotFound();
    if (updateOnly) {
      if (info.verb !== 'update') throw errors.methodNotSupported({ group: rt.group, resource: `${rt.resource}/${info.subresource}` }, info.verb);
      return rt;
    }
    if (log) {
      if (info.verb !== 'get') throw errors.methodNotSupported({ group: '', resource: 'pods/log' }, info.verb);
      return rt;
    }
    if (binding) {
      if (info.verb !== 'create') throw errors.methodNotSupported({ group: '', resource: 'pods/binding' }, info.verb);
      return rt;
    }
    if (!STATUS_SUBRESOURCE_VERBS.has(info.verb)) {
      throw errors.methodNotSupported({ group: rt.group, resource: `${rt.resource}/${info.subresource}` }, info.verb);
    }
    return rt;
  }
  if (info.namespace === '' && rt.namespaced && (info.verb === 'create' || info.name)) {
    // Namespaced objects are addressed through /namespaces/{ns}/...; POST /api/v1/pods is not a route.
    throw errors.pathNotFound();
  }
  if (!rt.verbs.includes(info.verb as Verb)) {
    throw errors.methodNotSupported({ group: rt.group, resource: rt.resource }, info.verb);
  }
  return rt;
}
