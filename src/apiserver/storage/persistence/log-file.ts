// The commit log's file: appends framed records with a synchronous write (and fsync when
// asked), so a change is on disk before the write that made it is answered. A failed append
// is cut back off the file, so the log never holds a half record followed by whole ones; if
// even that fails, the log refuses every later append rather than leave a gap.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { encodeRecord } from './record-framing.js';

export class LogFile {
  private readonly fd: number;
  private size: number;
  private broken: Error | undefined;
  /** Records appended since the last fsync. */
  private unsynced = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a+', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  get bytes(): number {
    return this.size;
  }

  append(payload: Buffer, sync: boolean): void {
    if (this.broken) throw new Error(`the commit log ${this.path} failed earlier and takes no more writes: ${this.broken.message}`);
    const record = encodeRecord(payload);
    const start = this.size;
    try {
      let written = 0;
      while (written < record.length) written += writeSync(this.fd, record, written, record.length - written);
      if (sync) fsyncSync(this.fd);
      else this.unsynced++;
      this.size = start + record.length;
    } catch (err) {
      try {
        ftruncateSync(this.fd, start);
      } catch (truncateErr) {
        this.broken = truncateErr as Error;
      }
      throw err;
    }
  }

  /** fsync if anything was appended without one (the batched mode's interval). */
  sync(): void {
    if (this.unsynced === 0 || this.broken) return;
    fsyncSync(this.fd);
    this.unsynced = 0;
  }

  /** Empties the log once a snapshot holds everything in it. */
  truncate(): void {
    ftruncateSync(this.fd, 0);
    fsyncSync(this.fd);
    this.size = 0;
    this.unsynced = 0;
  }

  close(): void {
    try {
      this.sync();
    } finally {
      closeSync(this.fd);
    }
  }
}
