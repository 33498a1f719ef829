// Runs a container's command line as a timeline: the output it prints, each piece at the
// second (after the container started) it is printed, then how long it ran and its exit
// code. A shell's `-c` script is interpreted step by step (shell-syntax.ts); any other argv
// is exec'd as one command (commands.ts), without shell expansion, as the kubelet does.
// Time passes only in `sleep`; everything else takes no time, except that a loop that never
// sleeps is held to 10 iterations per second (a real one floods the log, and would take the
// simulation as long to compute).
import { evaluateArithmetic } from './arithmetic.js';
import { BUILTINS } from './commands.js';
import { parseScript, type AndOr, type Command, type Script, type Word } from './shell-syntax.js';

export type RuntimeEvent =
  /** `text` printed `at` seconds after the container started. */
  | { kind: 'output'; at: number; text: string }
  /** The run's clock moved on to `at` (a sleep, a loop going round): readers waiting for a time can stop. */
  | { kind: 'time'; at: number }
  /** From here the program never ends (sleep infinity, `while true`); output may still follow. */
  | { kind: 'forever' };

export interface ExitStatus {
  /** Seconds from start to exit; undefined when the program never ends. */
  seconds: number | undefined;
  exitCode: number;
}

export interface RunOptions {
  /** The process environment (containerEnvironment), in printenv order. */
  environment: [string, string][];
  /** When the container started: `date` prints this plus the elapsed seconds. */
  startedAt: Date;
}

export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

/** Zero-time iterations a loop may make before the clock is moved on by a second. */
const BUSY_ITERATIONS_PER_SECOND = 10;
/** Iterations of a conditional loop after which it is taken never to end. */
const MAX_LOOP_ITERATIONS = 10_000;

/** Parsed scripts by text: a loop runs the same `$(...)` and `sh -c` scripts again and again. */
const parsed = new Map<string, Script>();
function parse(script: string): Script {
  let p = parsed.get(script);
  if (!p) {
    if (parsed.size >= 1000) parsed.clear();
    parsed.set(script, (p = parseScript(script)));
  }
  return p;
}

class ExitSignal {
  constructor(readonly code: number) {}
}
/** The program blocks forever (sleep infinity): nothing after it runs. */
class HaltSignal {}
class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

const basename = (s: string) => s.split('/').pop() ?? s;

class Shell {
  time = 0;
  status = 0;
  private readonly vars: Map<string, string>;
  /** Exported names in the order printenv lists them. */
  private readonly exported: string[];
  private random = 42;

  constructor(
    private readonly opts: RunOptions,
    parent?: Shell,
  ) {
    this.vars = new Map(parent ? parent.vars : opts.environment);
    this.exported = parent ? [...parent.exported] : opts.environment.map(([k]) => k);
    if (parent) this.time = parent.time;
  }

  environment(overlay: Map<string, string> = new Map()): [string, string][] {
    const names = [...this.exported, ...[...overlay.keys()].filter((k) => !this.exported.includes(k))];
    return names.map((k) => [k, overlay.get(k) ?? this.vars.get(k) ?? '']);
  }

  private lookup(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.status);
      case '$':
        return '1';
      case '#':
        return '0';
      case '0':
        return 'sh';
      case 'RANDOM':
        // A fixed LCG, so the same pod always prints the same "random" numbers.
        this.random = (Math.imul(this.random, 1103515245) + 12345) & 0x7fffffff;
        return String(this.random >> 16);
      case 'SECONDS':
        return String(Math.floor(this.time));
      default:
        return this.vars.get(name);
    }
  }

  private setVar(name: string, value: string, exported = false): void {
    this.vars.set(name, value);
    if (exported && !this.exported.includes(name)) this.exported.push(name);
  }

  /**
   * A word's fields after parameter, command and arithmetic expansion and field splitting
   * (none in an assignment's value: `X=$Y` keeps Y's spaces).
   */
  expand(word: Word, split = true): string[] {
    const fields: string[] = [];
    let current = '';
    let has = false;
    for (const part of word) {
      let text: string;
      if (part.kind === 'lit') text = part.text;
      else if (part.kind === 'var') text = this.lookup(part.name) ?? '';
      else if (part.kind === 'cmd') text = this.capture(part.script);
      else {
        const v = evaluateArithmetic(part.expr, (n) => this.lookup(n));
        text = Number.isFinite(v) ? String(v) : '0';
      }
      if (part.quoted || part.kind === 'lit' || !split) {
        current += text;
        has = true;
        continue;
      }
      const pieces = text.split(/[ \t\n]+/);
      pieces.forEach((p, i) => {
        if (i > 0 && has) {
          fields.push(current);
          current = '';
          has = false;
        }
        if (p !== '') {
          current += p;
          has = true;
        }
      });
    }
    if (has) fields.push(current);
    return fields;
  }

  /** `$(...)`: a subshell's output, trailing newlines removed; it takes the time it sleeps. */
  private capture(script: string): string {
    const sub = new Shell(this.opts, this);
    let out = '';
    let forever = false;
    const run = sub.runScript(parse(script));
    try {
      for (let n = 0, r = run.next(); !r.done; r = run.next(), n++) {
        if (r.value.kind === 'output') out += r.value.text;
        else if (r.value.kind === 'forever') forever = true;
        if (forever || n > MAX_LOOP_ITERATIONS) break;
      }
    } catch (e) {
      if (!(e instanceof ExitSignal || e instanceof HaltSignal)) throw e;
      if (e instanceof HaltSignal) forever = true;
    }
    if (forever) throw new HaltSignal();
    this.time = sub.time;
    return out.replace(/\n+$/, '');
  }

  *runScript(script: Script): Generator<RuntimeEvent, void> {
    for (const andOr of script) yield* this.runAndOr(andOr);
  }

  private *runAndOr(node: AndOr): Generator<RuntimeEvent, void> {
    yield* this.runPipeline(node.first);
    for (const { op, pipeline } of node.rest) {
      if ((op === '&&') === (this.status === 0)) yield* this.runPipeline(pipeline);
    }
  }

  /** Pipes are not simulated: the commands run in turn and all of them print. */
  private *runPipeline(commands: Command[]): Generator<RuntimeEvent, void> {
    for (const c of commands) yield* this.runCommand(c);
  }

  private *runCommand(c: Command): Generator<RuntimeEvent, void> {
    switch (c.kind) {
      case 'simple': {
        const words = c.words.flatMap((w) => this.expand(w));
        const values = c.assignments.map(({ name, value }) => [name, this.expand(value, false).join('')] as const);
        if (!words.length) {
          for (const [name, value] of values) this.setVar(name, value);
          this.status = 0;
          return;
        }
        yield* this.exec(words, new Map(values));
        return;
      }
      case 'group':
        yield* this.runScript(c.body);
        return;
      case 'if': {
        for (const b of c.branches) {
          yield* this.runScript(b.condition);
          if (this.status === 0) {
            yield* this.runScript(b.body);
            return;
          }
        }
        this.status = 0;
        if (c.otherwise) yield* this.runScript(c.otherwise);
        return;
      }
      case 'for': {
        const items = c.items.flatMap((w) => this.expand(w));
        yield* this.loop(() => {
          const next = items.shift();
          if (next === undefined) return false;
          this.setVar(c.variable, next);
          return true;
        }, c.body);
        return;
      }
      case 'while': {
        const literal = c.condition.length === 1 && c.condition[0]!.rest.length === 0 && c.condition[0]!.first.length === 1 ? c.condition[0]!.first[0]! : undefined;
        const word = literal?.kind === 'simple' && !literal.assignments.length && literal.words.length === 1 ? literal.words[0]!.map((p) => (p.kind === 'lit' ? p.text : '$')).join('') : '';
        if ((!c.until && (word === 'true' || word === ':')) || (c.until && word === 'false')) yield { kind: 'forever' };
        const self = this;
        yield* this.loop(function* () {
          yield* self.runScript(c.condition);
          return (self.status === 0) !== c.until;
        }, c.body);
        return;
      }
    }
  }

  /**
   * Runs `body` while `next` says so; break/continue; holds busy loops to the pace above. Every
   * round that moves the clock reports it, so a reader of an endless loop is never stuck.
   */
  private *loop(next: () => boolean | Generator<RuntimeEvent, boolean>, body: Script): Generator<RuntimeEvent, void> {
    let status = 0;
    let busy = 0;
    for (let i = 0; ; i++) {
      const n = next();
      const go = typeof n === 'boolean' ? n : yield* n;
      if (!go) break;
      if (i === MAX_LOOP_ITERATIONS) yield { kind: 'forever' };
      const before = this.time;
      try {
        yield* this.runScript(body);
      } catch (e) {
        if (!(e instanceof LoopSignal)) throw e;
        if (e.kind === 'break') break;
      }
      status = this.status;
      if (this.time === before && ++busy % BUSY_ITERATIONS_PER_SECOND === 0) this.time += 1;
      if (this.time > before) yield { kind: 'time', at: this.time };
    }
    this.status = status;
  }

  /** One command with expanded words; `overlay` holds VAR=value prefixes for it alone. */
  *exec(argv: string[], overlay: Map<string, string> = new Map()): Generator<RuntimeEvent, void> {
    const [cmd0 = '', ...args] = argv;
    const name = basename(cmd0);
    switch (name) {
      case 'exit': {
        const code = args.length ? Number(args[0]) : this.status;
        throw new ExitSignal(Number.isInteger(code) ? code & 255 : 2);
      }
      case 'export':
      case 'readonly':
      case 'local':
        for (const a of args) {
          const eq = a.indexOf('=');
          if (eq > 0) this.setVar(a.slice(0, eq), a.slice(eq + 1), name === 'export');
          else if (name === 'export' && this.vars.has(a)) this.setVar(a, this.vars.get(a)!, true);
        }
        this.status = 0;
        return;
      case 'unset':
        for (const a of args) this.vars.delete(a);
        this.status = 0;
        return;
      case 'break':
      case 'continue':
        throw new LoopSignal(name);
      case 'exec':
        yield* this.exec(args, overlay);
        return;
    }
    if (SHELLS.has(name)) {
      const c = args.indexOf('-c');
      if (c < 0 || args[c + 1] === undefined) {
        // `sh` alone reads stdin, which a container does not have; `sh FILE` runs a script we cannot see.
        if (args.length) {
          yield { kind: 'forever' };
          throw new HaltSignal();
        }
        this.status = 0;
        return;
      }
      const sub = new Shell(this.opts, this);
      for (const [k, v] of overlay) sub.setVar(k, v, true);
      try {
        yield* sub.runScript(parse(args[c + 1]!));
        this.status = sub.status;
      } catch (e) {
        if (!(e instanceof ExitSignal)) throw e;
        this.status = e.code;
      }
      this.time = sub.time;
      return;
    }
    const builtin = BUILTINS[name];
    if (!builtin) {
      this.status = 0;
      return;
    }
    const result = builtin(args, { environment: () => this.environment(overlay), now: new Date(this.opts.startedAt.getTime() + this.time * 1000) });
    if (result.output) yield { kind: 'output', at: this.time, text: result.output };
    if (result.forever) {
      yield { kind: 'forever' };
      throw new HaltSignal();
    }
    this.status = result.status;
    if (result.seconds) {
      this.time += result.seconds;
      yield { kind: 'time', at: this.time };
    }
  }
}

/**
 * Runs argv (command + args, with the kubelet's `$(VAR)` references already expanded) and
 * yields what it prints; the return value says when and how it ended.
 */
export function* runArgv(argv: string[], opts: RunOptions): Generator<RuntimeEvent, ExitStatus> {
  const shell = new Shell(opts);
  try {
    yield* shell.exec(argv);
  } catch (e) {
    if (e instanceof ExitSignal) return { seconds: shell.time, exitCode: e.code };
    if (e instanceof HaltSignal) return { seconds: undefined, exitCode: 0 };
    if (e instanceof LoopSignal) return { seconds: shell.time, exitCode: 0 };
    throw e;
  }
  return { seconds: shell.time, exitCode: shell.status };
}
