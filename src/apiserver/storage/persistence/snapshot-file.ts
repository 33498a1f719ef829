// The snapshot format, for the data dir's compacted state and for `kubesim snapshot save`:
//   KUBESIM-SNAPSHOT 1 <sha256 of the body, hex> <body bytes>\n
//   {"resourceVersion":N,"objects":COUNT}\n
//   {"r":"<resource>","k":"<key>","o":{...the stored object...}}\n   (one line per object)
// Text a person can read and diff, checked whole before anything is loaded: a damaged or
// truncated snapshot is refused with the reason, never half-loaded.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../object.js';
import type { StoredEntry } from '../memory.js';

const MAGIC = 'KUBESIM-SNAPSHOT';
const FORMAT_VERSION = 1;

export interface SnapshotState {
  resourceVersion: number;
  entries: StoredEntry[];
}

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

export function encodeSnapshot(resourceVersion: number, entries: Iterable<StoredEntry>): Buffer {
  const lines: string[] = [];
  for (const e of entries) lines.push(JSON.stringify({ r: e.resource, k: e.key, o: e.object }));
  const body = Buffer.from(`${JSON.stringify({ resourceVersion, objects: lines.length })}\n${lines.length ? `${lines.join('\n')}\n` : ''}`);
  const header = `${MAGIC} ${FORMAT_VERSION} ${sha256(body)} ${body.length}\n`;
  return Buffer.concat([Buffer.from(header), body]);
}

/** The state a snapshot holds; throws SnapshotError (naming `source`) for anything but an intact snapshot. */
export function decodeSnapshot(buf: Buffer, source: string): SnapshotState {
  const fail = (why: string): never => {
    throw new SnapshotError(`${source} is not a usable kubesim snapshot: ${why}`);
  };
  const newline = buf.indexOf(0x0a);
  const header = (newline < 0 ? buf.subarray(0, 200) : buf.subarray(0, newline)).toString('utf8');
  const m = /^KUBESIM-SNAPSHOT (\d+) ([0-9a-f]{64}) (\d+)$/.exec(header);
  if (!m) return fail(header.startsWith(MAGIC) ? 'its header is damaged' : 'it does not start with the KUBESIM-SNAPSHOT header');
  if (Number(m[1]) !== FORMAT_VERSION) return fail(`format version ${m[1]} is not supported (this kubesim reads version ${FORMAT_VERSION})`);
  const body = buf.subarray(newline + 1);
  if (body.length !== Number(m[3])) return fail(`it holds ${body.length} bytes of data where its header says ${m[3]} (truncated or appended to)`);
  if (sha256(body) !== m[2]) return fail('its checksum does not match its content (the file is damaged)');
  const lines = body.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  let head: { resourceVersion?: unknown; objects?: unknown };
  try {
    head = JSON.parse(lines[0] ?? '') as typeof head;
  } catch {
    return fail('its first line is not JSON');
  }
  const resourceVersion = head.resourceVersion;
  if (typeof resourceVersion !== 'number' || !Number.isSafeInteger(resourceVersion) || resourceVersion < 1) return fail('it has no valid resourceVersion');
  if (head.objects !== lines.length - 1) return fail(`it announces ${String(head.objects)} objects and holds ${lines.length - 1}`);
  const entries: StoredEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    let rec: { r?: unknown; k?: unknown; o?: unknown };
    try {
      rec = JSON.parse(lines[i]!) as typeof rec;
    } catch {
      return fail(`line ${i + 1} is not JSON`);
    }
    if (typeof rec.r !== 'string' || typeof rec.k !== 'string' || !isObject(rec.o)) return fail(`line ${i + 1} is not an object record`);
    entries.push({ resource: rec.r, key: rec.k, object: rec.o as KubeObject });
  }
  return { resourceVersion, entries };
}

function isObject(v: unknown): v is KubeObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as KubeObject).metadata === 'object' && (v as KubeObject).metadata !== null;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
