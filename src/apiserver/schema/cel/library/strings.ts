// cel-go's strings extension at the version Kubernetes enables for CRD rules (ext.Strings v2):
// what the evaluator lacks of it — charAt, replace, format, strings.quote. The evaluator already
// has indexOf, lastIndexOf, lowerAscii, upperAscii, split, substring, trim and join.

import type { Environment } from '@marcbachmann/cel-js';
import { celError, isDuration, type CelDuration } from '../values.js';

/** A namespace object so `strings.quote(...)` resolves as a receiver call on a constant. */
class StringsNamespace {}

export function registerStrings(env: Environment): void {
  env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    const chars = [...s];
    if (i < 0n || i > BigInt(chars.length)) throw celError(`index out of range: ${i}`);
    return chars[Number(i)] ?? '';
  });
  env.registerFunction('string.replace(string, string): string', (s: string, from: string, to: string) => s.split(from).join(to));
  env.registerFunction('string.replace(string, string, int): string', (s: string, from: string, to: string, n: bigint) => replaceN(s, from, to, n));
  env.registerFunction('string.format(list<dyn>): string', (s: string, args: unknown[]) => format(s, args));
  env.registerType('kubernetes.strings', StringsNamespace);
  env.registerConstant('strings', 'kubernetes.strings', new StringsNamespace());
  env.registerFunction('kubernetes.strings.quote(string): string', (_ns: unknown, s: string) => quote(s));
}

function replaceN(s: string, from: string, to: string, n: bigint): string {
  if (n < 0n) return s.split(from).join(to);
  let out = '';
  let rest = s;
  for (let i = 0n; i < n; i++) {
    const at = rest.indexOf(from);
    if (at < 0) break;
    out += rest.slice(0, at) + to;
    rest = rest.slice(at + from.length);
    if (from === '') {
      // An empty needle matches before every character, as Go's strings.Replace does.
      out += rest.slice(0, 1);
      rest = rest.slice(1);
    }
  }
  return out + rest;
}

function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u0007\b\f\v]/g, (c) => ({ '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' })[c]!);
}

/** `"%s is %d".format([a, b])` with the verbs cel-go supports: %s %d %f %e %b %o %x %X and %%. */
function format(template: string, args: unknown[]): string {
  let i = 0;
  return template.replace(/%(?:\.(\d+))?([sdfeboxX%])/g, (_m, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw celError(`index ${i} out of range`);
    const arg = args[i++];
    const p = precision === undefined ? 6 : Number(precision);
    switch (verb) {
      case 's':
        return formatString(arg);
      case 'd':
        if (typeof arg !== 'bigint') throw celError(`error during formatting: decimal clause can only be used on integers, was given ${typeName(arg)}`);
        return arg.toString();
      case 'f':
        if (typeof arg !== 'number' && typeof arg !== 'bigint') throw celError(`error during formatting: fixed-point clause can only be used on doubles, was given ${typeName(arg)}`);
        return Number(arg).toFixed(p);
      case 'e':
        if (typeof arg !== 'number' && typeof arg !== 'bigint') throw celError(`error during formatting: scientific clause can only be used on doubles, was given ${typeName(arg)}`);
        return Number(arg).toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
      case 'b':
        return radix(arg, 2, 'binary');
      case 'o':
        return radix(arg, 8, 'octal');
      default:
        return verb === 'X' ? radix(arg, 16, 'hex').toUpperCase() : radix(arg, 16, 'hex');
    }
  });
}

function radix(arg: unknown, base: number, what: string): string {
  if (typeof arg === 'bigint') return arg.toString(base);
  if (typeof arg === 'boolean' && base === 2) return arg ? '1' : '0';
  if (typeof arg === 'string' && base === 16) return Buffer.from(arg).toString('hex');
  if (arg instanceof Uint8Array && base === 16) return Buffer.from(arg).toString('hex');
  throw celError(`error during formatting: only integers${base === 16 ? ', byte buffers, and strings' : ''} can be formatted as ${what}, was given ${typeName(arg)}`);
}

function formatString(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (isDuration(v)) return durationString(v);
  if (Array.isArray(v)) return `[${v.map(formatString).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${formatString(k)}: ${formatString(x)}`).join(', ')}}`;
  throw celError(`error during formatting: string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given ${typeName(v)}`);
}

function durationString(d: CelDuration): string {
  const nanos = d.nanos ? `.${String(Math.abs(d.nanos)).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${d.seconds}${nanos}s`;
}

function typeName(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v === null) return 'null_type';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'map';
  return 'dyn';
}
