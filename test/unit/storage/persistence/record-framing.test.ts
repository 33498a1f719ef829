import { describe, expect, it } from 'vitest';
import { crc32, DamagedLogError, decodeRecords, encodeRecord, RECORD_HEADER_BYTES } from '../../../../src/apiserver/storage/persistence/record-framing.js';

const rec = (s: string) => encodeRecord(Buffer.from(s));
const log = (...parts: Buffer[]) => Buffer.concat(parts);
const texts = (bufs: Buffer[]) => bufs.map((b) => b.toString());

describe('record framing', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('decodes what it encoded, in order', () => {
    const buf = log(rec('one'), rec('two'), rec('{"x":"ü"}'));
    const d = decodeRecords(buf);
    expect(texts(d.records)).toEqual(['one', 'two', '{"x":"ü"}']);
    expect(d.validBytes).toBe(buf.length);
    expect(d.tornTail).toBeUndefined();
  });

  it('decodes an empty log', () => {
    expect(decodeRecords(Buffer.alloc(0))).toEqual({ records: [], validBytes: 0 });
  });

  const good = log(rec('one'), rec('two'));
  const third = rec('three');
  const flipped = Buffer.from(third);
  flipped[flipped.length - 1] ^= 0xff;
  const torn: [string, Buffer, RegExp][] = [
    ['a partial header', log(good, third.subarray(0, 5)), /partial record header/],
    ['a payload cut short', log(good, third.subarray(0, RECORD_HEADER_BYTES + 2)), /cut short/],
    ['a header with no payload', log(good, third.subarray(0, RECORD_HEADER_BYTES)), /cut short/],
    ['a checksum mismatch in the last record', log(good, flipped), /checksum mismatch in the last record/],
    ['a zero-filled tail', log(good, Buffer.alloc(40)), /zero-filled/],
  ];
  for (const [what, buf, reason] of torn) {
    it(`cuts off a torn last record: ${what}`, () => {
      const d = decodeRecords(buf);
      expect(texts(d.records)).toEqual(['one', 'two']);
      expect(d.validBytes).toBe(good.length);
      expect(d.tornTail).toMatchObject({ offset: good.length, bytes: buf.length - good.length });
      expect(d.tornTail!.reason).toMatch(reason);
    });
  }

  const damaged: [string, Buffer][] = [
    ['a checksum mismatch with records after it', log(rec('one'), flipped, rec('four'))],
    ['an empty record with data after it', log(rec('one'), Buffer.alloc(RECORD_HEADER_BYTES), rec('four'))],
  ];
  for (const [what, buf] of damaged) {
    it(`refuses damage that is not a torn tail: ${what}`, () => {
      expect(() => decodeRecords(buf)).toThrow(DamagedLogError);
    });
  }
});
