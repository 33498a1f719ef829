// The protobuf wire format, read side only: what decoding Kubernetes' proto2 messages needs
// (https://protobuf.dev/programming-guides/encoding/). Failures carry gogo-protobuf's
// wording, which is what kube-apiserver repeats to a client that sent a malformed body.

export const WireType = { varint: 0, fixed64: 1, bytes: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

/** A body that is not a valid encoding of the message it claims to be. */
export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufError';
  }
}

const unexpectedEOF = (): ProtobufError => new ProtobufError('unexpected EOF');

export class ProtoReader {
  private pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint with all 64 bits (int64, and int32 which negative values sign-extend to 10 bytes). */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw unexpectedEOF();
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    throw new ProtobufError('proto: integer overflow');
  }

  /** A varint used as a count (a tag or a length), exact up to 2^53. */
  private uint(): number {
    let result = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) throw unexpectedEOF();
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
    }
    throw new ProtobufError('proto: integer overflow');
  }

  tag(): { field: number; wireType: number } {
    const key = this.uint();
    return { field: Math.floor(key / 8), wireType: key % 8 };
  }

  /** A length-delimited payload, as a view of the body (no copy). */
  bytes(): Uint8Array {
    const length = this.uint();
    if (length > Number.MAX_SAFE_INTEGER) throw new ProtobufError('proto: negative length found during unmarshaling');
    if (this.pos + length > this.end) throw unexpectedEOF();
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** Steps over a field this decoder has no table entry for, as gogo's skipGenerated does. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint:
        this.varint();
        return;
      case WireType.fixed64:
        this.advance(8);
        return;
      case WireType.bytes:
        this.bytes();
        return;
      case WireType.fixed32:
        this.advance(4);
        return;
      default:
        // Groups (3, 4) are proto1 relics that no Kubernetes message uses.
        throw new ProtobufError(`proto: illegal wireType ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw unexpectedEOF();
    this.pos += n;
  }
}
