import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { StorageError } from '../../../../src/apiserver/storage/interface.js';
import { MemoryStorage } from '../../../../src/apiserver/storage/memory.js';
import { attachPersistence, snapshotOf, type Persistence, type PersistenceOptions } from '../../../../src/apiserver/storage/persistence/attach.js';
import { DataDirError, LOG_FILE, SNAPSHOT_FILE } from '../../../../src/apiserver/storage/persistence/data-dir.js';
import { DataDirLockedError } from '../../../../src/apiserver/storage/persistence/lock-file.js';
import { SnapshotError } from '../../../../src/apiserver/storage/persistence/snapshot-file.js';
import { runStorageConformance } from '../../../conformance/storage-suite.js';

const dirs: string[] = [];
const open: Persistence[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kubesim-persist-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const p of open.splice(0)) p.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cm(name: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', uid: `uid-${name}` }, data };
}

/** A store on `dir`, as startCluster opens one; its warnings collected. */
function start(dir: string, opts: Omit<PersistenceOptions, 'dataDir'> = {}) {
  const warnings: string[] = [];
  const storage = new MemoryStorage({ eventHistorySize: 100 });
  const persistence = attachPersistence(storage, { dataDir: dir, warn: (m) => warnings.push(m), ...opts });
  open.push(persistence);
  const stop = () => {
    open.splice(open.indexOf(persistence), 1);
    persistence.close();
  };
  return { storage, persistence, warnings, stop };
}

/** A process that died leaving its state behind: the files as they are, lock included, nothing compacted. */
function crash(s: ReturnType<typeof start>, dir: string): void {
  open.splice(open.indexOf(s.persistence), 1);
  // Drop the commit log without the clean stop's compaction; the lock file stays, naming a dead pid.
  s.storage.setCommitLog(undefined);
  writeFileSync(join(dir, 'LOCK'), `${deadPid()}\n`);
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

function all(storage: MemoryStorage) {
  return [...storage.entries()].map((e) => [e.resource, e.key, e.object.metadata.uid, e.object.metadata.resourceVersion, (e.object as { data?: unknown }).data]);
}

// The store with a data dir attached keeps every storage semantic of the plain one.
runStorageConformance('MemoryStorage with a data dir', (opts) => {
  const storage = new MemoryStorage(opts);
  attachPersistence(storage, { dataDir: tempDir(), dataSync: 'batch' });
  return storage;
});

describe('data dir', () => {
  it('brings back the same objects, uids and resourceVersions after a clean stop, and continues upward', () => {
    const dir = tempDir();
    const a = start(dir);
    a.storage.create('configmaps', 'ns/a', cm('a', { v: '1' }));
    a.storage.create('configmaps', 'ns/b', cm('b'));
    a.storage.update('configmaps', 'ns/a', cm('a', { v: '2' }));
    a.storage.delete('configmaps', 'ns/b');
    a.storage.create('secrets', 'ns/s', cm('s'));
    const before = all(a.storage);
    const rv = a.storage.resourceVersion;
    a.stop();
    // A clean stop leaves one snapshot and an empty log.
    expect(statSync(join(dir, LOG_FILE)).size).toBe(0);
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);

    const b = start(dir);
    expect(all(b.storage)).toEqual(before);
    expect(b.storage.resourceVersion).toBe(rv);
    expect(b.persistence.restoredResourceVersion).toBe(rv);
    const next = b.storage.create('configmaps', 'ns/c', cm('c'));
    expect(Number(next.metadata.resourceVersion)).toBe(rv + 1);
  });

  it('replays the log after a crash, with no snapshot at all', () => {
    const dir = tempDir();
    const a = start(dir);
    a.storage.create('configmaps', 'ns/a', cm('a'));
    a.storage.update('configmaps', 'ns/a', cm('a', { v: '2' }));
    const before = all(a.storage);
    crash(a, dir);
    expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(false);
    const b = start(dir);
    expect(all(b.storage)).toEqual(before);
    expect(b.warnings.join('\n')).toMatch(/taking over the lock .* which no longer runs/);
  });

  it('tells a watch or a list from before the restart to relist (410), and serves one from the restored resourceVersion', () => {
    const dir = tempDir();
    const a = start(dir);
    const first = a.storage.create('configmaps', 'ns/a', cm('a'));
    a.storage.create('configmaps', 'ns/b', cm('b'));
    a.stop();
    const b = start(dir);
    const old = Number(first.metadata.resourceVersion);
    expect(() => b.storage.watch('configmaps', { sinceResourceVersion: old }, () => undefined)).toThrow(expect.objectContaining({ code: 'Expired' }));
    expect(() => b.storage.list('configmaps', { atResourceVersion: old })).toThrow(StorageError);
    const seen: string[] = [];
    b.storage.watch('configmaps', { sinceResourceVersion: b.storage.resourceVersion }, (ev) => seen.push(`${ev.type} ${ev.object.metadata.name}`));
    b.storage.create('configmaps', 'ns/c', cm('c'));
    expect(seen).toEqual(['ADDED c']);
  });

  it('discards a torn last record with a warning, and appends after the good ones', () => {
    const dir = tempDir();
    const a = start(dir);
    a.storage.create('configmaps', 'ns/a', cm('a'));
    a.storage.create('configmaps', 'ns/b', cm('b'));
    const before = all(a.storage);
    crash(a, dir);
    const logPath = join(dir, LOG_FILE);
    const goodBytes = statSync(logPath).size;
    // Half of a record: its header says 500 bytes, 10 arrived.
    const torn = Buffer.alloc(18);
    torn.writeUInt32LE(500, 0);
    appendFileSync(logPath, torn);

    const b = start(dir);
    expect(all(b.storage)).toEqual(before);
    expect(b.warnings.some((w) => /ends in a torn record .*discarding it/.test(w))).toBe(true);
    expect(statSync(logPath).size).toBe(goodBytes);
    b.storage.create('configmaps', 'ns/c', cm('c'));
    const after = all(b.storage);
    crash(b, dir);
    const c = start(dir);
    expect(all(c.storage)).toEqual(after);
    expect(c.warnings.filter((w) => /torn/.test(w))).toEqual([]);
  });

  it('refuses a damaged snapshot with a clear error, loads nothing and releases the lock', () => {
    const dir = tempDir();
    const a = start(dir);
    a.storage.create('configmaps', 'ns/a', cm('a'));
    a.stop();
    const path = join(dir, SNAPSHOT_FILE);
    const snap = readFileSync(path);
    snap[snap.length - 5] ^= 0x20;
    writeFileSync(path, snap);
    const storage = new MemoryStorage();
    expect(() => attachPersistence(storage, { dataDir: dir, warn: () => undefined })).toThrow(SnapshotError);
    expect(() => attachPersistence(storage, { dataDir: dir, warn: () => undefined })).toThrow(/checksum does not match its content/);
    expect(storage.resourceVersion).toBe(1);
    expect([...storage.entries()]).toEqual([]);
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
  });

  it('refuses a log damaged before its last record', () => {
    const dir = tempDir();
    const a = start(dir);
    a.storage.create('configmaps', 'ns/a', cm('a'));
    a.storage.create('configmaps', 'ns/b', cm('b'));
    crash(a, dir);
    const path = join(dir, LOG_FILE);
    const log = readFileSync(path);
    log[12] ^= 0x01; // inside the first record's payload
    writeFileSync(path, log);
    expect(() => start(dir)).toThrow(DataDirError);
    expect(() => start(dir)).toThrow(/is damaged: checksum mismatch .* with records after it/);
  });

  it('snapshots and empties the log every snapshotEvery changes; records a snapshot holds are skipped', async () => {
    const dir = tempDir();
    const a = start(dir, { snapshotEvery: 3 });
    for (const n of ['a', 'b', 'c']) a.storage.create('configmaps', `ns/${n}`, cm(n));
    // Compaction runs after the write that triggered it is applied.
    await new Promise((r) => setImmediate(r));
    expect(statSync(join(dir, LOG_FILE)).size).toBe(0);
    expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(true);
    a.storage.update('configmaps', 'ns/a', cm('a', { v: '2' }));
    const logAfterOne = readFileSync(join(dir, LOG_FILE));
    // A crash between writing a snapshot and emptying the log: the snapshot is newer than part of the log.
    a.storage.delete('configmaps', 'ns/b');
    writeFileSync(join(dir, SNAPSHOT_FILE), snapshotOf(a.storage));
    writeFileSync(join(dir, LOG_FILE), Buffer.concat([logAfterOne, readFileSync(join(dir, LOG_FILE)).subarray(logAfterOne.length)]));
    a.storage.create('configmaps', 'ns/d', cm('d'));
    const before = all(a.storage);
    crash(a, dir);
    const b = start(dir);
    expect(all(b.storage)).toEqual(before);
  });

  it('refuses a second server on the same dir, and takes over a dead one\'s lock', () => {
    const dir = tempDir();
    const a = start(dir);
    expect(() => attachPersistence(new MemoryStorage(), { dataDir: dir })).toThrow(DataDirLockedError);
    expect(() => attachPersistence(new MemoryStorage(), { dataDir: dir })).toThrow(/is in use by another kubesim \(pid \d+\)/);
    a.stop();
    writeFileSync(join(dir, 'LOCK'), `${deadPid()}\n`);
    const b = start(dir);
    expect(b.warnings.join()).toMatch(/taking over the lock/);
  });

  it('changes nothing when the log refuses a write', () => {
    const storage = new MemoryStorage();
    storage.create('configmaps', 'ns/a', cm('a'));
    const before = all(storage);
    const rv = storage.resourceVersion;
    const events: string[] = [];
    storage.watch('configmaps', {}, (ev) => events.push(ev.type));
    storage.setCommitLog({
      append() {
        throw new Error('ENOSPC: no space left on device');
      },
    });
    expect(() => storage.create('configmaps', 'ns/b', cm('b'))).toThrow(/ENOSPC/);
    expect(() => storage.update('configmaps', 'ns/a', cm('a', { v: '2' }))).toThrow(/ENOSPC/);
    expect(() => storage.delete('configmaps', 'ns/a')).toThrow(/ENOSPC/);
    expect(all(storage)).toEqual(before);
    expect(storage.resourceVersion).toBe(rv);
    expect(events).toEqual([]);
  });

  it('restores a snapshot file into an empty dir only, and without a dir into memory', () => {
    const source = new MemoryStorage();
    source.create('configmaps', 'ns/a', cm('a'));
    source.create('configmaps', 'ns/b', cm('b'));
    const file = join(tempDir(), 'lesson.snap');
    writeFileSync(file, snapshotOf(source));

    const mem = new MemoryStorage();
    attachPersistence(mem, { restore: file });
    expect(all(mem)).toEqual(all(source));
    expect(mem.resourceVersion).toBe(source.resourceVersion);

    const dir = tempDir();
    const a = start(dir, { restore: file });
    expect(all(a.storage)).toEqual(all(source));
    a.storage.create('configmaps', 'ns/c', cm('c'));
    a.stop();
    expect(() => start(dir, { restore: file })).toThrow(/already holds a cluster/);
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
  });
});
