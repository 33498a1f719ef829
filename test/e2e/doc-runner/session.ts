// Runs a walk-through's steps (parse.ts) as a learner would, against a fresh kubesim, and
// checks each output's shape (shape.ts).
//
// Where: a scratch directory (one per checkout and document, emptied at each start, so
// npx's cache gains one entry per checkout rather than one per run) that links the repository's examples/, bin/, src/, scripts/,
// node_modules/ and package.json, so `npx kubesim` and `npx tsx examples/...` work there
// as in a clone, and `$PWD/.kubesim/kubeconfig` is the scratch directory's own. Every
// `npx kubesim` gets `--port 0`, so a run never collides with a developer's kubesim on
// 6443 or with the other language's run.
// Shell: each block runs in a new bash that first loads the variables the previous block
// exported (`export -p` saved after each block), so `export KUBECONFIG=...` persists as in
// one terminal. stderr goes to the same pipe as stdout, interleaved as a terminal shows it.
// Waiting: a block made only of reading kubectl verbs (isRetriable) is run again until its
// output matches, for up to `retryMs`, since controllers take real time; any other block
// runs once. Background blocks run in their own process group, which "Ctrl+C" signals
// with SIGINT, as a terminal does; whatever is still running at the end is stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isRetriable, parseWalkthrough, type Expected, type Step } from './parse.js';
import { firstDifference, matchesShape } from './shape.js';

export interface RunDocumentOptions {
  /** The markdown file. */
  docPath: string;
  /** The repository checkout whose files the scratch directory links. */
  repoRoot: string;
  /** How long a read-only block is retried, and an `output` step re-checked (default 20 s). */
  retryMs?: number;
  /** How long a background block may take to print its ready text (default 60 s). */
  readyMs?: number;
}

const LINKED = ['examples', 'bin', 'src', 'scripts', 'dist', 'node_modules', 'package.json', 'package-lock.json', 'tsconfig.json'];
const STATE = '.doc-runner-env';

/** What a learner types, as the runner runs it: only the port of kubesim changes. */
export function rewriteForRunner(script: string): string {
  return script.replace(/^(\s*npx kubesim)(?=\s|$)/gm, '$1 --port 0');
}

interface Background {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

export class DocStepError extends Error {}

export async function runDocument(options: RunDocumentOptions): Promise<void> {
  const session = new DocSession(options);
  try {
    for (const step of parseWalkthrough(readFileSync(options.docPath, 'utf8'))) await session.step(step);
  } finally {
    await session.close();
  }
}

class DocSession {
  private readonly dir: string;
  private readonly background = new Map<string, Background>();
  private readonly doc: string;
  private readonly retryMs: number;
  private readonly readyMs: number;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: RunDocumentOptions) {
    this.doc = relative(options.repoRoot, options.docPath);
    this.retryMs = options.retryMs ?? 20_000;
    this.readyMs = options.readyMs ?? 60_000;
    const id = createHash('sha256').update(`${options.repoRoot}\0${options.docPath}`).digest('hex').slice(0, 12);
    this.dir = join(tmpdir(), `kubesim-walkthrough-${id}`);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir);
    for (const name of LINKED) {
      const target = join(options.repoRoot, name);
      if (existsSync(target)) symlinkSync(target, join(this.dir, name));
    }
    writeFileSync(join(this.dir, STATE), '');
    // A fresh terminal: no KUBECONFIG until the walk-through exports one; kubectl's cache here.
    this.env = { ...process.env, KUBECACHEDIR: join(this.dir, '.kube-cache') };
    delete this.env.KUBECONFIG;
    delete this.env.NAMESPACE;
  }

  async step(step: Step): Promise<void> {
    if (step.kind === 'skip') return;
    if (step.kind === 'ctrl-c') return this.ctrlC(step.name, step.line);
    if (step.kind === 'output') return this.checkOutput(step.name, step.expected, step.line);
    if (step.background) return this.startBackground(step.script, step.background, step.line, step.expected);
    const deadline = Date.now() + (isRetriable(step.script) ? this.retryMs : 0);
    for (;;) {
      const { code, output } = await this.runBlock(step.script);
      const ok = step.expected ? matchesShape(step.expected.text, output) : code === 0;
      if (ok) return;
      if (Date.now() >= deadline) throw this.failure(step.line, step.script, step.expected, output, code);
      await sleep(500);
    }
  }

  private runBlock(script: string): Promise<{ code: number; output: string }> {
    const wrapped = `exec 2>&1\ncd ${JSON.stringify(this.dir)}\n. ./${STATE}\n${rewriteForRunner(script)}\n__doc_rc=$?\nexport -p > ./${STATE}\nexit $__doc_rc\n`;
    return new Promise((resolve) => {
      const child = spawn('bash', ['-c', wrapped], { cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let output = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 60_000);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal ? 128 : 1), output });
      });
    });
  }

  private async startBackground(script: string, bg: { name: string; ready: string }, line: number, expected?: Expected): Promise<void> {
    if (this.background.has(bg.name)) throw new DocStepError(`${this.doc}:${line}: terminal "${bg.name}" is still running something`);
    const wrapped = `exec 2>&1\ncd ${JSON.stringify(this.dir)}\n. ./${STATE}\n${rewriteForRunner(script)}\n`;
    const child = spawn('bash', ['-c', wrapped], { cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.background.set(bg.name, { child, output: () => output, exited });
    const deadline = Date.now() + this.readyMs;
    while (!output.includes(bg.ready)) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() >= deadline) {
        const why = child.exitCode !== null || child.signalCode !== null ? 'exited' : `not ready within ${this.readyMs} ms`;
        throw new DocStepError(`${this.doc}:${line}: ${why}, waiting for "${bg.ready}"\n$ ${script}\n--- output ---\n${output}`);
      }
      await sleep(100);
    }
    if (expected) await this.checkOutput(bg.name, expected, line);
  }

  /** What a background terminal shows by now; checked again until it matches or time is up. */
  private async checkOutput(name: string, expected: Expected, line: number): Promise<void> {
    const bg = this.background.get(name);
    if (!bg) throw new DocStepError(`${this.doc}:${line}: no terminal "${name}" is running`);
    const deadline = Date.now() + this.retryMs;
    while (!matchesShape(expected.text, bg.output())) {
      if (Date.now() >= deadline) throw this.failure(line, `(output of terminal "${name}")`, expected, bg.output());
      await sleep(200);
    }
  }

  private async ctrlC(name: string, line: number): Promise<void> {
    const bg = this.background.get(name);
    if (!bg) throw new DocStepError(`${this.doc}:${line}: Ctrl+C in terminal "${name}", which runs nothing`);
    const exitedInTime = await stop(bg);
    this.background.delete(name);
    if (!exitedInTime) throw new DocStepError(`${this.doc}:${line}: terminal "${name}" did not stop on Ctrl+C within 10 s\n--- its output ---\n${bg.output()}`);
  }

  private failure(line: number, script: string, expected: Expected | undefined, output: string, code?: number): DocStepError {
    const others = [...this.background].map(([name, bg]) => `--- terminal "${name}" so far ---\n${bg.output()}`).join('\n');
    const want = expected ? `--- expected (${this.doc}:${expected.line}) ---\n${expected.text}` : `--- expected exit code 0, got ${code} ---`;
    const where = expected && firstDifference(expected.text, output);
    const headline = `${this.doc}:${line}: the output does not match${where ? ` at ${where}` : ''}`;
    return new DocStepError(`${headline}\n$ ${script}\n${want}\n--- actual ---\n${output}\n${others}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.background.values()].map(stop));
    this.background.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Ctrl+C: SIGINT to the process group; SIGKILL if it has not exited after 10 s (then false). */
async function stop(bg: Background): Promise<boolean> {
  let inTime = true;
  if (bg.child.exitCode === null && bg.child.signalCode === null) {
    killGroup(bg.child, 'SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 10_000)));
    if ((await Promise.race([bg.exited, late])) === 'late') {
      inTime = false;
      killGroup(bg.child, 'SIGKILL');
      await bg.exited;
    }
    clearTimeout(timer);
  }
  // The shell may have gone before its children (npm exec, node): make sure none is left.
  killGroup(bg.child, 'SIGKILL');
  return inTime;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // the group is gone already
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
