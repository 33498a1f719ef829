// An example program (examples/*) run as a subprocess against kubesim, as a learner runs it:
// its output kept for failure messages, waits that fail at once if it exits, and a kill.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './controller-harness.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const WAIT_MS = 15_000;

/** A running example: its output so far, for failure messages, and a way to stop it. */
export class Example {
  private out = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }
  output(): string {
    return this.out;
  }
  /** Waits for `check`; fails at once if the example exits, and the error carries its output. */
  async waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = WAIT_MS): Promise<T> {
    const died = this.exited.then(({ code, signal }) => {
      throw new Error(`the example exited (${code ?? signal}) while waiting for ${what}`);
    });
    try {
      return await Promise.race([waitFor(what, check, timeoutMs, 20), died]);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- example output ---\n${this.out}`);
    }
  }
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Starts `cmd args` in the repository root with KUBECONFIG set and no $NAMESPACE. */
export function startExample(cmd: string, args: string[], kubeconfigPath: string): Example {
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: kubeconfigPath };
  delete env.NAMESPACE; // the TypeScript operators would watch only that namespace
  return new Example(spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }));
}
