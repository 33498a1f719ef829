// Kubernetes' list library (isSorted, sum, min, max, indexOf, lastIndexOf) and cel-go's sets
// extension (sets.contains, sets.equivalent, sets.intersects), both enabled for CRD rules.

import type { Environment } from '@marcbachmann/cel-js';
import { CelObject, celError, durationFromNanos, durationNanos, isDuration, unstructuredEqual } from '../values.js';

/** CEL equality for runtime values (numbers compare across int and double, as CEL does). */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return typeof a === typeof b ? a === b : Number(a) === Number(b);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (isDuration(a) && isDuration(b)) return durationNanos(a) === durationNanos(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (a instanceof CelObject && b instanceof CelObject) return a.constructor === b.constructor && unstructuredEqual(a.raw, b.raw);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof Map && b instanceof Map && !(a instanceof CelObject) && !(b instanceof CelObject)) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !celEquals(v, b.get(k))) return false;
    return true;
  }
  return false;
}

/** Ordering for the comparable CEL types: int, uint, double, bool, string, bytes, duration, timestamp. */
export function celCompare(a: unknown, b: unknown): number {
  const cmp = <T>(x: T, y: T) => (x < y ? -1 : x > y ? 1 : 0);
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return typeof a === typeof b ? cmp(a, b) : cmp(Number(a), Number(b));
  }
  if (typeof a === 'string' && typeof b === 'string') return cmp(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return cmp(Number(a), Number(b));
  if (a instanceof Date && b instanceof Date) return cmp(a.getTime(), b.getTime());
  if (isDuration(a) && isDuration(b)) return cmp(durationNanos(a), durationNanos(b));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  throw celError('no such overload');
}

class SetsNamespace {}

export function registerLists(env: Environment): void {
  env.registerFunction('list<A>.isSorted(): bool', (l: unknown[]) => l.every((v, i) => i === 0 || celCompare(l[i - 1], v) <= 0));
  env.registerFunction('list<int>.sum(): int', (l: bigint[]) => l.reduce((a, b) => checkedInt(a + b), 0n));
  env.registerFunction('list<double>.sum(): double', (l: number[]) => l.reduce((a, b) => a + b, 0));
  env.registerFunction('list<google.protobuf.Duration>.sum(): google.protobuf.Duration', (l: Parameters<typeof durationNanos>[0][]) =>
    durationFromNanos(l.reduce((a, b) => a + durationNanos(b), 0n)),
  );
  env.registerFunction('list<A>.min(): A', (l: unknown[]) => extreme(l, 'min', -1));
  env.registerFunction('list<A>.max(): A', (l: unknown[]) => extreme(l, 'max', 1));
  env.registerFunction('list<A>.indexOf(A): int', (l: unknown[], v: unknown) => BigInt(l.findIndex((x) => celEquals(x, v))));
  env.registerFunction('list<A>.lastIndexOf(A): int', (l: unknown[], v: unknown) => {
    for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], v)) return BigInt(i);
    return -1n;
  });

  env.registerType('kubernetes.sets', SetsNamespace);
  env.registerConstant('sets', 'kubernetes.sets', new SetsNamespace());
  const contains = (a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEquals(x, y)));
  env.registerFunction('kubernetes.sets.contains(list<A>, list<A>): bool', (_ns: unknown, a: unknown[], b: unknown[]) => contains(a, b));
  env.registerFunction('kubernetes.sets.equivalent(list<A>, list<A>): bool', (_ns: unknown, a: unknown[], b: unknown[]) => contains(a, b) && contains(b, a));
  env.registerFunction('kubernetes.sets.intersects(list<A>, list<A>): bool', (_ns: unknown, a: unknown[], b: unknown[]) =>
    a.some((x) => b.some((y) => celEquals(x, y))),
  );
}

function extreme(l: unknown[], name: string, prefer: number): unknown {
  if (l.length === 0) throw celError(`${name} called on empty list`);
  return l.reduce((best, v) => (celCompare(v, best) === prefer ? v : best));
}

function checkedInt(v: bigint): bigint {
  if (v > 9223372036854775807n || v < -9223372036854775808n) throw celError('integer overflow');
  return v;
}
