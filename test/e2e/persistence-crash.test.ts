// The crash test: kubesim with --data-dir as a child process, a stream of creates, updates and
// deletes from a few concurrent clients, `kill -9` at a random moment, restart, and every
// acknowledged write must be there — with nothing beyond it but, per client, the one write that
// was in flight. Several rounds on the same data dir (with frequent snapshots, so kills also land
// in compactions), from a fixed seed: the operations and kill delays repeat, the interleaving
// with the kill is up to the machine.
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { exitWithin, spawnKubesim, started, type Running } from './cli-process.js';

const SEED = 0x5eed9;
const ROUNDS = 4;
const WORKERS = 3;
const NS = '/api/v1/namespaces/default/configmaps';

/** mulberry32: a small seeded generator, so the test repeats the same operations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Value = string | null; // a ConfigMap's data.v, or null when it does not exist
interface Worker {
  acked: Map<string, Value>;
  /** The write sent and not answered when the server died: it may or may not have happened. */
  inFlight?: { name: string; after: Value };
  next: number;
}

let dir: string;
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function startServer(sync: string): Running {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: join(dir, 'home') };
  delete env.KUBECONFIG;
  const r = spawnKubesim(['--port', '0', '--controllers', 'none', '--data-dir', 'data', '--snapshot-every', '40', '--data-sync', sync], { cwd: dir, env });
  children.push(r.child);
  return r;
}

async function send(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: { metadata?: { resourceVersion?: string }; data?: { v?: string } } }> {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as never };
}

/** One client's writes until the server dies; each acknowledged write is recorded before the next is sent. */
async function writeUntilDead(url: string, id: number, w: Worker, rand: () => number, maxRV: { value: number }): Promise<void> {
  for (;;) {
    const existing = [...w.acked].filter(([, v]) => v !== null).map(([n]) => n);
    const roll = rand();
    let name: string;
    let after: Value;
    let request: Promise<Awaited<ReturnType<typeof send>>>;
    const value = `${id}-${w.next++}`;
    if (existing.length === 0 || roll < 0.45) {
      name = `w${id}-${w.next}`;
      after = value;
      w.inFlight = { name, after };
      request = send(url, 'POST', NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: value } });
    } else if (roll < 0.8) {
      name = existing[Math.floor(rand() * existing.length)]!;
      after = value;
      w.inFlight = { name, after };
      request = send(url, 'PATCH', `${NS}/${name}`, { data: { v: value } });
    } else {
      name = existing[Math.floor(rand() * existing.length)]!;
      after = null;
      w.inFlight = { name, after };
      request = send(url, 'DELETE', `${NS}/${name}`);
    }
    let res;
    try {
      res = await request;
    } catch {
      return; // the server is gone; inFlight stays unknown
    }
    expect([200, 201], JSON.stringify(res.json)).toContain(res.status);
    w.acked.set(name, after);
    w.inFlight = undefined;
    // A ConfigMap's DELETE answers a Status, with no resourceVersion.
    const rv = Number(res.json.metadata?.resourceVersion);
    if (Number.isInteger(rv)) maxRV.value = Math.max(maxRV.value, rv);
  }
}

// batch: a kill -9 loses nothing either (the log is written before the answer; only its fsync waits).
it.each(['always', 'batch'])(`--data-sync %s keeps every acknowledged write through ${ROUNDS} kill -9s (seed ${SEED})`, async (sync) => {
  dir = await mkdtemp(join(tmpdir(), 'kubesim-crash-'));
  dirs.push(dir);
  await mkdir(join(dir, 'home'));
  const rand = prng(SEED);
  const workers: Worker[] = Array.from({ length: WORKERS }, () => ({ acked: new Map(), next: 0 }));
  const maxRV = { value: 0 };
  let totalAcked = 0;

  for (let round = 1; round <= ROUNDS; round++) {
    const server = startServer(sync);
    const url = await started(server);
    await checkState(url, workers, maxRV, round);
    const before = workers.reduce((n, w) => n + w.next, 0);
    // Every client writes until the kill, which comes after a seeded delay.
    const writers = workers.map((w, i) => writeUntilDead(url, i, w, prng(SEED + round * 100 + i), maxRV));
    await new Promise((r) => setTimeout(r, 300 + Math.floor(rand() * 1200)));
    server.child.kill('SIGKILL');
    expect((await exitWithin(server, 10_000)).signal).toBe('SIGKILL');
    await Promise.all(writers);
    totalAcked += workers.reduce((n, w) => n + w.next, 0) - before;
  }
  const server = startServer(sync);
  const url = await started(server);
  await checkState(url, workers, maxRV, ROUNDS + 1);
  // After a kill -9 the lock is stale: it is taken over, with a warning.
  expect(server.stderr()).toMatch(/taking over the lock/);
  server.child.kill('SIGTERM');
  await exitWithin(server, 15_000);
  console.log(`crash test (${sync}): ${totalAcked} writes acknowledged over ${ROUNDS} rounds`);
  expect(totalAcked).toBeGreaterThan(ROUNDS * WORKERS);
}, 240_000);

/**
 * The restarted server holds every acknowledged write, each client's in-flight write either
 * applied or not, nothing else; its resourceVersion has not gone back, and the next write's is
 * above every one acknowledged. The model then follows what the server holds.
 */
async function checkState(url: string, workers: Worker[], maxRV: { value: number }, round: number): Promise<void> {
  const list = await send(url, 'GET', NS);
  const items = (list.json as unknown as { items: { metadata: { name: string }; data?: { v?: string } }[]; metadata: { resourceVersion: string } }).items;
  const actual = new Map(items.map((i) => [i.metadata.name, i.data?.v ?? '']));
  expect(Number(list.json.metadata?.resourceVersion), `round ${round}: the list's resourceVersion`).toBeGreaterThanOrEqual(maxRV.value);
  const expected = new Set<string>();
  for (const [i, w] of workers.entries()) {
    for (const [name, v] of w.acked) {
      if (w.inFlight?.name === name) continue;
      expect(actual.get(name) ?? null, `round ${round}: worker ${i}'s acknowledged ${name}`).toBe(v);
      if (v !== null) expected.add(name);
    }
    if (w.inFlight) {
      const { name, after } = w.inFlight;
      const got = actual.get(name) ?? null;
      const prior = w.acked.get(name) ?? null;
      expect([prior, after], `round ${round}: worker ${i}'s in-flight write to ${name}`).toContain(got);
      w.acked.set(name, got);
      if (got !== null) expected.add(name);
      w.inFlight = undefined;
    }
  }
  expect([...actual.keys()].filter((n) => !expected.has(n)), `round ${round}: objects no client wrote`).toEqual([]);
  const probe = await send(url, 'POST', NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `probe-${round}` } });
  expect(probe.status).toBe(201);
  expect(Number(probe.json.metadata?.resourceVersion)).toBeGreaterThan(maxRV.value);
  await send(url, 'DELETE', `${NS}/probe-${round}`);
  maxRV.value = Number(probe.json.metadata?.resourceVersion) + 1;
}
