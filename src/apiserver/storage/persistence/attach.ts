// What startCluster does with `dataDir` and `restore`: fill the empty store from a snapshot file
// and/or the data dir, then send every later change to the data dir's commit log. Runs before
// anything else touches the store (CRD serving, bootstrap objects, controllers), so they all
// start from the restored state as they would after a kube-apiserver restart.
import { readFileSync } from 'node:fs';
import type { MemoryStorage } from '../memory.js';
import { DataDir, type DataSync } from './data-dir.js';
import { decodeSnapshot, encodeSnapshot, type SnapshotState } from './snapshot-file.js';

export interface PersistenceOptions {
  dataDir?: string;
  dataSync?: DataSync;
  snapshotEvery?: number;
  /** A snapshot file (`kubesim snapshot save`) to start from. */
  restore?: string;
  warn?: (message: string) => void;
}

export interface Persistence {
  /** The resourceVersion the store was restored at (0 for an empty start). */
  readonly restoredResourceVersion: number;
  /** Compacts the data dir and releases its lock (after the last write). */
  close(): void;
}

export function attachPersistence(storage: MemoryStorage, opts: PersistenceOptions): Persistence {
  const restore = opts.restore !== undefined ? readSnapshotFile(opts.restore) : undefined;
  if (!opts.dataDir) {
    if (restore) storage.load(restore.resourceVersion, restore.entries);
    return { restoredResourceVersion: restore?.resourceVersion ?? 0, close: () => undefined };
  }
  const dir = DataDir.open({ dir: opts.dataDir, sync: opts.dataSync, snapshotEvery: opts.snapshotEvery, restore, warn: opts.warn });
  try {
    const { resourceVersion, entries } = dir.recovered;
    if (resourceVersion > 0) storage.load(resourceVersion, entries);
  } catch (err) {
    dir.close();
    throw err;
  }
  dir.bindSnapshotSource(() => ({ resourceVersion: storage.resourceVersion, entries: storage.entries() }));
  storage.setCommitLog(dir);
  return {
    restoredResourceVersion: dir.recovered.resourceVersion,
    close() {
      storage.setCommitLog(undefined);
      dir.close();
    },
  };
}

function readSnapshotFile(path: string): SnapshotState {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read the snapshot ${path}: ${(err as Error).message}`);
  }
  return decodeSnapshot(data, path);
}

/** The store's state as a snapshot file's bytes. */
export function snapshotOf(storage: MemoryStorage): Buffer {
  return encodeSnapshot(storage.resourceVersion, storage.entries());
}
