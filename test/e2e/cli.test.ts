// The `kubesim` command end to end: bin/kubesim.js (dist/ when fresh, else the sources
// through tsx) started as a child process on a free port, as a user would.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exitWithin, spawnKubesim, started, type Running } from './cli-process.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

let dir: string;
let home: string;
const children: ChildProcess[] = [];

function kubesim(args: string[]): Running {
  // HOME points at an empty temp folder so the test can prove ~/.kube/config is left alone.
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.KUBECONFIG;
  const run = spawnKubesim(args, { cwd: dir, env });
  children.push(run.child);
  return run;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubesim-cli-'));
  home = join(dir, 'home');
  await mkdir(home);
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('kubesim CLI', () => {
  it('serves on a free port, writes the kubeconfig, and exits 0 on SIGTERM', async () => {
    const kubeconfigPath = join(dir, 'out', 'kubeconfig');
    const run = kubesim(['--port', '0', '--kubeconfig', kubeconfigPath]);
    const url = await started(run);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.stdout()).toContain(`export KUBECONFIG=${kubeconfigPath}`);

    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status).toBe(200);
    expect((await readyz.text()).trim()).toBe('ok');

    const config = parse(await readFile(kubeconfigPath, 'utf8')) as {
      'current-context': string;
      clusters: { name: string; cluster: { server: string } }[];
      users: { name: string }[];
      contexts: { name: string; context: { cluster: string; user: string } }[];
    };
    expect(config['current-context']).toBe('kubesim');
    expect(config.clusters).toEqual([{ name: 'kubesim', cluster: { server: url, 'insecure-skip-tls-verify': true } }]);
    expect(config.users.map((u) => u.name)).toEqual(['kubesim']);
    expect(config.contexts).toEqual([{ name: 'kubesim', context: { cluster: 'kubesim', user: 'kubesim' } }]);

    run.child.kill('SIGTERM');
    expect(await exitWithin(run, 5000)).toEqual({ code: 0, signal: null });
    expect(existsSync(join(home, '.kube'))).toBe(false);
    expect(run.stderr()).toBe('');
  });

  it('writes ./.kubesim/kubeconfig by default and exits 0 on SIGINT', async () => {
    const run = kubesim(['serve', '--port', '0']);
    await started(run);
    const path = join(dir, '.kubesim', 'kubeconfig');
    expect(run.stdout()).toContain(`export KUBECONFIG=${path}`);
    expect(existsSync(path)).toBe(true);
    run.child.kill('SIGINT');
    expect(await exitWithin(run, 5000)).toEqual({ code: 0, signal: null });
    expect(existsSync(join(home, '.kube'))).toBe(false);
  });

  it('creates the objects of a --load folder and reports each', async () => {
    const manifests = join(dir, 'manifests');
    await mkdir(manifests);
    await writeFile(join(manifests, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  hello: world\n');
    const kubeconfigPath = join(dir, 'kubeconfig');
    const run = kubesim(['--port', '0', '--kubeconfig', kubeconfigPath, '--load', manifests]);
    const url = await started(run);
    expect(run.stdout()).toMatch(/^configmap\/greeting created$/m);

    const res = await fetch(`${url}/api/v1/namespaces/default/configmaps/greeting`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown }).data).toEqual({ hello: 'world' });

    if (hasKubectl) {
      const kubectl = spawnSync('kubectl', ['--kubeconfig', kubeconfigPath, 'get', 'configmap', 'greeting', '-o', 'name'], {
        encoding: 'utf8',
        env: { ...process.env, HOME: home },
      });
      expect(kubectl.stderr).toBe('');
      expect(kubectl.stdout.trim()).toBe('configmap/greeting');
    }
    run.child.kill('SIGTERM');
    expect((await exitWithin(run, 5000)).code).toBe(0);
  });

  it('says in one line that the port is taken and exits 1', async () => {
    const first = kubesim(['--port', '0', '--kubeconfig', join(dir, 'a')]);
    const port = new URL(await started(first)).port;
    const second = kubesim(['--port', port, '--kubeconfig', join(dir, 'b')]);
    expect((await exitWithin(second, 10_000)).code).toBe(1);
    expect(second.stderr().trim()).toBe(`kubesim: port ${port} on 127.0.0.1 is already in use (another kubesim? --port 0 picks a free port)`);
    first.child.kill('SIGTERM');
    expect((await exitWithin(first, 5000)).code).toBe(0);
  });

  it('serves a virtual clock that `kubesim clock advance` moves', async () => {
    const run = kubesim(['--port', '0', '--clock', 'virtual']);
    await started(run);
    expect(run.stdout()).toContain('kubesim clock advance 5m');
    const before = kubesim(['clock']);
    expect((await exitWithin(before, 10_000)).code).toBe(0);
    const t0 = Date.parse(before.stdout().split(' ')[0]!);
    const advance = kubesim(['clock', 'advance', '90m']);
    expect((await exitWithin(advance, 10_000)).code).toBe(0);
    expect(advance.stdout().trim()).toMatch(/ \(virtual\)$/);
    expect(Date.parse(advance.stdout().split(' ')[0]!) - t0).toBe(90 * 60 * 1000);
    run.child.kill('SIGTERM');
    expect((await exitWithin(run, 10_000)).code).toBe(0);
  });

  it('runs the controllers out of process against a kubeconfig, refusing unknown names', async () => {
    const server = kubesim(['--port', '0', '--controllers', 'none', '--kubeconfig', 'kc.yaml']);
    await started(server);
    const unknown = kubesim(['controllers', '--kubeconfig', 'kc.yaml', '--only', 'nope']);
    expect((await exitWithin(unknown, 10_000)).code).toBe(1);
    expect(unknown.stderr()).toContain('unknown controller "nope"');
    const ok = kubesim(['controllers', '--kubeconfig', 'kc.yaml']);
    await ok.waitFor(/kubesim controllers running against http:\/\/127\.0\.0\.1:\d+/);
    ok.child.kill('SIGTERM');
    expect((await exitWithin(ok, 10_000)).code).toBe(0);
    server.child.kill('SIGTERM');
    expect((await exitWithin(server, 10_000)).code).toBe(0);
  });

  it('rejects an unknown flag with usage and exit code 2', async () => {
    const run = kubesim(['--bogus']);
    expect((await exitWithin(run, 10_000)).code).toBe(2);
    expect(run.stderr()).toMatch(/^kubesim: unknown flag --bogus\n/);
    expect(run.stderr()).toContain('Usage: kubesim [serve] [flags]');
  });
});
