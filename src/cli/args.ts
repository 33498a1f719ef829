// Command-line parsing for `kubesim [serve] [flags]`, with node:util parseArgs. Pure: it
// returns what to do or throws UsageError; printing and exit codes belong to main.ts.
import { parseArgs } from 'node:util';
import { parseGoDuration, type RequestLimits } from '../apiserver/inflight-limit.js';
import { parseQuotaFlag } from '../classroom/objects.js';

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServeFlags {
  port: number;
  host: string;
  /** Where to write the kubeconfig; unset means ./.kubesim/kubeconfig. */
  kubeconfig?: string;
  mergeKubeconfig: boolean;
  controllers: 'all' | 'none' | string[];
  load: string[];
  logLevel: LogLevel;
  clock: 'real' | 'virtual';
  /** Simulated nodes the kubelet controller registers. */
  nodes: number;
  /** --max-requests-inflight and the other limits given (the server's defaults for the rest). */
  limits: Partial<RequestLimits>;
  /** Keep the cluster in this directory across restarts. */
  dataDir?: string;
  dataSync?: 'always' | 'batch';
  snapshotEvery?: number;
  /** Start from this snapshot file. */
  restore?: string;
  /** Authentication and TLS flags, set only when given (the defaults depend on --host). */
  auth?: 'none' | 'token';
  tokenAuthFile?: string;
  anonymousAuth?: boolean;
  /** true/false from --tls / --no-tls; files from --tls-cert-file and --tls-private-key-file. */
  tls?: boolean | { certFile: string; keyFile: string; clientCAFile?: string };
  /** --students N or --roster FILE, and the class's other flags (paths as given). */
  classroom?: { students?: number; roster?: string; dir: string; viewCluster: boolean; quota?: Record<string, string> };
}

/** `kubesim snapshot save FILE`: the state of a running cluster (or of a data dir) as a snapshot file. */
export interface SnapshotFlags {
  file: string;
  kubeconfig?: string;
  dataDir?: string;
}

/** `kubesim clock [advance DURATION]`: read or move a running cluster's virtual clock. */
export interface ClockFlags {
  advance?: string;
  kubeconfig?: string;
}

/** `kubesim controllers`: run the controllers out of process against a kubeconfig's server. */
export interface ControllersFlags {
  kubeconfig?: string;
  context?: string;
  only?: string[];
  nodes?: number;
}

export type CliCommand =
  | { command: 'controllers'; flags: ControllersFlags }
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'serve'; flags: ServeFlags }
  | { command: 'clock'; flags: ClockFlags }
  | { command: 'snapshot'; flags: SnapshotFlags };

export const DEFAULT_PORT = 6443;

export const USAGE = `Usage: kubesim [serve] [flags]
       kubesim clock [advance DURATION] [--kubeconfig PATH]
       kubesim controllers [--kubeconfig PATH] [--context NAME] [--only a,b]
       kubesim snapshot save FILE [--kubeconfig PATH | --data-dir DIR]

Runs a Kubernetes API server in this process; point kubectl at it.

Flags:
  --port N              port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host ADDR           address to listen on (default 127.0.0.1)
  --kubeconfig PATH     write the kubeconfig here (default ./.kubesim/kubeconfig)
  --merge-kubeconfig    also add a "kubesim" context to ~/.kube/config
                        (or the first file in $KUBECONFIG)
  --controllers LIST    all, none, or a comma-separated list of garbagecollector,
                        scheduler, namespace, kubelet, job, ttlafterfinished, cronjob,
                        replicaset, deployment, crontab, resourcequota,
                        clusterrole-aggregation (default all)
  --load PATH...        create the objects in these YAML/JSON files or folders at start;
                        repeatable, and takes several paths after one flag
  --log-level LEVEL     ${LOG_LEVELS.join(', ')} (default warn)
  --nodes N             simulated nodes (default 1)
  --clock real|virtual  virtual: time moves only with \`kubesim clock advance 90m\`
                        (default real)
  --data-dir DIR        keep the cluster in DIR: every change is written there before it
                        is answered, and the next start on DIR has the same objects
  --data-sync MODE      always: fsync every change (default); batch: fsync every 100 ms,
                        faster, but a power cut or OS crash may lose the last 100 ms of
                        changes (a crash of kubesim alone loses nothing)
  --snapshot-every N    changes between snapshots of the data dir (default 10000)
  --restore FILE        start from a snapshot file (from \`kubesim snapshot save FILE\`);
                        with --data-dir, only into an empty dir
  --max-requests-inflight N           read-only requests at once before 429s (default 400)
  --max-mutating-requests-inflight N  writes at once before 429s (default 200)
  --max-watches-per-user N            open watches per user before 429s (default 500)
  --request-timeout DURATION          time a request may take, e.g. 30s, 2m (default 1m)
                                      (0 turns any of these off)
  --auth none|token     none: every request is an administrator (the default, and
                        only allowed, on a loopback --host); token: bearer tokens,
                        ServiceAccount tokens and client certificates are checked
                        (the default on any other address)
  --token-auth-file F   static tokens, kube-apiserver's CSV: token,user,uid,"g1,g2"
  --anonymous-auth B    with --auth token: requests without credentials are
                        system:anonymous (true, the default) or refused (false)
  --tls, --no-tls       serve HTTPS with a CA and certificate generated at start
                        (the default with --auth token)
  --tls-cert-file F, --tls-private-key-file F
                        serve HTTPS with this certificate and key instead
  --client-ca-file F    client certificates signed by this CA authenticate
                        (CN = user, O = groups)
  --students N          a class: student-1 ... student-N, each with a namespace of their
                        own (admin there, nothing elsewhere), a quota and a kubeconfig
                        (implies --auth token)
  --roster FILE         the same, for the names in FILE (one per line, # comments)
  --students-dir DIR    where the students' kubeconfigs and tokens.csv go
                        (default ./.kubesim/students)
  --students-view-cluster
                        let every student read (not change) the whole cluster
  --student-quota LIST  each student's ResourceQuota, e.g. pods=20,count/jobs.batch=10
                        (over the defaults: pods=30, services=10, configmaps=50, ...)
  -h, --help            show this help
  --version             print the version

kubesim snapshot save FILE saves the running cluster that the kubeconfig names (as an
administrator), or with --data-dir the state kept in DIR.
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  kubeconfig: { type: 'string' },
  'merge-kubeconfig': { type: 'boolean' },
  controllers: { type: 'string' },
  load: { type: 'string', multiple: true },
  'log-level': { type: 'string' },
  clock: { type: 'string' },
  context: { type: 'string' },
  nodes: { type: 'string' },
  only: { type: 'string' },
  'data-dir': { type: 'string' },
  'data-sync': { type: 'string' },
  'snapshot-every': { type: 'string' },
  restore: { type: 'string' },
  'max-requests-inflight': { type: 'string' },
  'max-mutating-requests-inflight': { type: 'string' },
  'max-watches-per-user': { type: 'string' },
  'request-timeout': { type: 'string' },
  auth: { type: 'string' },
  'token-auth-file': { type: 'string' },
  'anonymous-auth': { type: 'string' },
  tls: { type: 'boolean' },
  'no-tls': { type: 'boolean' },
  students: { type: 'string' },
  roster: { type: 'string' },
  'students-dir': { type: 'string' },
  'students-view-cluster': { type: 'boolean' },
  'student-quota': { type: 'string' },
  'tls-cert-file': { type: 'string' },
  'tls-private-key-file': { type: 'string' },
  'client-ca-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export function parseCliArgs(argv: string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    throw new UsageError(shortParseError(err));
  }
  const { values, tokens } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };

  // `--load a.yaml b.yaml`: positionals straight after a --load are more paths for it.
  // Built from the tokens so paths keep their command-line order.
  const positionals = tokens.filter((t) => t.kind === 'positional').map((t) => (t as { value: string }).value);
  if (positionals[0] === 'controllers') {
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const cf: ControllersFlags = {};
    if (values.kubeconfig !== undefined) cf.kubeconfig = nonEmpty('kubeconfig', values.kubeconfig);
    if (values.context !== undefined) cf.context = nonEmpty('context', values.context);
    if (values.only !== undefined) cf.only = values.only.split(',').map((n) => n.trim()).filter(Boolean);
    return { command: 'controllers', flags: cf };
  }
  if (positionals[0] === 'snapshot') return { command: 'snapshot', flags: parseSnapshotCommand(positionals.slice(1), values) };
  if (positionals[0] === 'clock') return { command: 'clock', flags: parseClockCommand(positionals.slice(1), values.kubeconfig) };

  const load: string[] = [];
  let afterLoad = false;
  let sawCommand = false;
  for (const token of tokens) {
    if (token.kind === 'option') {
      afterLoad = token.name === 'load';
      if (afterLoad && token.value !== undefined) load.push(token.value);
    } else if (token.kind === 'option-terminator') {
      afterLoad = false;
    } else if (afterLoad) {
      load.push(token.value);
    } else if (token.value === 'serve' && !sawCommand) {
      sawCommand = true;
    } else {
      throw new UsageError(sawCommand ? `unexpected argument "${token.value}"` : `unknown command "${token.value}"`);
    }
  }

  const flags: ServeFlags = {
    port: parsePort(values.port),
    host: nonEmpty('host', values.host ?? '127.0.0.1'),
    mergeKubeconfig: values['merge-kubeconfig'] ?? false,
    controllers: parseControllers(values.controllers ?? 'all'),
    load,
    logLevel: parseLogLevel(values['log-level'] ?? 'warn'),
    clock: parseClock(values.clock ?? 'real'),
    nodes: parseNodes(values.nodes ?? '1'),
    limits: parseLimits(values),
  };
  if (values.kubeconfig !== undefined) flags.kubeconfig = nonEmpty('kubeconfig', values.kubeconfig);
  for (const path of load) nonEmpty('load', path);
  if (values['data-dir'] !== undefined) flags.dataDir = nonEmpty('data-dir', values['data-dir']);
  if (values.restore !== undefined) flags.restore = nonEmpty('restore', values.restore);
  if (values['data-sync'] !== undefined || values['snapshot-every'] !== undefined) {
    if (flags.dataDir === undefined) throw new UsageError(`--${values['data-sync'] !== undefined ? 'data-sync' : 'snapshot-every'} needs --data-dir`);
  }
  if (values['data-sync'] !== undefined) {
    const mode = values['data-sync'];
    if (mode !== 'always' && mode !== 'batch') throw new UsageError(`--data-sync takes always or batch, not "${mode}"`);
    flags.dataSync = mode;
  }
  if (values['snapshot-every'] !== undefined) {
    const v = values['snapshot-every'];
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--snapshot-every must be a whole number of changes, 1 or more, not "${v}"`);
    flags.snapshotEvery = n;
  }
  parseSecurityFlags(values, flags);
  parseClassroomFlags(values, flags);
  return { command: 'serve', flags };
}

function parseSnapshotCommand(args: string[], values: { kubeconfig?: string; 'data-dir'?: string }): SnapshotFlags {
  if (args[0] !== 'save' || args.length !== 2) throw new UsageError('usage: kubesim snapshot save FILE [--kubeconfig PATH | --data-dir DIR]');
  const flags: SnapshotFlags = { file: nonEmpty('file', args[1]!) };
  if (values.kubeconfig !== undefined && values['data-dir'] !== undefined) throw new UsageError('kubesim snapshot save takes --kubeconfig or --data-dir, not both');
  if (values.kubeconfig !== undefined) flags.kubeconfig = nonEmpty('kubeconfig', values.kubeconfig);
  if (values['data-dir'] !== undefined) flags.dataDir = nonEmpty('data-dir', values['data-dir']);
  return flags;
}

function parseLimits(values: Record<string, unknown>): Partial<RequestLimits> {
  const limits: Partial<RequestLimits> = {};
  const count = (flag: string): number | undefined => {
    const v = values[flag];
    if (typeof v !== 'string') return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`--${flag} must be a whole number (0 for no limit), not "${v}"`);
    return Number(v);
  };
  const inflight = count('max-requests-inflight');
  if (inflight !== undefined) limits.maxRequestsInflight = inflight;
  const mutating = count('max-mutating-requests-inflight');
  if (mutating !== undefined) limits.maxMutatingRequestsInflight = mutating;
  const watches = count('max-watches-per-user');
  if (watches !== undefined) limits.maxWatchesPerUser = watches;
  const timeout = values['request-timeout'];
  if (typeof timeout === 'string') {
    const ms = parseGoDuration(timeout);
    if (ms === undefined || ms < 0) throw new UsageError(`--request-timeout takes a duration such as 30s or 2m, not "${timeout}"`);
    limits.requestTimeoutMs = ms;
  }
  return limits;
}

function parseSecurityFlags(values: Record<string, string | boolean | string[] | undefined>, flags: ServeFlags): void {
  const str = (name: string) => (values[name] === undefined ? undefined : nonEmpty(name, String(values[name])));
  const auth = str('auth');
  if (auth !== undefined) {
    if (auth !== 'none' && auth !== 'token') throw new UsageError(`--auth takes none or token, not "${auth}"`);
    flags.auth = auth;
  }
  const tokenFile = str('token-auth-file');
  if (tokenFile !== undefined) flags.tokenAuthFile = tokenFile;
  const anonymous = str('anonymous-auth');
  if (anonymous !== undefined) {
    if (anonymous !== 'true' && anonymous !== 'false') throw new UsageError(`--anonymous-auth takes true or false, not "${anonymous}"`);
    flags.anonymousAuth = anonymous === 'true';
  }
  if ((tokenFile !== undefined || anonymous !== undefined) && flags.auth === 'none') {
    throw new UsageError(`--${tokenFile !== undefined ? 'token-auth-file' : 'anonymous-auth'} needs --auth token`);
  }
  const certFile = str('tls-cert-file');
  const keyFile = str('tls-private-key-file');
  const clientCA = str('client-ca-file');
  if (values.tls && values['no-tls']) throw new UsageError('--tls and --no-tls contradict each other');
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert-file and --tls-private-key-file go together');
  if (certFile !== undefined && keyFile !== undefined) {
    if (values['no-tls']) throw new UsageError('--no-tls contradicts --tls-cert-file');
    flags.tls = { certFile, keyFile, ...(clientCA !== undefined ? { clientCAFile: clientCA } : {}) };
  } else if (clientCA !== undefined) {
    throw new UsageError('--client-ca-file needs --tls-cert-file and --tls-private-key-file');
  } else if (values.tls) flags.tls = true;
  else if (values['no-tls']) flags.tls = false;
}

function parseNodes(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n > 1000) throw new UsageError(`--nodes must be a number from 0 to 1000, not "${value}"`);
  return n;
}

function parseClock(value: string): ServeFlags['clock'] {
  if (value !== 'real' && value !== 'virtual') throw new UsageError(`--clock takes real or virtual, not "${value}"`);
  return value;
}

function parseClockCommand(args: string[], kubeconfig: string | undefined): ClockFlags {
  const flags: ClockFlags = {};
  if (kubeconfig !== undefined) flags.kubeconfig = nonEmpty('kubeconfig', kubeconfig);
  if (args.length === 0) return flags;
  if (args[0] !== 'advance' || args.length !== 2) throw new UsageError('usage: kubesim clock [advance DURATION], e.g. kubesim clock advance 90m');
  flags.advance = args[1]!;
  return flags;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}

function parseControllers(value: string): ServeFlags['controllers'] {
  if (value === 'all' || value === 'none') return value;
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '' || n === 'all' || n === 'none')) {
    throw new UsageError(`--controllers takes all, none, or a comma-separated list of names, not "${value}"`);
  }
  return names;
}

function parseLogLevel(value: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${value}"`);
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`--${flag} needs a value`);
  return value;
}

/** parseArgs' messages run to three sentences; say the one thing that matters. */
function shortParseError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? '';
  // Prefer the long name: "Option '-h, --help' does not take an argument".
  const flag = /--[A-Za-z][\w-]*/.exec(message)?.[0] ?? /'(-[^' ,]+)/.exec(message)?.[1] ?? 'a flag';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message) ? `${flag} does not take a value` : `${flag} needs a value`;
    default:
      return message || String(err);
  }
}

/** The default folder of the students' kubeconfigs, beside the teacher's. */
export const DEFAULT_STUDENTS_DIR = '.kubesim/students';

function parseClassroomFlags(values: Record<string, string | boolean | string[] | undefined>, flags: ServeFlags): void {
  const students = values.students as string | undefined;
  const roster = values.roster as string | undefined;
  if (students === undefined && roster === undefined) {
    for (const f of ['students-dir', 'students-view-cluster', 'student-quota']) if (values[f] !== undefined) throw new UsageError(`--${f} needs --students or --roster`);
    return;
  }
  if (students !== undefined && roster !== undefined) throw new UsageError('--students and --roster are two ways to name the class: give one');
  // A class means strangers on one server: every request must say who it is from.
  if (flags.auth === 'none') throw new UsageError(`--${students !== undefined ? 'students' : 'roster'} needs --auth token (students are told apart by their tokens)`);
  flags.auth = 'token';
  const classroom: NonNullable<ServeFlags['classroom']> = { dir: values['students-dir'] === undefined ? DEFAULT_STUDENTS_DIR : nonEmpty('students-dir', String(values['students-dir'])), viewCluster: values['students-view-cluster'] === true };
  if (students !== undefined) {
    if (!/^\d+$/.test(students) || Number(students) < 1 || Number(students) > 1000) throw new UsageError(`--students must be a whole number from 1 to 1000, not "${students}"`);
    classroom.students = Number(students);
  } else classroom.roster = nonEmpty('roster', roster!);
  if (values['student-quota'] !== undefined) {
    try {
      classroom.quota = parseQuotaFlag(String(values['student-quota']));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  flags.classroom = classroom;
}
