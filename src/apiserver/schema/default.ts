// Defaulting of a custom resource (apiextensions-apiserver pkg/apiserver/schema/defaulting):
//   1. prunenulls.go PruneNonNullableNullsWithoutDefaults: an object's null field whose schema is
//      not nullable and has no default is removed (it runs right after pruning on every decode);
//   2. algorithm.go Default: a property with a default is set when absent, or when null and not
//      nullable; null map values and list items are replaced by their schema's default; then the
//      walk continues into every value, so defaults nest inside defaulted values. Defaults are
//      deep-copied. Both run on request bodies and on objects read back from storage, which is
//      how a default added to a CRD later shows up on objects stored before it.
import { isPlainObject } from '../object.js';
import { additionalPropertiesSchema, type JSONSchemaProps } from './types.js';

function isNonNullableNull(x: unknown, s: JSONSchemaProps | undefined): boolean {
  return x === null && s !== undefined && !s.nullable;
}

function schemaForField(k: string, s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  return s?.properties?.[k] ?? additionalPropertiesSchema(s);
}

const copy = <T>(v: T): T => structuredClone(v);

export function pruneNonNullableNullsWithoutDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (isPlainObject(x)) {
    for (const k of Object.keys(x)) {
      const sub = schemaForField(k, s);
      if (isNonNullableNull(x[k], sub) && sub!.default === undefined) delete x[k];
      else pruneNonNullableNullsWithoutDefaults(x[k], sub);
    }
  } else if (Array.isArray(x)) {
    for (const v of x) pruneNonNullableNullsWithoutDefaults(v, s?.items);
  }
}

/**
 * `isResourceRoot` marks an object whose `metadata` is ObjectMeta: a default on metadata itself is
 * never applied there (CRD validation forbids one at the root), only defaults declared inside it.
 */
export function defaultValues(x: unknown, s: JSONSchemaProps | undefined, isResourceRoot = false): void {
  if (!s) return;
  if (isPlainObject(x)) {
    for (const [k, prop] of Object.entries(s.properties ?? {})) {
      if (prop.default === undefined) continue;
      if (isResourceRoot && k === 'metadata') continue;
      if (!Object.hasOwn(x, k) || isNonNullableNull(x[k], prop)) x[k] = copy(prop.default);
    }
    const ap = additionalPropertiesSchema(s);
    for (const k of Object.keys(x)) {
      const prop = s.properties?.[k];
      if (prop) defaultValues(x[k], prop, !!prop['x-kubernetes-embedded-resource']);
      else if (s.additionalProperties !== undefined) {
        if (ap && isNonNullableNull(x[k], ap) && ap.default !== undefined) x[k] = copy(ap.default);
        defaultValues(x[k], ap, !!ap?.['x-kubernetes-embedded-resource']);
      }
    }
  } else if (Array.isArray(x)) {
    const items = s.items;
    for (let i = 0; i < x.length; i++) {
      if (items && isNonNullableNull(x[i], items) && items.default !== undefined) x[i] = copy(items.default);
      defaultValues(x[i], items, !!items?.['x-kubernetes-embedded-resource']);
    }
  }
}

/** Whether some object value below `x` (as its schema types it) is a null the first step removes. */
function hasPrunableNull(x: unknown, s: JSONSchemaProps | undefined): boolean {
  if (!s) return false; // below no schema, no null is removed
  if (isPlainObject(x)) {
    for (const k of Object.keys(x)) {
      const sub = schemaForField(k, s);
      if (isNonNullableNull(x[k], sub) && sub!.default === undefined) return true;
      if (hasPrunableNull(x[k], sub)) return true;
    }
  } else if (Array.isArray(x)) {
    for (const v of x) if (hasPrunableNull(v, s?.items)) return true;
  }
  return false;
}

const declaresDefaults = new WeakMap<JSONSchemaProps, boolean>();

/** Whether a default is declared anywhere in `s` (compiled schemas are immutable, so it is cached). */
function hasDefaults(s: JSONSchemaProps | undefined): boolean {
  if (!s) return false;
  let v = declaresDefaults.get(s);
  if (v === undefined) {
    v = s.default !== undefined || Object.values(s.properties ?? {}).some(hasDefaults) || hasDefaults(additionalPropertiesSchema(s)) || hasDefaults(s.items);
    declaresDefaults.set(s, v);
  }
  return v;
}

/** Whether defaultValues would set anything in `x`: its conditions, node by node, without the writes. */
function hasMissingDefault(x: unknown, s: JSONSchemaProps | undefined, isResourceRoot: boolean): boolean {
  if (!hasDefaults(s)) return false;
  if (isPlainObject(x)) {
    for (const [k, prop] of Object.entries(s!.properties ?? {})) {
      if (prop.default === undefined || (isResourceRoot && k === 'metadata')) continue;
      if (!Object.hasOwn(x, k) || isNonNullableNull(x[k], prop)) return true;
    }
    const ap = additionalPropertiesSchema(s);
    for (const k of Object.keys(x)) {
      const prop = s!.properties?.[k];
      if (prop) {
        if (hasMissingDefault(x[k], prop, !!prop['x-kubernetes-embedded-resource'])) return true;
      } else if (s!.additionalProperties !== undefined) {
        if (ap && isNonNullableNull(x[k], ap) && ap.default !== undefined) return true;
        if (hasMissingDefault(x[k], ap, !!ap?.['x-kubernetes-embedded-resource'])) return true;
      }
    }
  } else if (Array.isArray(x)) {
    const items = s!.items;
    for (const v of x) {
      if (items && isNonNullableNull(v, items) && items.default !== undefined) return true;
      if (hasMissingDefault(v, items, !!items?.['x-kubernetes-embedded-resource'])) return true;
    }
  }
  return false;
}

/**
 * Whether applyDefaultsTo would change `obj`, found by reading only: most objects need nothing,
 * and walking an immer draft to find that out costs far more than walking the plain object.
 * (When no null is pruned, the second step sees `obj` as it is, so its check is exact.)
 */
export function defaultsWouldChange(obj: unknown, schema: JSONSchemaProps): boolean {
  return hasPrunableNull(obj, schema) || hasMissingDefault(obj, schema, true);
}

/** Both steps, in kube-apiserver's order, on a mutable object or immer draft. */
export function applyDefaultsTo(obj: unknown, schema: JSONSchemaProps): void {
  pruneNonNullableNullsWithoutDefaults(obj, schema);
  defaultValues(obj, schema, true);
}
