// Safe access to decoded JSON and the small validators every built-in kind shares. Objects
// arrive as whatever a client sent, so nothing here assumes a shape: a wrong type reads as
// "unset" instead of throwing (bad input must never crash the process).
import { isPlainObject } from '../../object.js';
import { fieldError, type FieldError } from '../../validation/field-errors.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../validation/object-meta.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/names.js';

export type Obj = Record<string, unknown>;

export function asObj(v: unknown): Obj | undefined {
  return isPlainObject(v) ? v : undefined;
}

/** The object under `key`, created (or replaced, when it holds a non-object) so defaults can fill it. */
export function ensureObj(parent: Obj, key: string): Obj {
  const cur = parent[key];
  if (isPlainObject(cur)) return cur;
  const fresh: Obj = {};
  parent[key] = fresh;
  return parent[key] as Obj;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The array's plain-object items (other items are skipped). */
export function objects(v: unknown): Obj[] {
  return asArray(v).filter(isPlainObject);
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainObject(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Go's zero value for a string: a default fills "" as well as a missing field. */
export function defaultString(o: Obj, key: string, value: string): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value;
}

/** A pointer field's default: only a missing (or null) field is filled. */
export function defaultValue(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/** Structural equality of JSON values; a missing key equals an undefined one. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** A map key in a field path, as field.Path.Key prints it: data[key]. */
export function keyPath(base: string, key: string): string {
  return `${base}[${key}]`;
}

export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';

/** ValidateNonnegativeField. */
export function validateNonnegative(v: unknown, path: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [fieldError.invalid(path, v, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** ValidateImmutableField. */
export function validateImmutable(newValue: unknown, oldValue: unknown, path: string): FieldError[] {
  return deepEqual(newValue, oldValue) ? [] : [fieldError.invalid(path, newValue ?? null, FIELD_IMMUTABLE_ERROR_MSG)];
}

/** ValidateDNS1123Label: one Invalid error per failed rule. */
export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => fieldError.invalid(path, value, msg));
}

export function validateDNS1123Subdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((msg) => fieldError.invalid(path, value, msg));
}

/**
 * Status-subresource writes keep everything but status from the stored object (the kinds'
 * StatusStrategy.PrepareForUpdate: `newObj.Spec = oldObj.Spec`), plus whichever metadata
 * fields the kind's status strategy also pins (labels for workloads, ownerReferences for pods).
 */
export function keepAllButStatus(d: Obj, old: Obj, pinnedMeta: readonly string[] = []): void {
  for (const k of Object.keys(d)) if (k !== 'metadata' && k !== 'status') delete d[k];
  for (const [k, v] of Object.entries(old)) if (k !== 'metadata' && k !== 'status') d[k] = v;
  const meta = ensureObj(d, 'metadata');
  const oldMeta = asObj(old.metadata) ?? {};
  for (const k of pinnedMeta) {
    if (oldMeta[k] === undefined) delete meta[k];
    else meta[k] = oldMeta[k];
  }
}

/** Main-resource writes keep the stored status (the kinds' Strategy.PrepareForUpdate). */
export function keepStatus(d: Obj, old: Obj): void {
  if (old.status === undefined) delete d.status;
  else d.status = old.status;
}
