// `kubesim snapshot save FILE`: the state of a cluster as a snapshot file, for
// `kubesim serve --restore FILE` or startCluster({ restore }). From a running server through its
// kubeconfig (GET /kubesim/snapshot, as an administrator), or with --data-dir from a data dir
// no server is using (the snapshot and commit log replayed, as a restart would).
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadKubeconfig } from '../clients/kubeconfig-loader.js';
import { httpTransport } from '../clients/http.js';
import { recover } from '../apiserver/storage/persistence/data-dir.js';
import { DataDirLockedError, lockDataDir } from '../apiserver/storage/persistence/lock-file.js';
import { decodeSnapshot, encodeSnapshot } from '../apiserver/storage/persistence/snapshot-file.js';
import { SNAPSHOT_PATH } from '../apiserver/snapshot-endpoint.js';
import type { SnapshotFlags } from './args.js';
import { describeError, type CliIO } from './io.js';
import { DEFAULT_KUBECONFIG } from './serve.js';

export async function snapshotCommand(flags: SnapshotFlags, io: CliIO): Promise<number> {
  const file = resolve(io.cwd, flags.file);
  let data: Buffer;
  try {
    data = flags.dataDir !== undefined ? fromDataDir(resolve(io.cwd, flags.dataDir), io) : await fromServer(flags, io);
  } catch (err) {
    io.err(`kubesim snapshot: ${describeError(err)}`);
    return 1;
  }
  let summary;
  try {
    // Checked before it is kept: a file that would not restore is an error now, not in class.
    summary = decodeSnapshot(data, 'the snapshot received');
  } catch (err) {
    io.err(`kubesim snapshot: ${describeError(err)}`);
    return 1;
  }
  try {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    io.err(`kubesim snapshot: cannot write ${file}: ${describeError(err)}`);
    return 1;
  }
  io.out(`saved ${summary.entries.length} objects at resourceVersion ${summary.resourceVersion} to ${file}`);
  return 0;
}

async function fromServer(flags: SnapshotFlags, io: CliIO): Promise<Buffer> {
  // --kubeconfig, else $KUBECONFIG, else the file `serve` writes (as `kubesim clock` reads it).
  const path = flags.kubeconfig !== undefined || !io.env.KUBECONFIG ? resolve(io.cwd, flags.kubeconfig ?? DEFAULT_KUBECONFIG) : undefined;
  const config = await loadKubeconfig({ path, env: io.env }).catch((err: unknown) => {
    throw new Error(`cannot read ${path ?? io.env.KUBECONFIG}: ${describeError(err)}`);
  });
  const transport = httpTransport(config);
  try {
    const res = await transport.request({ method: 'GET', path: SNAPSHOT_PATH, headers: { accept: 'application/octet-stream' } }).catch((err: unknown) => {
      throw new Error(`no kubesim answers at ${config.server}: ${describeError(err)}`);
    });
    if (res.status !== 200) {
      let message = res.body.toString('utf8');
      try {
        message = (JSON.parse(message) as { message?: string }).message ?? message;
      } catch {
        // not a Status: show the body as it came
      }
      throw new Error(`${config.server} answered ${res.status}: ${message}`);
    }
    return res.body;
  } finally {
    transport.close?.();
  }
}

/** A data dir's state; refused while a server holds it, whose log may be mid-append. */
function fromDataDir(dir: string, io: CliIO): Buffer {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  let lock;
  try {
    lock = lockDataDir(dir, (m) => io.err(m));
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new Error(`${err.message}; to save a running cluster, use --kubeconfig instead of --data-dir`);
    throw err;
  }
  try {
    const state = recover(dir, (m) => io.err(m), { readOnly: true });
    if (state.resourceVersion === 0) throw new Error(`${dir} holds no cluster`);
    return encodeSnapshot(state.resourceVersion, state.entries);
  } finally {
    lock.release();
  }
}
