// The fixture as a user gets it (issue 7): kubesim packed with `npm pack`, installed from the
// tarball into a fresh project, and the documented examples (examples/testing/) run there,
// each with its own runner: node:test, vitest, jest, pytest, plus the installed CLI serving
// kubectl. Nothing here can reach the repository's sources: `import 'kubesim'` must resolve
// to the installed package, as it would in a user's project.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './cli-process.js';
import { kubectlBinaries, requireClient, type RunResult } from './support.js';

const examples = join(root, 'examples', 'testing');
const repoModules = join(root, 'node_modules');

function pytestWithKubernetes(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import pytest, kubernetes'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skipPython = requireClient(pytestWithKubernetes(), 'pytest with the Python kubernetes client (Debian packages python3-pytest, python3-kubernetes)');
const kubectlBin = kubectlBinaries()[0];
const skipKubectl = requireClient(kubectlBin !== undefined, 'kubectl');

/**
 * The environment of a user's shell, not of this vitest worker: a child vitest or jest must
 * not believe it runs inside one, and a kubeconfig of ours must not leak in.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of Object.keys(env)) {
    if (key.startsWith('VITEST') || ['TEST', 'NODE_ENV', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL', 'KUBECONFIG', 'KUBESIM'].includes(key)) delete env[key];
  }
  return env;
}

function exec(cmd: string, args: string[], opts: { cwd: string; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: opts.cwd, env: userEnv(), timeout: opts.timeoutMs ?? 90_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const plain = (r: RunResult) => `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');

let dir: string;
let project: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-package-'));
  const packed = join(dir, 'pack');
  mkdirSync(packed);
  // What prepack does (npm run build), skipped when dist/ is already newer than every source
  // (npm install's postinstall builds it): the slowest step of this file, not worth repeating.
  const build = await exec(process.execPath, [join(root, 'scripts', 'build-if-stale.mjs')], { cwd: root });
  expect(build.code, plain(build)).toBe(0);
  const pack = await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', packed], { cwd: root });
  expect(pack.code, plain(pack)).toBe(0);
  const tarball = readdirSync(packed).find((f) => f.endsWith('.tgz'));
  expect(tarball, plain(pack)).toBeDefined();

  project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fresh-project', private: true, type: 'module' }));
  const install = await exec('npm', ['install', join(packed, tarball!), '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project });
  expect(install.code, plain(install)).toBe(0);
  // The test runners are the repository's (not installed again); jest's test environment
  // imports jest-environment-node, which a project with jest installed has beside it.
  symlinkSync(join(repoModules, 'jest-environment-node'), join(project, 'node_modules', 'jest-environment-node'));
  for (const framework of ['node-test', 'vitest', 'jest', 'python']) {
    cpSync(join(examples, framework), join(project, framework), { recursive: true, filter: (src) => !src.endsWith('package.json') && !src.includes('__pycache__') });
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('installs the tarball as a package of its own: import "kubesim" resolves into the project', async () => {
  const installed = join(project, 'node_modules', 'kubesim');
  expect(lstatSync(installed).isSymbolicLink()).toBe(false);
  expect(existsSync(join(installed, 'src'))).toBe(false); // compiled dist/ only, as published
  const resolved = await exec(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('kubesim'))"], { cwd: project });
  expect(resolved.stdout.trim()).toBe(`file://${join(installed, 'dist', 'index.js')}`);
});

describe.concurrent('the examples of docs/testing.md, run in the fresh project', () => {
  it('node:test: node --test', async () => {
    const res = await exec(process.execPath, ['--test', 'fixture.test.mjs'], { cwd: join(project, 'node-test') });
    expect(res.code, plain(res)).toBe(0);
    expect(res.stdout).toMatch(/^# pass 3$/m);
    expect(res.stdout).toMatch(/^# fail 0$/m);
  }, 120_000);

  it('vitest: vitest run (the fixture and the two-cluster isolation demo)', async () => {
    const vitest = join(repoModules, 'vitest', 'vitest.mjs');
    const res = await exec(process.execPath, [vitest, 'run', '--root', join(project, 'vitest')], { cwd: join(project, 'vitest') });
    expect(res.code, plain(res)).toBe(0);
    expect(plain(res)).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(plain(res)).toMatch(/Tests\s+4 passed \(4\)/);
  }, 120_000);

  it('jest: node --experimental-vm-modules jest.js, one cluster per file from the test environment', async () => {
    const jest = join(repoModules, 'jest', 'bin', 'jest.js');
    const res = await exec(process.execPath, ['--experimental-vm-modules', jest, '--ci'], { cwd: join(project, 'jest') });
    expect(res.code, plain(res)).toBe(0);
    expect(res.stderr).toMatch(/^Tests:\s+3 passed, 3 total$/m);
  }, 120_000);

  it.skipIf(Boolean(skipPython))('pytest: kubesim as a subprocess found with npx, a namespace per test', async () => {
    const res = await exec('/usr/bin/python3', ['-m', 'pytest', '-p', 'no:cacheprovider', '-q'], { cwd: join(project, 'python') });
    expect(res.code, plain(res)).toBe(0);
    expect(res.stdout).toMatch(/^3 passed in /m);
  }, 120_000);

  it.skipIf(Boolean(skipKubectl))('the installed CLI: ready line first, kubeconfig written, kubectl served, SIGTERM stops it', async () => {
    const kubeconfig = join(dir, 'cli-kubeconfig');
    const child = spawn(join(project, 'node_modules', '.bin', 'kubesim'), ['--port', '0', '--kubeconfig', kubeconfig], {
      cwd: project,
      env: userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`kubesim exited (${code}) before its ready line: ${out}`)));
      });
      expect(firstLine).toMatch(/^kubesim \S+ is serving the Kubernetes API at http:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(kubeconfig)).toBe(true);
      const get = await exec(kubectlBin!.path, ['--kubeconfig', kubeconfig, 'get', 'namespaces', '-o', 'name'], { cwd: dirname(kubeconfig) });
      expect(get.code, plain(get)).toBe(0);
      expect(get.stdout).toContain('namespace/default');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
