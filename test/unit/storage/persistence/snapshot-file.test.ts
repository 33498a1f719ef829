import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot, SnapshotError } from '../../../../src/apiserver/storage/persistence/snapshot-file.js';

const entries = [
  { resource: 'configmaps', key: 'default/a', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', uid: 'u1', resourceVersion: '5' }, data: { x: 'line\nbreak' } } },
  { resource: 'namespaces', key: 'default', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', uid: 'u2', resourceVersion: '2' } } },
];

function mutate(buf: Buffer, f: (b: Buffer) => Buffer): Buffer {
  return f(Buffer.from(buf));
}

describe('snapshot file', () => {
  const good = encodeSnapshot(7, entries);

  it('round-trips objects, keys and the resourceVersion', () => {
    expect(decodeSnapshot(good, 'f')).toEqual({ resourceVersion: 7, entries });
  });

  it('round-trips an empty store', () => {
    expect(decodeSnapshot(encodeSnapshot(3, []), 'f')).toEqual({ resourceVersion: 3, entries: [] });
  });

  const bodyStart = good.indexOf(0x0a) + 1;
  const cases: [string, Buffer, RegExp][] = [
    ['a flipped byte in an object', mutate(good, (b) => ((b[b.length - 10] ^= 0x01), b)), /checksum does not match/],
    ['a truncated file', good.subarray(0, good.length - 20), /truncated/],
    ['bytes appended', Buffer.concat([good, Buffer.from('{"r":"x"}\n')]), /truncated or appended/],
    ['a damaged header', mutate(good, (b) => ((b[20] = 0x21), b)), /header is damaged/],
    ['not a snapshot at all', Buffer.from('apiVersion: v1\nkind: ConfigMap\n'), /does not start with the KUBESIM-SNAPSHOT header/],
    ['an empty file', Buffer.alloc(0), /does not start with/],
    ['a newer format', Buffer.concat([Buffer.from(good.subarray(0, bodyStart).toString().replace('SNAPSHOT 1 ', 'SNAPSHOT 2 ')), good.subarray(bodyStart)]), /format version 2/],
  ];
  for (const [what, buf, message] of cases) {
    it(`refuses ${what} with the reason`, () => {
      expect(() => decodeSnapshot(buf, '/x/snap')).toThrow(SnapshotError);
      expect(() => decodeSnapshot(buf, '/x/snap')).toThrow(message);
      expect(() => decodeSnapshot(buf, '/x/snap')).toThrow(/^\/x\/snap is not a usable kubesim snapshot/);
    });
  }
});
