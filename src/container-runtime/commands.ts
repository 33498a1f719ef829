// The commands a simulated container knows, as busybox/coreutils print them: echo, printf,
// date, printenv/env, hostname, seq, sleep, test, true/false, and perl's `bpi(N)`. Each is a
// pure function of its arguments, the environment and the time it runs at. A command not
// listed here succeeds at once and prints nothing.
import { testExpression } from './arithmetic.js';
import { piDigits } from './pi.js';

export interface CommandContext {
  /** The environment a child process inherits (exported variables), in printenv order. */
  environment(): [string, string][];
  /** The wall-clock time the command runs at. */
  now: Date;
}

export interface CommandResult {
  status: number;
  output?: string;
  /** Seconds the command takes after printing its output. */
  seconds?: number;
  /** Never ends (sleep infinity, tail -f). */
  forever?: boolean;
}

type Builtin = (args: string[], ctx: CommandContext) => CommandResult;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2, fill = '0') => String(n).padStart(w, fill);

/** strftime for the codes `date +FORMAT` is used with; the container's zone is UTC. */
export function formatDate(d: Date, format = '%a %b %e %H:%M:%S %Z %Y'): string {
  return format.replace(/%([a-zA-Z%])/g, (m, code: string) => {
    switch (code) {
      case 'a': return DAYS[d.getUTCDay()]!;
      case 'A': return ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][d.getUTCDay()]!;
      case 'b': case 'h': return MONTHS[d.getUTCMonth()]!;
      case 'd': return pad(d.getUTCDate());
      case 'e': return pad(d.getUTCDate(), 2, ' ');
      case 'm': return pad(d.getUTCMonth() + 1);
      case 'Y': return String(d.getUTCFullYear());
      case 'y': return pad(d.getUTCFullYear() % 100);
      case 'H': return pad(d.getUTCHours());
      case 'M': return pad(d.getUTCMinutes());
      case 'S': return pad(d.getUTCSeconds());
      case 'N': return pad(d.getUTCMilliseconds() * 1_000_000, 9);
      case 's': return String(Math.floor(d.getTime() / 1000));
      case 'T': return formatDate(d, '%H:%M:%S');
      case 'F': return formatDate(d, '%Y-%m-%d');
      case 'D': return formatDate(d, '%m/%d/%y');
      case 'R': return formatDate(d, '%H:%M');
      case 'c': return formatDate(d, '%a %b %e %H:%M:%S %Y');
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case 'n': return '\n';
      case 't': return '\t';
      case '%': return '%';
      default: return m;
    }
  });
}

/** The backslash escapes of `echo -e` and printf formats. */
function unescape(s: string): { text: string; stop: boolean } {
  let stop = false;
  const text = s.replace(/\\(0[0-7]{0,3}|[abcefnrtv\\])/g, (m, e: string) => {
    if (stop) return '';
    if (e === 'c') {
      stop = true;
      return '';
    }
    if (e.startsWith('0')) return String.fromCharCode(parseInt(e.slice(1) || '0', 8));
    return { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' }[e] ?? m;
  });
  return { text, stop };
}

function echo(args: string[]): CommandResult {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i]!); i++) {
    for (const f of args[i]!.slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = args.slice(i).join(' ');
  if (escapes) {
    const u = unescape(text);
    text = u.text;
    if (u.stop) newline = false;
  }
  return { status: 0, output: newline ? `${text}\n` : text };
}

/** printf FORMAT [ARG...]: %s %d %i %f %x %c %%, reusing the format while arguments remain. */
function printf(args: string[]): CommandResult {
  const [format = '', ...rest] = args;
  if (!args.length) return { status: 2 };
  let out = '';
  let used = 0;
  do {
    const before = used;
    out += unescape(format).text.replace(/%(-?\d*)(?:\.(\d+))?([sdifxc%])/g, (_m, width: string, precision: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const arg = rest[used++] ?? '';
      let v: string;
      if (conv === 's') v = precision !== undefined ? arg.slice(0, Number(precision)) : arg;
      else if (conv === 'c') v = arg.slice(0, 1);
      else if (conv === 'f') v = (Number(arg) || 0).toFixed(precision !== undefined ? Number(precision) : 6);
      else if (conv === 'x') v = (Number.parseInt(arg, 10) || 0).toString(16);
      else v = String(Number.parseInt(arg, 10) || 0);
      const w = Number(width || 0);
      return w < 0 ? v.padEnd(-w) : v.padStart(w);
    });
    if (used === before) break;
  } while (used < rest.length);
  return { status: 0, output: out };
}

/** GNU sleep: numbers with an optional s/m/h/d suffix, summed; `infinity` never ends. */
export function parseSleep(args: string[]): CommandResult {
  let seconds = 0;
  for (const a of args) {
    if (/^inf(inity)?$/i.test(a)) return { status: 0, forever: true };
    const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) return { status: 1 };
    seconds += Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  }
  return { status: args.length ? 0 : 1, seconds };
}

function seq(args: string[]): CommandResult {
  const n = args.map(Number);
  if (!n.length || n.length > 3 || n.some((x) => !Number.isFinite(x))) return { status: 1 };
  const [first, step, last] = n.length === 1 ? [1, 1, n[0]!] : n.length === 2 ? [n[0]!, 1, n[1]!] : [n[0]!, n[1]!, n[2]!];
  if (step === 0) return { status: 1 };
  const lines: string[] = [];
  for (let v = first; step > 0 ? v <= last : v >= last; v += step) {
    lines.push(String(v));
    if (lines.length >= 100_000) break;
  }
  return { status: 0, output: lines.map((l) => `${l}\n`).join('') };
}

function printenv(args: string[], ctx: CommandContext): CommandResult {
  const env = ctx.environment();
  if (!args.length) return { status: 0, output: env.map(([k, v]) => `${k}=${v}\n`).join('') };
  const values = new Map(env);
  const found = args.filter((a) => values.has(a));
  return { status: found.length === args.length ? 0 : 1, output: found.map((a) => `${values.get(a)}\n`).join('') };
}

/** `perl -e/-le SCRIPT`: only the `print bpi(N)` of the pi Job example is understood. */
function perl(args: string[]): CommandResult {
  const script = args.filter((a) => !a.startsWith('-') || /^-\w*e$/.test(a)).join(' ');
  const m = /\bbpi\(\s*(\d+)\s*\)/.exec(script);
  if (!m) return { status: 0 };
  return { status: 0, output: `${piDigits(Number(m[1]))}\n` };
}

export const BUILTINS: Record<string, Builtin> = {
  echo,
  printf,
  date: (args, ctx) => {
    const format = args.find((a) => a.startsWith('+'));
    return { status: 0, output: `${formatDate(ctx.now, format?.slice(1))}\n` };
  },
  printenv,
  env: (_args, ctx) => printenv([], ctx),
  hostname: (_args, ctx) => ({ status: 0, output: `${new Map(ctx.environment()).get('HOSTNAME') ?? ''}\n` }),
  whoami: () => ({ status: 0, output: 'root\n' }),
  pwd: () => ({ status: 0, output: '/\n' }),
  seq,
  sleep: (args) => parseSleep(args),
  tail: (args) => (args.includes('-f') || args.includes('-F') ? { status: 0, forever: true } : { status: 0 }),
  test: (args) => ({ status: testExpression(args) }),
  '[': (args) => (args[args.length - 1] === ']' ? { status: testExpression(args.slice(0, -1)) } : { status: 2 }),
  true: () => ({ status: 0 }),
  ':': () => ({ status: 0 }),
  false: () => ({ status: 1 }),
  perl,
};
