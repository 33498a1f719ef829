// Running the schema algorithms (prune, default) on a plain copy instead of an immer draft: a
// draft hands out a proxy for every nested value read, so walking a whole custom resource
// through one costs far more than the algorithm itself. The copy is walked at plain-object
// speed, and only the top-level fields that came out different are written to the draft, so
// the result is the one the walk on the draft would have produced, sharing what did not change.
import { unstructuredEqual } from './cel/values.js';

/** A deep copy of JSON data, keys in the same order. */
export function clonePlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clonePlain) as T;
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const value = clonePlain((v as Record<string, unknown>)[k]);
    // JSON.parse makes "__proto__" an own key; plain assignment would set the prototype instead.
    if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  return out as T;
}

/** Makes `target` (a draft of `before`) equal to `after`: removed keys deleted, new and changed ones written, in `after`'s order. */
export function writeChanges(target: Record<string, unknown>, before: Record<string, unknown>, after: Record<string, unknown>): void {
  for (const k of Object.keys(before)) if (!Object.hasOwn(after, k)) delete target[k];
  for (const k of Object.keys(after)) {
    if (!Object.hasOwn(before, k) || !unstructuredEqual(before[k], after[k])) target[k] = after[k];
  }
}
