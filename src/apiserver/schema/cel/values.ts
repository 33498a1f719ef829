// Unstructured JSON -> CEL values, typed by the schema the way apiserver's UnstructuredToVal
// does it: integers become CEL ints (bigint), `format: date-time|date|duration|byte` strings
// become timestamps, durations and bytes, objects with properties become typed objects whose
// fields convert lazily (so a bad value only fails the rule that reads it), maps become Maps.

import { Environment, EvaluationError } from '@marcbachmann/cel-js';
import type { DeclType, ObjectDecl } from './decl-types.js';

/** A CEL runtime error; the evaluator turns it into `<message> evaluating rule: <rule>`. */
export function celError(message: string): Error {
  return new EvaluationError(message);
}

/** The evaluator's google.protobuf.Duration (seconds + nanos); it is not exported by name. */
export interface CelDuration {
  readonly seconds: bigint;
  readonly nanos: number;
}
type DurationCtor = new (seconds: bigint | number, nanos?: number) => CelDuration;
export const Duration: DurationCtor = (new Environment().evaluate('duration("1s")') as object).constructor as DurationCtor;

export function isDuration(v: unknown): v is CelDuration {
  return v instanceof Duration;
}

export function durationFromNanos(total: bigint): CelDuration {
  const seconds = total / 1_000_000_000n;
  return new Duration(seconds, Number(total - seconds * 1_000_000_000n));
}

export function durationNanos(d: CelDuration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

/**
 * An object-typed value (a schema node with properties). One subclass per declared object type,
 * because the evaluator finds a value's CEL type by its constructor. Fields are keyed by their
 * escaped CEL names; absent and null fields read as absent, as in kube.
 */
export class CelObject extends Map<string, unknown> {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly decl: ObjectDecl,
  ) {
    super();
  }

  override get(celName: string): unknown {
    if (super.has(celName)) return super.get(celName);
    const field = this.decl.fields.get(celName);
    if (!field) return undefined;
    const rawValue = Object.prototype.hasOwnProperty.call(this.raw, field.name) ? this.raw[field.name] : undefined;
    const v = rawValue === null || rawValue === undefined ? undefined : toCelValue(rawValue, field.type);
    super.set(celName, v);
    return v;
  }

  override has(celName: string): boolean {
    return this.get(celName) !== undefined;
  }
}

/** Converts one unstructured value to its CEL form for the declared type. */
export function toCelValue(raw: unknown, decl: DeclType): unknown {
  if (raw === null || raw === undefined) return null;
  switch (decl.kind) {
    case 'int':
      if (typeof raw !== 'number' || !Number.isInteger(raw)) throw celError(`invalid data, expected int, got ${goTypeName(raw)}`);
      return BigInt(raw);
    case 'double':
      if (typeof raw !== 'number') throw celError(`invalid data, expected float, got ${goTypeName(raw)}`);
      return raw;
    case 'bool':
      if (typeof raw !== 'boolean') throw celError(`invalid data, expected bool, got ${goTypeName(raw)}`);
      return raw;
    case 'string':
      if (typeof raw !== 'string') throw celError(`invalid data, expected string, got ${goTypeName(raw)}`);
      return raw;
    case 'timestamp':
      return parseTimestamp(raw, decl.dateOnly);
    case 'duration':
      return parseSchemaDuration(raw);
    case 'bytes':
      if (typeof raw !== 'string') throw celError(`invalid data, expected string, got ${goTypeName(raw)}`);
      return new Uint8Array(Buffer.from(raw, 'base64'));
    case 'dyn':
      return dynValue(raw);
    case 'list':
      if (!Array.isArray(raw)) throw celError('invalid data, expected an array for the provided schema with type=array');
      return raw.map((item) => toCelValue(item, decl.elem));
    case 'map': {
      if (!isPlainObject(raw)) throw celError('invalid data, expected a map for the provided schema with type=object');
      const m = new Map<string, unknown>();
      for (const [k, v] of Object.entries(raw)) m.set(k, toCelValue(v, decl.elem));
      return m;
    }
    case 'object':
      if (!isPlainObject(raw)) throw celError('invalid data, expected a map for the provided schema with type=object');
      return new decl.ctor(raw, decl);
  }
}

/** int-or-string (and anything else typed dyn): ints as CEL ints, the rest by JSON shape. */
function dynValue(raw: unknown): unknown {
  if (typeof raw === 'number') return Number.isInteger(raw) ? BigInt(raw) : raw;
  if (Array.isArray(raw)) return raw.map(dynValue);
  if (isPlainObject(raw)) return new Map(Object.entries(raw).map(([k, v]) => [k, dynValue(v)]));
  return raw;
}

function parseTimestamp(raw: unknown, dateOnly: boolean): Date {
  if (typeof raw !== 'string') throw celError(`invalid data, expected string, got ${goTypeName(raw)}`);
  const re = dateOnly ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  const d = new Date(dateOnly ? `${raw}T00:00:00Z` : raw);
  if (!re.test(raw) || Number.isNaN(d.getTime())) {
    throw celError(`Invalid ${dateOnly ? 'date' : 'date-time'} formatted string ${raw}`);
  }
  return d;
}

const goUnits: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's time.ParseDuration, e.g. `1h30m`, `-1.5s`, `0`; undefined when it does not parse. */
export function parseGoDuration(s: string): bigint | undefined {
  const m = /^([-+]?)(.*)$/.exec(s)!;
  const neg = m[1] === '-';
  const body = m[2]!;
  if (body === '0') return 0n;
  if (body === '') return undefined;
  let total = 0n;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const part = re.exec(body);
    if (!part) return undefined;
    const [whole, frac = ''] = part[1]!.split('.');
    const unit = goUnits[part[2]!]!;
    total += BigInt(whole || '0') * unit;
    if (frac) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    pos = re.lastIndex;
  }
  return neg ? -total : total;
}

// kube parses `format: duration` with go-openapi's strfmt.ParseDuration, which also takes
// day and week units and spelled-out names ("3 days"); mirror that fallback.
const strfmtUnits: [string[], bigint][] = [
  [['ns', 'nano'], 1n],
  [['us', 'µs', 'micro'], 1_000n],
  [['ms', 'milli'], 1_000_000n],
  [['s', 'sec'], 1_000_000_000n],
  [['m', 'min'], 60_000_000_000n],
  [['h', 'hr', 'hour'], 3_600_000_000_000n],
  [['d', 'day'], 86_400_000_000_000n],
  [['w', 'wk', 'week'], 604_800_000_000_000n],
];

function parseSchemaDuration(raw: unknown): CelDuration {
  if (typeof raw !== 'string') throw celError(`invalid data, expected string, got ${goTypeName(raw)}`);
  const go = parseGoDuration(raw);
  if (go !== undefined) return durationFromNanos(go);
  let total = 0n;
  let ok = false;
  for (const m of raw.matchAll(/(\d+)\s*([A-Za-zµ]+)/g)) {
    const unit = m[2]!.toLowerCase();
    for (const [variants, mult] of strfmtUnits) {
      variants.forEach((variant, i) => {
        if ((i === variants.length - 1 && unit.startsWith(variant)) || unit === variant) {
          ok = true;
          total += BigInt(m[1]!) * mult;
        }
      });
    }
  }
  if (!ok) throw celError(`Invalid duration ${raw}: unable to parse ${raw} as duration`);
  return durationFromNanos(total);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's %T for unstructured data, used in kube's "invalid data" messages. */
function goTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Deep equality of unstructured values (equality.Semantic.DeepEqual for JSON data). */
export function unstructuredEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => unstructuredEqual(x, b[i]));
  }
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && unstructuredEqual((a as Record<string, unknown>)[k], bo[k]));
}
