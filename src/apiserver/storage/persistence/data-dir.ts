// A cluster's data dir (--data-dir): the last snapshot plus a commit log of every change after
// it, the shape of etcd's snap/ and wal/ directories.
//   snapshot      the state at one resourceVersion (snapshot-file.ts), replaced atomically
//   wal           framed change records (record-framing.ts) newer than the snapshot
//   LOCK          the pid of the server using the dir (lock-file.ts)
// Start-up reads the snapshot, replays the log over it (a torn last record is cut off with a
// warning; damage anywhere else refuses the start) and hands the state to the store. Every
// change is appended, and fsynced unless `sync: 'batch'`, before it is applied. Every
// `snapshotEvery` changes (and at a clean stop) a snapshot is written and the log emptied.
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../object.js';
import type { CommitLog, StoredChange, StoredEntry } from '../memory.js';
import { toJSON } from '../stored-copy.js';
import { lockDataDir, type DataDirLock } from './lock-file.js';
import { LogFile } from './log-file.js';
import { DamagedLogError, decodeRecords } from './record-framing.js';
import { decodeSnapshot, encodeSnapshot, type SnapshotState } from './snapshot-file.js';

export type DataSync = 'always' | 'batch';

export interface DataDirOptions {
  dir: string;
  /** 'always' (default): fsync every change before answering; 'batch': fsync every batchIntervalMs. */
  sync?: DataSync;
  batchIntervalMs?: number;
  /** Changes between snapshots (default 10,000); the log is also compacted past 64 MiB. */
  snapshotEvery?: number;
  /** A snapshot to start from; only into an empty data dir. */
  restore?: SnapshotState;
  warn?: (message: string) => void;
}

/** The current state, for a snapshot: what the store holds right now. */
export type SnapshotSource = () => { resourceVersion: number; entries: Iterable<StoredEntry> };

export const SNAPSHOT_FILE = 'snapshot';
export const LOG_FILE = 'wal';
const DEFAULT_SNAPSHOT_EVERY = 10_000;
const COMPACT_LOG_BYTES = 64 * 1024 * 1024;

export class DataDirError extends Error {
  override name = 'DataDirError';
}

export class DataDir implements CommitLog {
  /** The state found on disk (or restored), to load into the store before it serves. */
  readonly recovered: SnapshotState;
  private readonly log: LogFile;
  private readonly lock: DataDirLock;
  private readonly sync: DataSync;
  private readonly snapshotEvery: number;
  private readonly warn: (message: string) => void;
  private source: SnapshotSource | undefined;
  private sinceSnapshot = 0;
  private compactionQueued = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    readonly dir: string,
    opts: DataDirOptions,
    lock: DataDirLock,
  ) {
    this.lock = lock;
    this.sync = opts.sync ?? 'always';
    this.snapshotEvery = opts.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    this.warn = opts.warn ?? ((m) => console.warn(m));
    rmSync(join(dir, `${SNAPSHOT_FILE}.tmp`), { force: true });
    const fromDisk = recover(dir, this.warn);
    if (opts.restore) {
      if (fromDisk.resourceVersion > 0) {
        throw new DataDirError(`the data dir ${dir} already holds a cluster (resourceVersion ${fromDisk.resourceVersion}); restore into an empty dir, or start without --restore`);
      }
      writeSnapshot(dir, encodeSnapshot(opts.restore.resourceVersion, opts.restore.entries));
      this.recovered = opts.restore;
    } else {
      this.recovered = { resourceVersion: fromDisk.resourceVersion, entries: fromDisk.entries };
    }
    this.log = new LogFile(join(dir, LOG_FILE));
    this.sinceSnapshot = fromDisk.logRecords;
    if (this.sync === 'batch') {
      this.timer = setInterval(() => this.syncNow(), opts.batchIntervalMs ?? 100);
      this.timer.unref();
    }
  }

  /** Locks and reads `dir` (created if missing); throws, with the lock released, on anything it cannot trust. */
  static open(opts: DataDirOptions): DataDir {
    // Owner-only: the dir holds every Secret.
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
    const warn = opts.warn ?? ((m: string) => console.warn(m));
    const lock = lockDataDir(opts.dir, warn);
    try {
      return new DataDir(opts.dir, { ...opts, warn }, lock);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Where snapshots read the live state from; compaction waits until one is bound. */
  bindSnapshotSource(source: SnapshotSource): void {
    this.source = source;
  }

  append(change: StoredChange): void {
    if (this.closed) throw new DataDirError(`the data dir ${this.dir} is closed`);
    this.log.append(Buffer.from(encodeChange(change)), this.sync === 'always');
    this.sinceSnapshot++;
    if ((this.sinceSnapshot >= this.snapshotEvery || this.log.bytes >= COMPACT_LOG_BYTES) && !this.compactionQueued) {
      // After the write that triggered it is applied, so the snapshot holds it.
      this.compactionQueued = true;
      setImmediate(() => {
        this.compactionQueued = false;
        if (!this.closed) this.compactSafely();
      });
    }
  }

  /** Writes a snapshot of the current state and empties the log. */
  compact(): void {
    if (!this.source) return;
    const { resourceVersion, entries } = this.source();
    writeSnapshot(this.dir, encodeSnapshot(resourceVersion, entries));
    // Safe to crash here: the log's records are all at or below the snapshot's resourceVersion, and skipped.
    this.log.truncate();
    this.sinceSnapshot = 0;
  }

  /** Compacts (so the next start reads one snapshot), syncs and unlocks. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    try {
      if (this.sinceSnapshot > 0) this.compactSafely();
    } finally {
      try {
        this.log.close();
      } finally {
        this.lock.release();
      }
    }
  }

  private compactSafely(): void {
    try {
      this.compact();
    } catch (err) {
      // The log still holds every change: a failed snapshot loses nothing, it only waits.
      this.warn(`kubesim: could not write a snapshot to ${this.dir}: ${(err as Error).message}`);
    }
  }

  private syncNow(): void {
    try {
      this.log.sync();
    } catch (err) {
      this.warn(`kubesim: could not fsync the commit log in ${this.dir}: ${(err as Error).message}`);
    }
  }
}

/** One change as a log record's payload; the object's JSON is reused from the write that stored it. */
export function encodeChange(c: StoredChange): string {
  const head = `{"t":"${c.type}","r":${JSON.stringify(c.resource)},"k":${JSON.stringify(c.key)},"v":${c.resourceVersion}`;
  return c.object ? `${head},"o":${toJSON(c.object)}}` : `${head}}`;
}

interface Recovered {
  resourceVersion: number;
  entries: StoredEntry[];
  logRecords: number;
}

/**
 * The snapshot with the log replayed over it; 0 as resourceVersion for an empty dir. A torn
 * last record is cut off the file, unless readOnly (`kubesim snapshot save --data-dir`).
 */
export function recover(dir: string, warn: (message: string) => void, opts: { readOnly?: boolean } = {}): Recovered {
  const snapshotPath = join(dir, SNAPSHOT_FILE);
  const state = new Map<string, Map<string, KubeObject>>();
  let rv = 0;
  if (existsSync(snapshotPath)) {
    const snap = decodeSnapshot(readFileSync(snapshotPath), snapshotPath);
    rv = snap.resourceVersion;
    for (const e of snap.entries) tableOf(state, e.resource).set(e.key, e.object);
  }
  const logPath = join(dir, LOG_FILE);
  let logRecords = 0;
  if (existsSync(logPath)) {
    let decoded;
    try {
      decoded = decodeRecords(readFileSync(logPath));
    } catch (err) {
      if (err instanceof DamagedLogError) throw new DataDirError(`the commit log ${logPath} is damaged: ${err.message}; kubesim will not start from it`);
      throw err;
    }
    let lastLogged = 0;
    for (const [i, payload] of decoded.records.entries()) {
      const c = parseChange(payload, `${logPath} record ${i + 1}`);
      logRecords++;
      if (c.v <= lastLogged) throw new DataDirError(`${logPath} record ${i + 1} goes back to resourceVersion ${c.v} after ${lastLogged}; kubesim will not start from it`);
      lastLogged = c.v;
      // Records a snapshot already holds (a crash between writing it and emptying the log).
      if (c.v <= rv) continue;
      if (c.t === 'DELETED') tableOf(state, c.r).delete(c.k);
      else tableOf(state, c.r).set(c.k, c.o!);
      rv = c.v;
    }
    if (decoded.tornTail) {
      const t = decoded.tornTail;
      warn(`kubesim: the commit log ${logPath} ends in a torn record (${t.reason}, ${t.bytes} bytes at byte ${t.offset}), from a write that never completed; discarding it`);
      if (!opts.readOnly) truncateFile(logPath, decoded.validBytes);
    }
  }
  const entries: StoredEntry[] = [];
  for (const [resource, objects] of state) for (const [key, object] of objects) entries.push({ resource, key, object });
  return { resourceVersion: rv, entries, logRecords };
}

interface ChangeRecord {
  t: StoredChange['type'];
  r: string;
  k: string;
  v: number;
  o?: KubeObject;
}

function parseChange(payload: Buffer, where: string): ChangeRecord {
  let c: ChangeRecord;
  try {
    c = JSON.parse(payload.toString('utf8')) as ChangeRecord;
  } catch {
    throw new DataDirError(`${where} has a valid checksum but is not JSON; kubesim will not start from it`);
  }
  const typeOK = c.t === 'DELETED' ? c.o === undefined : (c.t === 'ADDED' || c.t === 'MODIFIED') && typeof c.o === 'object' && c.o !== null;
  if (!typeOK || typeof c.r !== 'string' || typeof c.k !== 'string' || !Number.isSafeInteger(c.v)) {
    throw new DataDirError(`${where} is not a change record; kubesim will not start from it`);
  }
  return c;
}

function tableOf(state: Map<string, Map<string, KubeObject>>, resource: string): Map<string, KubeObject> {
  let t = state.get(resource);
  if (!t) state.set(resource, (t = new Map()));
  return t;
}

/** Replaces the dir's snapshot atomically: a temporary file, fsynced, renamed, and the dir fsynced. */
function writeSnapshot(dir: string, data: Buffer): void {
  const tmp = join(dir, `${SNAPSHOT_FILE}.tmp`);
  writeFileSync(tmp, data, { mode: 0o600 });
  fsyncPath(tmp);
  renameSync(tmp, join(dir, SNAPSHOT_FILE));
  fsyncPath(dir);
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function truncateFile(path: string, bytes: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
