// startCluster: one isolated kubesim cluster (storage, registry, HTTP server) on its own
// port. The CLI's `serve` and the test fixture both start clusters through here; the
// fixture's conveniences (apply, waitFor, events, clock.advance) live in src/fixture/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './apiserver/server.js';
import type { RequestLimits } from './apiserver/inflight-limit.js';
import { SystemNamespacesController } from './apiserver/system-namespaces.js';
import { bootstrapObjects } from './apiserver/bootstrap.js';
import { ResourceCatalog } from './apiserver/registry/catalog.js';
import { defaultIdentity, type RegistryContext } from './apiserver/registry/context.js';
import { realClock as runtimeRealClock, VirtualClock, type Clock as RuntimeClock } from './controllers/runtime/clock.js';
import { builtinResources } from './apiserver/registry/builtin/index.js';
import { MemoryStorage } from './apiserver/storage/memory.js';
import { attachPersistence } from './apiserver/storage/persistence/attach.js';
import type { DataSync } from './apiserver/storage/persistence/data-dir.js';
import { registerSnapshotEndpoint } from './apiserver/snapshot-endpoint.js';
import { CRDController } from './apiserver/registry/customresource/crd-controller.js';
import { GenericStore } from './apiserver/registry/generic-store.js';
import { InProcessClient } from './clients/in-process.js';
import { startControllers } from './controllers/index.js';
import { controllerUser, KUBE_CONTROLLER_MANAGER } from './apiserver/auth/rbac/controller-policy.js';
import type { Client } from './clients/interfaces.js';
import { renderKubeconfig, writeKubeconfig } from './clients/kubeconfig.js';
import type { KubeObject } from './apiserver/object.js';
import { applyManifests, type ApplyOptions } from './fixture/apply.js';
import { clusterClock, type ClusterClock } from './fixture/cluster-clock.js';
import { listEvents, type CoreEvent, type EventsOptions } from './fixture/events.js';
import type { Manifests } from './fixture/manifest-input.js';
import type { ObjectTarget } from './fixture/resolve.js';
import { waitFor, type WaitOptions, type WaitUntil } from './fixture/wait.js';
import { resolveClusterSecurity, type SecurityOptions } from './apiserver/auth/cluster-security.js';
import type { KeyPair } from './apiserver/auth/certificates.js';
import { loopbackHeaders } from './apiserver/auth/authentication-filter.js';

export interface ClusterOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** Controllers to run (they arrive with the controllers issue): 'all', 'none' or names. */
  controllers?: 'all' | 'none' | string[];
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Simulated nodes (default 1), for the scheduler and kubelet controllers. */
  nodes?: number;
  /** Where to write the kubeconfig; a temporary file when unset. */
  kubeconfigPath?: string;
  /** Events kept per resource for watch resume (older resourceVersions answer 410). */
  watchCacheSize?: number;
  /** Interval of watch bookmarks, in ms. */
  bookmarkIntervalMs?: number;
  /** Bytes a watcher may leave unread before it is cut off as too slow (default 16 MiB). */
  watchMaxPendingBytes?: number;
  /**
   * 'real' (the default), 'virtual' (time moves only with cluster.clock.advance(), the
   * /kubesim/clock/advance endpoint or `kubesim clock advance`), or a clock of your own.
   */
  clock?: 'real' | 'virtual' | RuntimeClock;
  /** Objects to create before startCluster resolves, as cluster.apply(manifests) would. */
  manifests?: Manifests;
  /**
   * Keep the cluster in this directory: every change is logged before it is answered, and the
   * next cluster started on the directory has the same objects, uids and resourceVersions.
   */
  dataDir?: string;
  /** 'always' (default): fsync each change; 'batch': fsync every 100 ms (a power cut may lose the last 100 ms). */
  dataSync?: DataSync;
  /** Changes between snapshots of the data dir (default 10,000). */
  snapshotEvery?: number;
  /** Start from this snapshot file (`kubesim snapshot save`); with dataDir, only into an empty dir. */
  restore?: string;
  /**
   * Max requests in flight (read-only 400, mutating 200), open watches per user (500) and the
   * request timeout (60 s), as kube-apiserver's --max-requests-inflight,
   * --max-mutating-requests-inflight and --request-timeout; 0 turns one off.
   */
  limits?: Partial<RequestLimits>;
  /**
   * Authentication: 'none' (the default on a loopback host: every request is the administrator)
   * or 'token' (the default, and required, on any other host): static tokens, ServiceAccount
   * tokens, client certificates; the kubeconfig then carries an administrator's token.
   */
  auth?: SecurityOptions['auth'];
  /** Static bearer tokens, as lines of a token file. */
  tokens?: SecurityOptions['tokens'];
  /** A kube-apiserver token file (CSV: token,user,uid,"group1,group2"). */
  tokenAuthFile?: string;
  /** With auth 'token': anonymous requests are system:anonymous (true, the default) or refused with 401. */
  anonymousAuth?: boolean;
  /** HTTPS: true generates a CA and serving certificate (the default with auth 'token'); or PEM files. */
  tls?: SecurityOptions['tls'];
}

export interface Cluster {
  url: string;
  port: number;
  host: string;
  kubeconfigPath: string;
  kubeconfig: string;
  /** The cluster's clock: every timestamp the server writes follows it; a virtual one moves with clock.advance('5m'). */
  clock: ClusterClock;
  /** A client of this cluster through the server's full request pipeline, with no socket. */
  client: Client;
  /** The fastify instance, for in-process requests with `inject`. */
  server: FastifyInstance;
  /**
   * Server-side applies YAML/JSON text, objects, or files and folders (one or an array):
   * Namespaces and CRDs first, a CRD's custom resources once it is served. The stored objects,
   * in the order given; throws an ApiError naming the manifest on the first failure.
   */
  apply(manifests: Manifests, options?: ApplyOptions): Promise<KubeObject[]>;
  /**
   * Until the object (`job/hello`, `deployment.apps/web`, or an object) satisfies `until`: a
   * predicate, `{ condition: 'Complete' }`, 'exists' or 'deleted'. Throws WaitTimeoutError,
   * with the object's last state, after `timeout` (default 10s of wall time).
   */
  waitFor<T extends KubeObject = KubeObject>(target: ObjectTarget, until: WaitUntil<T>, options?: WaitOptions): Promise<T | undefined>;
  /** The Events about an object (or every Event), oldest first. */
  events(target?: ObjectTarget, options?: EventsOptions): Promise<CoreEvent[]>;
  stop(): Promise<void>;
  /** The administrator's bearer token (auth 'token'), as the kubeconfig carries it. */
  adminToken?: string;
  /** PEM of the generated CA the kubeconfig trusts (tls: true). */
  certificateAuthority?: string;
  /** A client certificate signed by the generated CA, authenticating as `user` in `groups` (tls: true). */
  issueClientCertificate?(user: string, groups?: string[]): KeyPair;
  /** fetch against this cluster as its administrator, through the server with no socket (for loading manifests whatever the TLS and auth). */
  adminFetch: typeof fetch;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const host = options.host ?? '127.0.0.1';
  const security = resolveClusterSecurity({
    host,
    auth: options.auth,
    tokens: options.tokens,
    tokenAuthFile: options.tokenAuthFile,
    anonymousAuth: options.anonymousAuth,
    tls: options.tls,
  });
  for (const w of security.warnings) console.warn(`kubesim: ${w}`);
  const storage = new MemoryStorage({ eventHistorySize: options.watchCacheSize });
  // Before anything reads the store: CRDs, bootstrap objects and controllers see the restored state.
  const persistence = attachPersistence(storage, options);
  const clock: RuntimeClock =
    options.clock === 'virtual' ? new VirtualClock(new Date()) : options.clock === 'real' || options.clock === undefined ? runtimeRealClock : options.clock;
  const catalog = new ResourceCatalog(builtinResources({ now: () => clock.now() }));
  const ctx: RegistryContext = { storage, catalog, clock, ...defaultIdentity() };
  let address = `${host}:${options.port ?? 0}`;
  const server = buildServer({
    ctx,
    logLevel: options.logLevel ?? 'silent',
    serverAddress: () => address,
    clock,
    watch: { bookmarkIntervalMs: options.bookmarkIntervalMs, maxPendingBytes: options.watchMaxPendingBytes },
    limits: options.limits,
    authentication: security.authentication,
    ...(security.https ? { https: security.https } : {}),
  });
  // Serves custom resources as their CRDs become Established (apiextensions' controllers).
  const crdType = catalog.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  const crdController = crdType ? new CRDController(ctx, new GenericStore(crdType, ctx)) : undefined;
  crdController?.start();
  registerSnapshotEndpoint(server, storage);
  bootstrapObjects(server);
  const systemNamespaces = new SystemNamespacesController({ server, storage, clock });
  systemNamespaces.start();
  await server.listen({ port: options.port ?? 0, host }).catch(async (err: unknown) => {
    systemNamespaces.stop();
    crdController?.stop();
    persistence.close();
    throw err;
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (options.port ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  address = `${urlHost}:${port}`;
  const url = `${security.https ? 'https' : 'http'}://${urlHost}:${port}`;
  const kubeconfig = renderKubeconfig({ server: url, certificateAuthority: security.certificateAuthority, token: security.adminToken });
  let tempDir: string | undefined;
  let kubeconfigPath = options.kubeconfigPath;
  if (!kubeconfigPath) {
    tempDir = mkdtempSync(join(tmpdir(), 'kubesim-'));
    kubeconfigPath = join(tempDir, 'kubeconfig');
  }
  await writeKubeconfig(kubeconfigPath, kubeconfig);
  const client = new InProcessClient(server);
  // The controllers are API clients like any operator: in-process here, over the same pipeline.
  // Each under its own identity (system:serviceaccount:kube-system:<name>-controller...), the
  // shared informers as system:kube-controller-manager, as kube-controller-manager runs them.
  const controllerClients = [new InProcessClient(server, { user: KUBE_CONTROLLER_MANAGER })];
  const controllers = await startControllers({
    client: controllerClients[0]!,
    clientFor: (name) => {
      const c = new InProcessClient(server, { user: controllerUser(name) });
      controllerClients.push(c);
      return c;
    },
    clock,
    which: options.controllers ?? 'all',
    nodes: options.nodes,
  });
  const deps = { client, catalog };
  const stopAll = async () => {
    crdController?.stop();
    systemNamespaces.stop();
    await controllers.stop();
    client.close();
    for (const c of controllerClients) c.close();
    // Open watches would keep close() waiting: end them with the server.
    server.server.closeAllConnections?.();
    await server.close();
    // After the last write: the data dir is compacted and unlocked.
    persistence.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  if (options.manifests !== undefined) {
    try {
      await applyManifests(deps, options.manifests);
    } catch (e) {
      await stopAll();
      throw e;
    }
  }
  let stopped = false;
  // A helper called after stop() says so, instead of fastify's "already closed".
  const running = async <T>(call: () => Promise<T>): Promise<T> => {
    if (stopped) throw new Error(`the cluster at ${url} has been stopped`);
    return call();
  };
  const clusterTime = clusterClock(clock, server);
  return {
    url,
    port,
    host,
    kubeconfigPath,
    kubeconfig,
    clock: { ...clusterTime, advance: (duration) => running(() => clusterTime.advance(duration)) },
    client,
    server,
    apply: (manifests, applyOptions) => running(() => applyManifests(deps, manifests, applyOptions)),
    waitFor: (target, until, waitOptions) => running(() => waitFor(deps, target, until, waitOptions)),
    events: (target, eventsOptions) => running(() => listEvents(deps, target, eventsOptions)),
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
    },
    ...(security.adminToken ? { adminToken: security.adminToken } : {}),
    ...(security.certificateAuthority ? { certificateAuthority: security.certificateAuthority } : {}),
    ...(security.ca ? { issueClientCertificate: security.ca.issueClient } : {}),
    adminFetch: async (input, init) => {
      const u = new URL(input instanceof Request ? input.url : String(input));
      const headers = { ...Object.fromEntries(new Headers(init?.headers).entries()), ...loopbackHeaders(server) };
      const res = await server.inject({
        method: (init?.method ?? 'GET') as 'GET',
        url: u.pathname + u.search,
        headers,
        ...(init?.body !== undefined && init.body !== null ? { payload: String(init.body) } : {}),
      });
      return new Response(res.statusCode === 204 ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: res.headers as Record<string, string> });
    },
  };
}
