// A minimal protocol buffers writer: varints, 64-bit doubles and length-delimited fields
// (strings and nested messages), enough to emit gnostic's openapi_v2 messages without a
// protobuf runtime. Proto3 rules: a scalar equal to its default (0, false, "") is not written,
// unless it is a member of a oneof, whose presence is the information (`always`).

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;

export class ProtoWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  string(field: number, value: string | undefined, always = false): this {
    if (value === undefined || (value === '' && !always)) return this;
    const size = Buffer.byteLength(value, 'utf8');
    this.tag(field, WIRE_LENGTH_DELIMITED).varint(size).reserve(size);
    this.len += this.buf.write(value, this.len, size, 'utf8');
    return this;
  }

  strings(field: number, values: readonly string[] | undefined): this {
    for (const v of values ?? []) this.string(field, v, true);
    return this;
  }

  bool(field: number, value: boolean | undefined, always = false): this {
    if (value === undefined || (!value && !always)) return this;
    return this.tag(field, WIRE_VARINT).varint(value ? 1 : 0);
  }

  /** int64 as a varint; negatives take ten bytes, two's complement, as protobuf specifies. */
  int64(field: number, value: number | undefined): this {
    if (value === undefined || value === 0) return this;
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  double(field: number, value: number | undefined): this {
    if (value === undefined || value === 0) return this;
    this.tag(field, WIRE_FIXED64).reserve(8);
    this.len = this.buf.writeDoubleLE(value, this.len);
    return this;
  }

  /** A nested message; written even when empty (message presence carries meaning, e.g. in oneofs). */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    write(child);
    return this.bytes(field, child.finish());
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED).varint(value.length).reserve(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
    return this;
  }

  private tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  private varint(value: number): this {
    this.reserve(10);
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 0x7f) {
        this.buf[this.len++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      this.buf[this.len++] = v;
      return this;
    }
    let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    while (v > 0x7fn) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  private reserve(extra: number): this {
    if (this.len + extra > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + extra));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    return this;
  }
}
