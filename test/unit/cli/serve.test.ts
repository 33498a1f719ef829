// The serve flow with a fake cluster and hand-fired signals: no socket, no real server.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { ServeFlags } from '../../../src/cli/args.js';
import type { CliIO } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { serve, shellQuote, startError, type ServeDeps } from '../../../src/cli/serve.js';
import { renderKubeconfig } from '../../../src/clients/kubeconfig.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubesim-serve-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function captureIO(env: NodeJS.ProcessEnv = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), cwd: dir, env, home: join(dir, 'home') };
}

const baseFlags: ServeFlags = { port: 0, host: '127.0.0.1', mergeKubeconfig: false, controllers: 'all', load: [], logLevel: 'warn', clock: 'real', nodes: 1, limits: {} };

function fakeDeps(overrides: Partial<ServeDeps> = {}) {
  let fire!: (signal: string) => void;
  const next = new Promise<string>((r) => (fire = r));
  const stop = vi.fn(async () => {});
  const startCluster = vi.fn<ServeDeps['startCluster']>(async (options) => {
    const url = 'http://127.0.0.1:43210';
    return { url, port: 43210, host: '127.0.0.1', kubeconfigPath: options.kubeconfigPath!, kubeconfig: renderKubeconfig({ server: url }), stop };
  });
  const disposed = vi.fn();
  const deps: ServeDeps = { startCluster, listenForSignals: () => ({ next, dispose: disposed }), ...overrides };
  return { deps, fire, stop, startCluster, disposed };
}

/** Waits until serve has printed its banner. */
async function bannerOf(io: { stdout: string[] }): Promise<void> {
  await vi.waitFor(() => expect(io.stdout.at(-1)).toBe('Press Ctrl+C to stop.'));
}

describe('serve', () => {
  it('writes ./.kubesim/kubeconfig, prints the banner, and stops cleanly on a signal', async () => {
    const io = captureIO();
    const { deps, fire, stop, startCluster, disposed } = fakeDeps();
    const done = serve(baseFlags, io, deps);
    await bannerOf(io);
    const path = join(dir, '.kubesim', 'kubeconfig');
    expect(startCluster).toHaveBeenCalledWith({ port: 0, host: '127.0.0.1', controllers: 'all', logLevel: 'warn', kubeconfigPath: path, clock: 'real', nodes: 1, limits: {} });
    expect(io.stdout).toEqual([
      expect.stringMatching(/^kubesim \S+ is serving the Kubernetes API at http:\/\/127\.0\.0\.1:43210$/),
      `  export KUBECONFIG=${path}`,
      '  kubectl get ns',
      'Press Ctrl+C to stop.',
    ]);
    const config = parse(await readFile(path, 'utf8')) as { 'current-context': string };
    expect(config['current-context']).toBe('kubesim');
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    fire('SIGTERM');
    expect(await done).toBe(0);
    expect(stop).toHaveBeenCalledOnce();
    expect(disposed).toHaveBeenCalledOnce();
    expect(io.stderr).toEqual([]);
  });

  it('writes the kubeconfig where --kubeconfig says, relative to the working directory', async () => {
    const io = captureIO();
    const { deps, fire } = fakeDeps();
    const done = serve({ ...baseFlags, kubeconfig: 'my dir/kc.yaml' }, io, deps);
    await bannerOf(io);
    expect(io.stdout[1]).toBe(`  export KUBECONFIG='${join(dir, 'my dir', 'kc.yaml')}'`);
    await stat(join(dir, 'my dir', 'kc.yaml'));
    fire('SIGINT');
    expect(await done).toBe(0);
  });

  it('leaves ~/.kube/config alone unless asked to merge', async () => {
    const io = captureIO();
    const { deps, fire } = fakeDeps();
    const done = serve(baseFlags, io, deps);
    await bannerOf(io);
    fire('SIGINT');
    await done;
    await expect(stat(join(dir, 'home', '.kube', 'config'))).rejects.toThrow(/ENOENT/);
  });

  it('merges into the first $KUBECONFIG file with --merge-kubeconfig, keeping its current context', async () => {
    const target = join(dir, 'user-config');
    await writeFile(target, 'apiVersion: v1\nkind: Config\ncurrent-context: prod\ncontexts:\n- name: prod\n  context: {cluster: prod, user: prod}\n');
    const io = captureIO({ KUBECONFIG: `${target}:${join(dir, 'other')}` });
    const { deps, fire } = fakeDeps();
    const done = serve({ ...baseFlags, mergeKubeconfig: true }, io, deps);
    await bannerOf(io);
    expect(io.stdout).toContain(`Merged context "kubesim" into ${target}; use it with: kubectl --context kubesim get ns`);
    const config = parse(await readFile(target, 'utf8')) as { 'current-context': string; contexts: { name: string }[] };
    expect(config['current-context']).toBe('prod');
    expect(config.contexts.map((c) => c.name)).toEqual(['prod', 'kubesim']);
    fire('SIGINT');
    expect(await done).toBe(0);
  });

  it('fails before starting when a --load path is missing', async () => {
    const io = captureIO();
    const { deps, startCluster } = fakeDeps();
    expect(await serve({ ...baseFlags, load: ['nope.yaml'] }, io, deps)).toBe(1);
    expect(startCluster).not.toHaveBeenCalled();
    expect(io.stderr).toEqual(['error: nope.yaml: no such file or directory']);
  });

  it('says in one line that the port is taken', async () => {
    const io = captureIO();
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:6443'), { code: 'EADDRINUSE' });
    const { deps } = fakeDeps({ startCluster: async () => Promise.reject(inUse) });
    expect(await serve({ ...baseFlags, port: 6443 }, io, deps)).toBe(1);
    expect(io.stderr).toEqual(['kubesim: port 6443 on 127.0.0.1 is already in use (another kubesim? --port 0 picks a free port)']);
  });

  it('exits 1 when stopping takes too long', async () => {
    const io = captureIO();
    const { deps, fire } = fakeDeps({ stopTimeoutMs: 20 });
    const hanging = deps.startCluster;
    deps.startCluster = async (o) => ({ ...(await hanging(o)), stop: () => new Promise<void>(() => {}) });
    const done = serve(baseFlags, io, deps);
    await bannerOf(io);
    fire('SIGTERM');
    expect(await done).toBe(1);
    expect(io.stderr).toEqual(['kubesim: the server did not stop within 0.02s; exiting anyway']);
  });
});

describe('startError', () => {
  it('finds the errno code in a wrapped error', () => {
    const wrapped = new Error('failed', { cause: Object.assign(new Error('x'), { code: 'EACCES' }) });
    expect(startError(wrapped, { host: '127.0.0.1', port: 80 })).toMatch(/^kubesim: no permission to listen on 127.0.0.1:80/);
    expect(startError(new Error('boom'), { host: 'h', port: 1 })).toBe('kubesim: failed to start: boom');
  });
});

describe('shellQuote', () => {
  it('quotes only when needed', () => {
    expect(shellQuote('/tmp/a/.kubesim/kubeconfig')).toBe('/tmp/a/.kubesim/kubeconfig');
    expect(shellQuote("/tmp/it's here")).toBe(`'/tmp/it'\\''s here'`);
  });
});

describe('main', () => {
  it('prints usage with a short error and returns 2 for an unknown flag', async () => {
    const io = captureIO();
    expect(await main(['--frobnicate'], io)).toBe(2);
    expect(io.stderr[0]).toBe('kubesim: unknown flag --frobnicate');
    expect(io.stderr.join('\n')).toContain('Usage: kubesim [serve] [flags]');
    expect(io.stdout).toEqual([]);
  });

  it('prints help and the version', async () => {
    const help = captureIO();
    expect(await main(['--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).toContain('--merge-kubeconfig');
    const version = captureIO();
    expect(await main(['--version'], version)).toBe(0);
    expect(version.stdout).toEqual([JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')).version]);
  });
});
