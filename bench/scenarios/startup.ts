// Start-up: what a test suite pays per cluster and a learner per `npx kubesim`. The CLI is
// timed from spawning the process to /readyz answering 200; startCluster() in this process
// once modules are loaded (a test file's second cluster onwards), and the first one in a
// fresh process with the import included.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../../src/index.js';
import { percentile, type Figure } from '../figures.js';
import type { Scenario } from '../scenario.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Spawns the CLI and resolves with ms until /readyz answered 200. */
async function cliReady(command: string, args: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
  const t0 = performance.now();
  const child = spawn(command, [...args, '--port', '0', '--kubeconfig', join(dir, 'kubeconfig'), '--log-level', 'silent'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    // Its own process group: npx does not pass SIGTERM on to kubesim, so the group is signalled.
    detached: true,
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /serving the Kubernetes API at (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`${command} exited (${code}) before it was ready:\n${out}`)));
    });
    for (;;) {
      const res = await fetch(`${url}/readyz`).catch(() => undefined);
      if (res?.status === 200) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 1));
    }
  } finally {
    const exited = new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh node process that imports kubesim and starts one cluster: the first test file's cost. */
async function firstClusterInFreshProcess(): Promise<number> {
  const script = `const t0 = performance.now(); const { startCluster } = await import(${JSON.stringify(join(root, 'src/index.ts'))}); const c = await startCluster(); console.log(performance.now() - t0); await c.stop(); process.exit(0);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  await new Promise((r) => child.once('exit', r));
  return Number(out.trim());
}

export const startup: Scenario = {
  name: 'startup',
  description: 'the CLI to /readyz, startCluster() to ready, stop()',
  async run(ctx) {
    const rounds = ctx.quick ? 1 : 7;
    // The CLI runs dist/ when it is up to date with src/, else the sources through tsx: time the
    // former, as installed. (Not in the quick run inside the test suite, whose other files run the CLI.)
    if (!ctx.quick) await new Promise((resolve, reject) => spawn(process.execPath, [join(root, 'scripts/build-if-stale.mjs')], { cwd: root, stdio: 'inherit' }).once('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`build failed (${code})`)))));
    const figures: Figure[] = [];
    const median = (xs: number[]) => percentile(xs, 50);

    const cli: number[] = [];
    const npx: number[] = [];
    for (let i = 0; i < rounds; i++) {
      cli.push(await cliReady(process.execPath, [join(root, 'bin/kubesim.js')]));
      npx.push(await cliReady('npx', ['kubesim']));
    }
    figures.push({ scenario: 'startup', name: 'npx kubesim to /readyz (median)', value: median(npx), unit: 'ms', target: { of: 'value', op: '<=', limit: 500 } });
    figures.push({ scenario: 'startup', name: 'node bin/kubesim.js to /readyz (median)', value: median(cli), unit: 'ms', note: 'what npx runs, without npx' });

    const fresh: number[] = [];
    for (let i = 0; i < Math.min(rounds, 3); i++) fresh.push(await firstClusterInFreshProcess());
    figures.push({ scenario: 'startup', name: 'import + first startCluster() (median)', value: median(fresh), unit: 'ms', note: 'a test file\'s first cluster' });

    for (const controllers of ['all', 'none'] as const) {
      // Warm up: the first cluster in a process compiles the schemas and controllers' code.
      await (await startCluster({ controllers })).stop();
      const start: number[] = [];
      const stop: number[] = [];
      for (let i = 0; i < rounds * 3; i++) {
        const t0 = performance.now();
        const cluster = await startCluster({ controllers });
        start.push(performance.now() - t0);
        const t1 = performance.now();
        await cluster.stop();
        stop.push(performance.now() - t1);
      }
      figures.push({
        scenario: 'startup',
        name: `startCluster({ controllers: '${controllers}' }) (median)`,
        value: median(start),
        unit: 'ms',
        ...(controllers === 'all' ? { target: { of: 'value', op: '<=', limit: 20 } as const } : {}),
      });
      figures.push({ scenario: 'startup', name: `stop() with controllers '${controllers}' (median)`, value: median(stop), unit: 'ms' });
    }
    ctx.log(`  npx ${npx.map((x) => x.toFixed(0)).join(' ')} ms`);
    return figures;
  },
};
