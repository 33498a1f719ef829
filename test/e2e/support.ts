// Helpers for end-to-end tests that drive real clients against kubesim on a free port.
// A client missing from this machine skips its tests with the reason, except in CI
// (CI=true), where a missing client fails the run.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const inCI = process.env.CI === 'true';

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

export interface KubectlBinary {
  /** "kubectl" or "kubectl.1.27". */
  name: string;
  path: string;
}

/** `kubectl` and every `kubectl.1.NN` installed beside the binary it links to. */
export function kubectlBinaries(): KubectlBinary[] {
  const main = which('kubectl');
  if (!main) return [];
  const dir = dirname(realpathSync(main));
  const versioned = readdirSync(dir)
    .filter((f) => /^kubectl\.1\.\d+$/.test(f))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
    .map((f) => ({ name: f, path: join(dir, f) }));
  return [{ name: 'kubectl', path: main }, ...versioned];
}

/** Throws in CI when a client is missing; elsewhere returns the reason to skip. */
export function requireClient(present: boolean, what: string): string | undefined {
  if (present) return undefined;
  const reason = `${what} is not installed on this machine`;
  if (inCI) throw new Error(`${reason}; CI must install it (see .ci/run)`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** A kubectl runner bound to one binary and kubeconfig, with its own HOME and cache dir. */
export function kubectl(bin: KubectlBinary, kubeconfigPath: string) {
  const home = mkdtempSync(join(tmpdir(), 'kubesim-kubectl-home-'));
  const env = { KUBECONFIG: kubeconfigPath, HOME: home, KUBECACHEDIR: join(home, 'cache') };
  return (args: string[], timeoutMs?: number) => run(bin.path, args, env, timeoutMs);
}
