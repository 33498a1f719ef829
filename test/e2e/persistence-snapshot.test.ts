// `kubesim snapshot save FILE` and `kubesim serve --restore FILE` as a teacher uses them: prepare
// a cluster, save it, start the lesson from it (again and again), through the real command and
// kubectl; a damaged file is refused, a data dir in use is refused.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCluster } from '../../src/index.js';
import { bin, exitWithin, spawnKubesim, started, withoutNodeWarnings, type Running } from './cli-process.js';
import { kubectl, kubectlBinaries, requireClient } from './support.js';

const kubectlBin = kubectlBinaries()[0];
const skip = requireClient(kubectlBin !== undefined, 'kubectl');

let dir: string;
const children: ChildProcess[] = [];

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, HOME: join(dir, 'home') };
  delete e.KUBECONFIG;
  return e;
}

function kubesim(args: string[]): Running {
  const r = spawnKubesim(args, { cwd: dir, env: env() });
  children.push(r.child);
  return r;
}

/** `kubesim ARGS` to completion, in the test's dir. */
function kubesimCommand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env: env(), timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout: String(stdout), stderr: withoutNodeWarnings(String(stderr)) });
    });
  });
}

async function stop(r: Running): Promise<void> {
  r.child.kill('SIGTERM');
  expect((await exitWithin(r, 15_000)).code).toBe(0);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubesim-snapshot-'));
  await mkdir(join(dir, 'home'));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(Boolean(skip))('kubesim snapshot save / serve --restore', () => {
  it('saves a prepared cluster and starts the lesson from it, with the same uids', async () => {
    const teacher = kubesim(['--port', '0', '--controllers', 'none']);
    await started(teacher);
    const k = kubectl(kubectlBin!, join(dir, '.kubesim', 'kubeconfig'));
    expect((await k(['create', 'namespace', 'lesson-1'])).code).toBe(0);
    expect((await k(['create', 'configmap', 'welcome', '-n', 'lesson-1', '--from-literal=task=scale the deployment'])).code).toBe(0);
    const uid = (await k(['get', 'configmap', 'welcome', '-n', 'lesson-1', '-o', 'jsonpath={.metadata.uid}'])).stdout;

    const save = await kubesimCommand(['snapshot', 'save', 'lesson.snap']);
    expect(save.stderr).toBe('');
    expect(save.stdout).toMatch(new RegExp(`^saved \\d+ objects at resourceVersion \\d+ to ${join(dir, 'lesson.snap')}\\n$`));
    await stop(teacher);

    for (const round of [1, 2]) {
      const lesson = kubesim(['--port', '0', '--controllers', 'none', '--restore', 'lesson.snap']);
      await started(lesson);
      const got = await k(['get', 'configmap', 'welcome', '-n', 'lesson-1', '-o', 'jsonpath={.metadata.uid} {.data.task}']);
      expect(got.stdout, `round ${round}: ${got.stderr}`).toBe(`${uid} scale the deployment`);
      // What the class does is gone next time: the snapshot file is not changed by a restore.
      expect((await k(['delete', 'namespace', 'lesson-1', '--wait=false'])).code).toBe(0);
      await stop(lesson);
    }
  });

  it('restores the same file with startCluster({ restore }) for a test scenario', async () => {
    const prepared = await startCluster({ controllers: 'none' });
    await prepared.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'scenario', namespace: 'default' }, data: { a: '1' } });
    const res = await fetch(`${prepared.url}/kubesim/snapshot`);
    expect(res.status).toBe(200);
    await writeFile(join(dir, 'scenario.snap'), Buffer.from(await res.arrayBuffer()));
    await prepared.stop();

    const c = await startCluster({ controllers: 'none', restore: join(dir, 'scenario.snap') });
    try {
      const cm = await c.client.get({ group: '', version: 'v1', resource: 'configmaps', namespaced: true }, 'scenario', 'default');
      expect(cm?.data).toEqual({ a: '1' });
    } finally {
      await c.stop();
    }
  });

  it('refuses a damaged snapshot: the server does not start', async () => {
    const c = await startCluster({ controllers: 'none' });
    const data = Buffer.from(await (await fetch(`${c.url}/kubesim/snapshot`)).arrayBuffer());
    await c.stop();
    data[data.length - 3] ^= 0x04;
    await writeFile(join(dir, 'bad.snap'), data);
    const r = kubesim(['--port', '0', '--restore', 'bad.snap']);
    const exit = await exitWithin(r, 30_000);
    expect(exit.code).toBe(1);
    expect(r.stderr()).toContain(`kubesim: failed to start: ${join(dir, 'bad.snap')} is not a usable kubesim snapshot: its checksum does not match its content (the file is damaged)`);
    expect(r.stdout()).not.toContain('serving');
  });

  it('refuses a second server on a data dir in use, and saves a stopped one from its data dir', async () => {
    const first = kubesim(['--port', '0', '--controllers', 'none', '--data-dir', 'data']);
    await started(first);
    expect(first.stdout()).toContain(`Keeping data in ${join(dir, 'data')} (--data-sync always).`);
    const second = kubesim(['--port', '0', '--data-dir', 'data', '--kubeconfig', 'other']);
    expect((await exitWithin(second, 30_000)).code).toBe(1);
    expect(second.stderr()).toMatch(new RegExp(`failed to start: the data dir ${join(dir, 'data')} is in use by another kubesim \\(pid ${first.child.pid}\\)`));
    const k = kubectl(kubectlBin!, join(dir, '.kubesim', 'kubeconfig'));
    expect((await k(['create', 'configmap', 'kept'])).code).toBe(0);
    await stop(first);

    const save = await kubesimCommand(['snapshot', 'save', 'from-dir.snap', '--data-dir', 'data']);
    expect(save.stdout, save.stderr).toMatch(/^saved \d+ objects/);
    expect((await readFile(join(dir, 'from-dir.snap'), 'utf8')).includes('"name":"kept"')).toBe(true);
  });
});
