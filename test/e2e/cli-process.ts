// kubesim started as a child process through bin/kubesim.js (dist/ when fresh, else the
// sources through tsx), as a user runs it: output captured, lines awaited, exits bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const bin = join(root, 'bin', 'kubesim.js');

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stdout has a line matching `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `kubesim ARGS` in `cwd` with exactly `env`. */
export function spawnKubesim(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Running {
  const child = spawn(process.execPath, [bin, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => withoutNodeWarnings(err),
    exited,
    waitFor(pattern, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const match = out.match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          }
          return Boolean(match);
        };
        const onExit = (code: number | null) => {
          if (check()) return;
          cleanup();
          reject(new Error(`kubesim exited (${code}) before printing ${pattern}\nstdout: ${out}\nstderr: ${err}`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${pattern} within ${ms}ms\nstdout: ${out}\nstderr: ${err}`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('exit', onExit);
        };
        if (check()) return;
        child.stdout!.on('data', check);
        child.once('exit', onExit);
      });
    },
  };
}


/**
 * Node's own process warnings (a dependency's deprecation notice) are not the CLI's output;
 * the assertions below are about what kubesim itself prints.
 */
export function withoutNodeWarnings(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\(node:\d+\) /.test(line) && !line.startsWith('(Use `node --trace-warnings'))
    .join('\n');
}

/** Waits for the banner and returns the server URL it names. */
export async function started(run: Running): Promise<string> {
  await run.waitFor(/^Press Ctrl\+C to stop\.$/m);
  const [, url] = (await run.waitFor(/serving the Kubernetes API at (http\S+)/)) as unknown as [string, string];
  return url;
}

export async function exitWithin(run: Running, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`kubesim did not exit within ${ms}ms`)), ms);
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * For a test file that starts `kubesim` as a user would: a fresh working directory (also its
 * HOME) per test, and every process started in it killed and the directory removed after.
 */
export function kubesimSandbox(prefix: string): { dir(): string; kubesim(args: string[]): Running } {
  let dir = '';
  const running: Running[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    for (const r of running.splice(0)) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    kubesim(args) {
      const run = spawnKubesim(args, { cwd: dir, env: { ...process.env, HOME: dir } });
      running.push(run);
      return run;
    },
  };
}
