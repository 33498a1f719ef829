// `kubesim serve`: start a cluster, write its kubeconfig, load manifests, print a banner, and
// stop cleanly on SIGINT/SIGTERM. The cluster and the signals are injected so the flow is
// testable without a socket.
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Cluster, ClusterOptions } from '../cluster.js';
import { classroomAccounts, classroomTokens, openClassroom } from '../classroom/setup.js';
import type { StudentAccount } from '../classroom/accounts.js';
import { DEFAULT_CONTEXT_NAME, defaultKubeconfigPath, mergeKubeconfigContext, writeKubeconfig } from '../clients/kubeconfig.js';
import { applyManifests, formatApplyResult, loadManifestPaths, type LoadedManifest } from '../manifests/index.js';
import type { ServeFlags } from './args.js';
import { describeError, type CliIO } from './io.js';
import { packageVersion } from './version.js';

/** The part of a Cluster that serve uses; a fake in tests need not build a server. */
export type RunningCluster = Pick<Cluster, 'url' | 'port' | 'host' | 'kubeconfigPath' | 'kubeconfig' | 'stop'> & Partial<Pick<Cluster, 'adminFetch' | 'adminToken' | 'certificateAuthority'>>;

export interface SignalListener {
  /** Resolves with the name of the first SIGINT or SIGTERM. */
  next: Promise<string>;
  dispose(): void;
}

export interface ServeDeps {
  startCluster(options: ClusterOptions): Promise<RunningCluster>;
  listenForSignals(): SignalListener;
  /** How long stop() may take before kubesim gives up waiting. Default 5s. */
  stopTimeoutMs?: number;
}

export const DEFAULT_KUBECONFIG = join('.kubesim', 'kubeconfig');

export function defaultServeDeps(): ServeDeps {
  return {
    // Imported on demand so `--help` and `--version` never load the server.
    startCluster: async (options) => (await import('../cluster.js')).startCluster(options),
    listenForSignals: processSignals,
  };
}

/** Runs until a signal arrives; resolves with the process exit code. */
export async function serve(flags: ServeFlags, io: CliIO, deps: ServeDeps = defaultServeDeps()): Promise<number> {
  // Listen before starting, so a signal during start-up still ends in a clean stop.
  const signals = deps.listenForSignals();
  try {
    return await run(flags, io, deps, signals);
  } finally {
    signals.dispose();
  }
}

async function run(flags: ServeFlags, io: CliIO, deps: ServeDeps, signals: SignalListener): Promise<number> {
  // Read manifests first: a typo in a path fails fast, before anything listens.
  let manifests: LoadedManifest[] = [];
  try {
    manifests = await loadManifestPaths(flags.load, { cwd: io.cwd });
  } catch (err) {
    io.err(`error: ${describeError(err)}`);
    return 1;
  }

  const kubeconfigPath = resolve(io.cwd, flags.kubeconfig ?? DEFAULT_KUBECONFIG);
  const classroom = flags.classroom && { ...flags.classroom, dir: resolve(io.cwd, flags.classroom.dir), ...(flags.classroom.roster !== undefined ? { roster: resolve(io.cwd, flags.classroom.roster) } : {}) };
  let accounts: StudentAccount[] = [];
  try {
    if (classroom) accounts = await classroomAccounts(classroom);
  } catch (err) {
    io.err(`kubesim: ${describeError(err)}`);
    return 1;
  }
  let cluster: RunningCluster;
  try {
    await mkdir(dirname(kubeconfigPath), { recursive: true });
    cluster = await deps.startCluster({
      port: flags.port,
      host: flags.host,
      controllers: flags.controllers,
      logLevel: flags.logLevel,
      kubeconfigPath,
      clock: flags.clock,
      nodes: flags.nodes,
      dataDir: flags.dataDir === undefined ? undefined : resolve(io.cwd, flags.dataDir),
      dataSync: flags.dataSync,
      snapshotEvery: flags.snapshotEvery,
      restore: flags.restore === undefined ? undefined : resolve(io.cwd, flags.restore),
      limits: flags.limits,
      // Only when given: startCluster picks the defaults from the host.
      ...(flags.auth !== undefined ? { auth: flags.auth } : {}),
      ...(accounts.length ? { tokens: classroomTokens(accounts) } : {}),
      ...(flags.tokenAuthFile !== undefined ? { tokenAuthFile: resolve(io.cwd, flags.tokenAuthFile) } : {}),
      ...(flags.anonymousAuth !== undefined ? { anonymousAuth: flags.anonymousAuth } : {}),
      ...(flags.tls !== undefined ? { tls: typeof flags.tls === 'boolean' ? flags.tls : resolveTLSFiles(flags.tls, io.cwd) } : {}),
    });
  } catch (err) {
    io.err(startError(err, flags));
    return 1;
  }

  try {
    // Written here too, so the file exists with mode 0600 whatever the cluster did with it.
    await writeKubeconfig(kubeconfigPath, cluster.kubeconfig);
    const merged = flags.mergeKubeconfig ? await merge(cluster, io) : undefined;
    await load(cluster, manifests, io);
    if (classroom) {
      if (!cluster.adminFetch) throw new Error('a class needs a cluster that can be set up as its administrator');
      await openClassroom({ url: cluster.url, adminFetch: cluster.adminFetch, ...(cluster.certificateAuthority ? { certificateAuthority: cluster.certificateAuthority } : {}) }, accounts, classroom);
      io.out(`A class of ${accounts.length}: each student's kubeconfig is <name>.kubeconfig in ${classroom.dir} (hand each one out; tokens.csv there holds every token)`);
    }
    const kept = flags.dataDir === undefined ? undefined : `Keeping data in ${resolve(io.cwd, flags.dataDir)} (--data-sync ${flags.dataSync ?? 'always'}).`;
    printBanner(cluster, kubeconfigPath, merged, io, flags.clock === 'virtual', kept);
  } catch (err) {
    io.err(`kubesim: ${describeError(err)}`);
    await stopWithin(cluster, deps.stopTimeoutMs ?? 5000, io);
    return 1;
  }

  await signals.next;
  return (await stopWithin(cluster, deps.stopTimeoutMs ?? 5000, io)) ? 0 : 1;
}

async function load(cluster: RunningCluster, manifests: LoadedManifest[], io: CliIO): Promise<void> {
  if (manifests.length === 0) return;
  // As the administrator, through the server with no socket, whatever its TLS and authentication.
  for (const result of await applyManifests(cluster.url, manifests, cluster.adminFetch ? { fetch: cluster.adminFetch } : {})) {
    if (result.action === 'error') io.err(formatApplyResult(result));
    else io.out(formatApplyResult(result));
  }
}

/** A merge failure is reported but not fatal: the kubeconfig kubesim wrote still works. */
async function merge(cluster: RunningCluster, io: CliIO): Promise<string | undefined> {
  const target = defaultKubeconfigPath(io.env, io.home);
  try {
    const result = await mergeKubeconfigContext(target, cluster.kubeconfig);
    return result.currentContextSet
      ? `Merged context "${DEFAULT_CONTEXT_NAME}" into ${target} and made it the current context.`
      : `Merged context "${DEFAULT_CONTEXT_NAME}" into ${target}; use it with: kubectl --context ${DEFAULT_CONTEXT_NAME} get ns`;
  } catch (err) {
    io.err(`kubesim: could not merge the kubeconfig into ${target}: ${describeError(err)}`);
    return undefined;
  }
}

function printBanner(cluster: RunningCluster, kubeconfigPath: string, merged: string | undefined, io: CliIO, virtualClock: boolean, kept?: string): void {
  io.out(`kubesim ${packageVersion()} is serving the Kubernetes API at ${cluster.url}`);
  if (cluster.adminToken) io.out('Authentication is on (--auth token): the kubeconfig below is the administrator\'s (a token of kubernetes-admin, group system:masters).');
  io.out(`  export KUBECONFIG=${shellQuote(kubeconfigPath)}`);
  io.out('  kubectl get ns');
  if (virtualClock) io.out('  kubesim clock advance 5m   (the clock is virtual: it moves only when told)');
  if (merged) io.out(merged);
  if (kept) io.out(kept);
  io.out('Press Ctrl+C to stop.');
}

function resolveTLSFiles(tls: { certFile: string; keyFile: string; clientCAFile?: string }, cwd: string) {
  return {
    certFile: resolve(cwd, tls.certFile),
    keyFile: resolve(cwd, tls.keyFile),
    ...(tls.clientCAFile !== undefined ? { clientCAFile: resolve(cwd, tls.clientCAFile) } : {}),
  };
}

/** Stops the cluster; false (with a message) when it takes longer than `ms`. */
async function stopWithin(cluster: RunningCluster, ms: number, io: CliIO): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => {
    timer = setTimeout(() => r('timeout'), ms);
  });
  try {
    const outcome = await Promise.race([cluster.stop().then(() => 'stopped' as const), timedOut]);
    if (outcome === 'timeout') {
      io.err(`kubesim: the server did not stop within ${ms / 1000}s; exiting anyway`);
      return false;
    }
    return true;
  } catch (err) {
    io.err(`kubesim: error while stopping: ${describeError(err)}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** One line that says what to do, for the listen errors a user can fix. */
export function startError(err: unknown, flags: Pick<ServeFlags, 'host' | 'port'>): string {
  const where = `${flags.host}:${flags.port}`;
  switch (errnoCode(err)) {
    case 'EADDRINUSE':
      return `kubesim: port ${flags.port} on ${flags.host} is already in use (another kubesim? --port 0 picks a free port)`;
    case 'EACCES':
      return `kubesim: no permission to listen on ${where} (ports below 1024 need privileges; --port 0 picks a free port)`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `kubesim: cannot listen on ${flags.host}: not an address of this machine`;
    default:
      if (err instanceof Error && (err.name === 'SecurityConfigError' || err.name === 'TokenFileError')) return `kubesim: ${err.message}`;
      return `kubesim: failed to start: ${describeError(err)}`;
  }
}

/** The errno code of an error or of one of its causes (fastify may wrap listen errors). */
function errnoCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E') && !code.startsWith('ERR_')) return code;
    const match = /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL|ENOTFOUND)\b/.exec(String((e as Error).message));
    if (match) return match[1];
  }
  return undefined;
}

/** Quotes a path for a POSIX shell only when it needs it, so the usual line stays copyable. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The first SIGINT/SIGTERM asks for a clean stop; a second one exits at once. */
export function processSignals(): SignalListener {
  let received = 0;
  let resolveNext!: (signal: string) => void;
  const next = new Promise<string>((r) => (resolveNext = r));
  const handler = (signal: NodeJS.Signals): void => {
    received++;
    if (received === 1) resolveNext(signal);
    else {
      process.stderr.write('kubesim: second signal, exiting without a clean stop\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    next,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
