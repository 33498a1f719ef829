// Command-line parsing for `kubesim [serve] [flags]`, with node:util parseArgs. Pure: it
// returns what to do or throws UsageError; printing and exit codes belong to main.ts.
import { parseArgs } from 'node:util';

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
  | { command: 'clock'; flags: ClockFlags };

export const DEFAULT_PORT = 6443;

export const USAGE = `Usage: kubesim [serve] [flags]
       kubesim clock [advance DURATION] [--kubeconfig PATH]
       kubesim controllers [--kubeconfig PATH] [--context NAME] [--only a,b]

Runs a Kubernetes API server in this process; point kubectl at it.

Flags:
  --port N              port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host ADDR           address to listen on (default 127.0.0.1)
  --kubeconfig PATH     write the kubeconfig here (default ./.kubesim/kubeconfig)
  --merge-kubeconfig    also add a "kubesim" context to ~/.kube/config
                        (or the first file in $KUBECONFIG)
  --controllers LIST    all, none, or a comma-separated list of garbagecollector,
                        scheduler, namespace, kubelet, job, ttlafterfinished, cronjob,
                        replicaset, deployment, crontab, clusterrole-aggregation
                        (default all)
  --load PATH...        create the objects in these YAML/JSON files or folders at start;
                        repeatable, and takes several paths after one flag
  --log-level LEVEL     ${LOG_LEVELS.join(', ')} (default warn)
  --nodes N             simulated nodes (default 1)
  --clock real|virtual  virtual: time moves only with \`kubesim clock advance 90m\`
                        (default real)
  -h, --help            show this help
  --version             print the version
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
  };
  if (values.kubeconfig !== undefined) flags.kubeconfig = nonEmpty('kubeconfig', values.kubeconfig);
  for (const path of load) nonEmpty('load', path);
  return { command: 'serve', flags };
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
