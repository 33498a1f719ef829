// How the commit log frames its records: [length u32 LE][CRC-32 of the payload u32 LE][payload].
// A crash mid-append leaves a torn last record (short, or with a checksum that does not match);
// it is detected and cut off, as etcd's WAL decoder treats a torn final entry. A bad record with
// whole records after it is not a crash's trace but damage, and is refused.
import * as zlib from 'node:zlib';

export const RECORD_HEADER_BYTES = 8;

/** zlib.crc32 (Node 20.15+), else a table-driven CRC-32 with the same polynomial. */
export const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (data) => (zlib as unknown as { crc32(d: Uint8Array): number }).crc32(data) : tableCrc32;

let table: Uint32Array | undefined;

function tableCrc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function encodeRecord(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, RECORD_HEADER_BYTES);
  return out;
}

export interface DecodedLog {
  records: Buffer[];
  /** Bytes up to the end of the last whole record: where the next append goes. */
  validBytes: number;
  /** Set when the log ended in a torn record, which the caller cuts off and warns about. */
  tornTail?: { offset: number; bytes: number; reason: string };
}

export class DamagedLogError extends Error {
  override name = 'DamagedLogError';
}

/** Splits a log into its records; throws DamagedLogError for a bad record that is not the last. */
export function decodeRecords(buf: Buffer): DecodedLog {
  const records: Buffer[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const remaining = buf.length - offset;
    const torn = (reason: string): DecodedLog => ({ records, validBytes: offset, tornTail: { offset, bytes: remaining, reason } });
    if (remaining < RECORD_HEADER_BYTES) return torn('a partial record header');
    const length = buf.readUInt32LE(offset);
    // No record is empty: zeros are a file extended by a crash before its data reached the disk.
    if (length === 0) {
      if (buf.subarray(offset).every((b) => b === 0)) return torn('a zero-filled tail');
      throw new DamagedLogError(`an empty record at byte ${offset} of ${buf.length}, with data after it`);
    }
    const end = offset + RECORD_HEADER_BYTES + length;
    // A length running past the end: the append that wrote it never finished.
    if (end > buf.length) return torn(`a record of ${length} bytes cut short at ${remaining - RECORD_HEADER_BYTES}`);
    const payload = buf.subarray(offset + RECORD_HEADER_BYTES, end);
    if (crc32(payload) !== buf.readUInt32LE(offset + 4)) {
      if (end === buf.length) return torn('a checksum mismatch in the last record');
      throw new DamagedLogError(`checksum mismatch in the record at byte ${offset} of ${buf.length}, with records after it`);
    }
    records.push(payload);
    offset = end;
  }
  return { records, validBytes: offset };
}
