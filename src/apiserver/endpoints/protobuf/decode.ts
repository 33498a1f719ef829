// Decoding `application/vnd.kubernetes.protobuf` request bodies (what kubectl's typed clients
// send for `kubectl create ...`) into the JSON object kube-apiserver would hold: the envelope
// of k8s.io/apimachinery pkg/runtime/serializer/protobuf, then the typed message, written the
// way Go's encoding/json writes the k8s.io/api struct (omitempty, pointers, custom marshalers).
// One difference: where Go would write `null` (a zero metav1.Time, a nil slice without
// omitempty) the field is left out, which decodes to the same Go object.
import * as errors from '../../errors.js';
import { messageForKind, messageNameOf, messageTable, wellKnownMessageNames, type FieldSpec, type MessageSpec } from './messages.js';
import { ProtobufError, ProtoReader, WireType } from './wire.js';

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  /** The object as JSON, kind and apiVersion first as Go writes them. */
  object: Record<string, unknown>;
}

/** "k8s\0": the prefix kube's protobuf serializer puts before every object. */
const MAGIC = [0x6b, 0x38, 0x73, 0x00];
const EMPTY = new Uint8Array(0);
/** Invalid UTF-8 becomes U+FFFD, as Go's encoding/json writes a string holding it. */
const utf8 = new TextDecoder();
const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** Decodes a kubernetes protobuf body; a malformed one or an unknown kind is a 400 in kube-apiserver's words. */
export function decodeKubernetesProtobuf(body: Buffer): DecodedObject {
  if (body.length === 0) throw errors.badRequest('empty data');
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw errors.badRequest(`provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(' ')}]`);
  }
  if (body.length === MAGIC.length) throw errors.badRequest('empty body');
  let apiVersion: string;
  let kind: string;
  let raw: Uint8Array;
  try {
    const envelope = lengthDelimitedFields(body.subarray(MAGIC.length), 'Unknown');
    const typeMeta = lengthDelimitedFields(envelope.get(1) ?? EMPTY, 'TypeMeta');
    apiVersion = utf8.decode(typeMeta.get(1) ?? EMPTY);
    kind = utf8.decode(typeMeta.get(2) ?? EMPTY);
    raw = envelope.get(2) ?? EMPTY;
  } catch (e) {
    throw asBadRequest(e, (m) => `the object provided is unrecognized: ${m}`);
  }
  const goTypeMeta = `runtime.TypeMeta{APIVersion:${JSON.stringify(apiVersion)}, Kind:${JSON.stringify(kind)}}`;
  if (!kind) throw errors.badRequest(`Object 'Kind' is missing in '${goTypeMeta}'`);
  if (!apiVersion) throw errors.badRequest(`Object 'apiVersion' is missing in '${goTypeMeta}'`);
  const version = apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
  const spec = messageForKind(apiVersion, kind);
  if (!spec) {
    throw errors.badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  }
  try {
    return { apiVersion, kind, object: { kind, apiVersion, ...decodeMessage(spec, raw) } };
  } catch (e) {
    throw asBadRequest(e, (m) => `${kind} in version "${version}" cannot be handled as a ${kind}: ${m}`);
  }
}

/**
 * The string and bytes fields of runtime.Unknown {typeMeta = 1, raw = 2, contentEncoding = 3,
 * contentType = 4} and runtime.TypeMeta {apiVersion = 1, kind = 2}: the last occurrence wins.
 */
function lengthDelimitedFields(bytes: Uint8Array, messageName: string): Map<number, Uint8Array> {
  const fields = new Map<number, Uint8Array>();
  const r = new ProtoReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field <= 0) throw new ProtobufError(`proto: ${messageName}: illegal tag ${field} (wire type ${wireType})`);
    if (field > 4) {
      r.skip(wireType);
      continue;
    }
    if (wireType !== WireType.bytes) throw new ProtobufError(`proto: wrong wireType = ${wireType} for field ${field}`);
    fields.set(field, r.bytes());
  }
  return fields;
}

function asBadRequest(e: unknown, format: (message: string) => string): unknown {
  return e instanceof ProtobufError ? errors.badRequest(format(e.message)) : e;
}

type Occurrence = bigint | Uint8Array;

function lookup(name: string): MessageSpec {
  const spec = messageTable.get(name);
  if (!spec) throw new Error(`protobuf: no table for message ${name}`); // the tables are checked at load
  return spec;
}

const isVarintType = (type: string): boolean => type === 'int32' || type === 'int64' || type === 'bool';

/** Reads one message's fields, then writes them in the Go struct's order. */
function decodeMessage(spec: MessageSpec, bytes: Uint8Array): Record<string, unknown> {
  const found = new Map<number, Occurrence[]>();
  const r = new ProtoReader(bytes);
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field <= 0) throw new ProtobufError(`proto: ${spec.name}: illegal tag ${field} (wire type ${wireType})`);
    const f = spec.byNumber.get(field);
    if (!f) {
      r.skip(wireType);
      continue;
    }
    let list = found.get(field);
    if (!list) found.set(field, (list = []));
    const varint = isVarintType(f.type);
    if (varint && f.repeated && wireType === WireType.bytes) {
      // A packed repeated scalar: gogo writes these unpacked, but a proto2 reader takes both.
      const packed = r.bytes();
      const inner = new ProtoReader(packed);
      while (!inner.done) list.push(inner.varint());
      continue;
    }
    const expected = varint ? WireType.varint : WireType.bytes;
    if (wireType !== expected) {
      const goName = f.name ? f.name[0]!.toUpperCase() + f.name.slice(1) : spec.name;
      throw new ProtobufError(`proto: wrong wireType = ${wireType} for field ${goName}`);
    }
    list.push(varint ? r.varint() : r.bytes());
  }
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) writeField(out, f, found.get(f.number) ?? []);
  return out;
}

function writeField(out: Record<string, unknown>, f: FieldSpec, occurrences: Occurrence[]): void {
  if (f.type.startsWith('map<')) {
    if (occurrences.length === 0) return;
    const map: Record<string, unknown> = {};
    for (const entry of occurrences) {
      const [key, value] = mapEntry(f, entry as Uint8Array);
      map[key] = value;
    }
    out[f.name] = map;
    return;
  }
  const message = messageNameOf(f.type);
  if (f.repeated) {
    // Nil and empty slices are the same on the wire; either way Go writes nothing or null.
    if (occurrences.length === 0) return;
    const items = occurrences.map((o) => (message ? messageJSON(message, o as Uint8Array) : scalarJSON(f, o)));
    out[f.name] = items.map((v) => v ?? null);
    return;
  }
  const present = occurrences.length > 0;
  if (message) {
    if (!present && f.pointer) return;
    // Repeated occurrences of a message field merge, which is what concatenating them means.
    const bytes = occurrences.length === 1 ? (occurrences[0] as Uint8Array) : Buffer.concat(occurrences as Uint8Array[]);
    const value = messageJSON(message, bytes);
    if (f.inline) Object.assign(out, value);
    else if (value !== undefined) out[f.name] = value;
    return;
  }
  const value = present ? scalarJSON(f, occurrences[occurrences.length - 1]!) : zeroOf(f);
  if (f.pointer ? present : f.keepZero || !isZero(value)) out[f.name] = value;
}

/** Map entries are small messages {key = 1, value = 2}; Go writes every entry, zero values too. */
const mapEntrySpecs = new Map<string, MessageSpec>();
function mapEntry(f: FieldSpec, bytes: Uint8Array): [string, unknown] {
  let spec = mapEntrySpecs.get(f.type);
  if (!spec) {
    const valueType = f.type.slice('map<string,'.length, -1) as FieldSpec['type'];
    const fields: FieldSpec[] = [
      { number: 1, name: 'key', type: 'string', keepZero: true },
      { number: 2, name: 'value', type: valueType, keepZero: true },
    ];
    spec = { name: 'MapEntry', fields, byNumber: new Map(fields.map((e) => [e.number, e])) };
    mapEntrySpecs.set(f.type, spec);
  }
  const entry = decodeMessage(spec, bytes);
  return [entry.key as string, entry.value ?? null];
}

function scalarJSON(f: FieldSpec, o: Occurrence): unknown {
  switch (f.type) {
    case 'string':
      return utf8.decode(o as Uint8Array);
    case 'bytes':
      return base64(o as Uint8Array);
    case 'bool':
      return (o as bigint) !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, o as bigint));
    default: // int64
      return Number(BigInt.asIntN(64, o as bigint));
  }
}

function zeroOf(f: FieldSpec): unknown {
  return f.type === 'string' || f.type === 'bytes' ? '' : f.type === 'bool' ? false : 0;
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

/** A message's JSON; undefined where Go would write null. */
function messageJSON(name: string, bytes: Uint8Array): unknown {
  const value = decodeMessage(lookup(name), bytes);
  return wellKnownMessageNames.has(name) ? wellKnownJSON(name, value, bytes.length) : value;
}

/** The JSON of the types with their own MarshalJSON, from their decoded fields. */
function wellKnownJSON(name: string, m: Record<string, unknown>, size: number): unknown {
  switch (name) {
    case 'Time':
    case 'MicroTime':
      // A zero time is sent as an empty message (metav1.Time.ProtoTime); Go writes it as null.
      return size === 0 ? undefined : rfc3339(m.seconds as number, m.nanos as number, name === 'MicroTime');
    case 'Quantity':
      // An absent string is the zero Quantity; a present one is parsed, and "" does not parse.
      if (size === 0) return '0';
      if (!QUANTITY.test(m.string as string)) throw new ProtobufError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
      return m.string;
    case 'IntOrString':
      if (m.type === 0) return m.intVal;
      if (m.type === 1) return m.strVal;
      throw new ProtobufError('impossible IntOrString.Type');
    default: // FieldsV1: its raw bytes are the JSON of the field set
      if (typeof m.Raw !== 'string') return undefined;
      try {
        return JSON.parse(Buffer.from(m.Raw, 'base64').toString('utf8')) as unknown;
      } catch {
        throw new ProtobufError('json: error calling MarshalJSON for type *v1.FieldsV1: invalid character in fieldsV1');
      }
  }
}

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** RFC 3339 in UTC, to the second (metav1.Time) or the microsecond (metav1.MicroTime). */
function rfc3339(seconds: number, nanos: number, micro: boolean): string {
  const totalNanos = BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
  let whole = totalNanos / 1_000_000_000n;
  let frac = totalNanos % 1_000_000_000n;
  if (frac < 0n) {
    whole -= 1n;
    frac += 1_000_000_000n;
  }
  const date = new Date(Number(whole) * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new ProtobufError(`Time.MarshalJSON: year outside of range [0,9999]`);
  }
  const base = date.toISOString().slice(-24, -5);
  return micro ? `${base}.${String(frac / 1000n).padStart(6, '0')}Z` : `${base}Z`;
}
