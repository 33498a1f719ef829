// x-kubernetes-list-type invariants (apiextensions-apiserver pkg/apiserver/schema/listtype
// validation.go ValidateListSetsAndMaps): a "set" holds no item twice, a "map" holds no two items
// with the same x-kubernetes-list-map-keys values. Each repeat is reported once, at the index of
// its second appearance, as `Duplicate value`; for a map the value is the item's key fields.
// Paths are field.Path's: spec.items[1], map values spec.labels[key].
import { isPlainObject } from '../object.js';
import { fieldError, type FieldError } from '../validation/field-errors.js';
import { hasListType, holdsAtOrBelow } from './schema-facts.js';
import { additionalPropertiesSchema, type JSONSchemaProps } from './types.js';

const child = (path: string, name: string) => (path ? `${path}.${name}` : name);
const at = (path: string, k: string | number) => `${path}[${k}]`;

/** JSON with sorted object keys, as Go's json.Marshal writes a map: equal values, equal text. */
function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJSON(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

const UNSPECIFIED = Symbol('unspecified key');

/** Identity of an item for uniqueness: scalars by type and value, compounds by canonical JSON. */
function identity(v: unknown): string {
  if (v === UNSPECIFIED) return 'u';
  if (Array.isArray(v) || isPlainObject(v)) return `c${canonicalJSON(v)}`;
  return `${typeof v}:${String(v)}`;
}

/** validateListSet: the indexes where an already-seen item appears for the second time. */
function secondAppearances(items: unknown[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  items.forEach((x, i) => {
    const id = identity(x);
    const times = seen.get(id) ?? 0;
    if (times === 1) out.push(i);
    seen.set(id, times + 1);
  });
  return out;
}

function validateListMap(path: string, s: JSONSchemaProps, list: unknown[]): FieldError[] {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (x !== null && !isPlainObject(x)) return [fieldError.invalid(at(path, i), x, 'must be an object for an array of list-type map')];
  }
  if (list.length <= 1) return [];
  const keyFields = s['x-kubernetes-list-map-keys'] ?? [];
  if (keyFields.length === 1) {
    const field = keyFields[0]!;
    const keys = list.map((x) => (isPlainObject(x) && Object.hasOwn(x, field) ? x[field] : UNSPECIFIED));
    return secondAppearances(keys).map((i) =>
      fieldError.duplicate(at(path, i), keys[i] === UNSPECIFIED ? {} : { [field]: keys[i] }),
    );
  }
  const keys = list.map((x) => {
    const key: Record<string, unknown> = {};
    if (isPlainObject(x)) for (const f of keyFields) if (Object.hasOwn(x, f)) key[f] = x[f];
    return key;
  });
  return secondAppearances(keys).map((i) => fieldError.duplicate(at(path, i), keys[i]));
}

function validateArray(path: string, s: JSONSchemaProps, list: unknown[]): FieldError[] {
  const errs: FieldError[] = [];
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') for (const i of secondAppearances(list)) errs.push(fieldError.duplicate(at(path, i), list[i]));
  else if (listType === 'map') errs.push(...validateListMap(path, s, list));
  if (s.items) list.forEach((v, i) => errs.push(...validateValue(at(path, i), s.items!, v)));
  return errs;
}

function validateValue(path: string, s: JSONSchemaProps, v: unknown): FieldError[] {
  // Nothing to check where no set or map list can be.
  if (!holdsAtOrBelow(s, hasListType)) return [];
  if (Array.isArray(v)) return validateArray(path, s, v);
  if (isPlainObject(v)) return validateListSetsAndMaps(s, v, path);
  return [];
}

/** Every list-type violation in an object; map values first, then declared properties, as upstream. */
export function validateListSetsAndMaps(s: JSONSchemaProps | undefined, obj: unknown, path = ''): FieldError[] {
  if (!s || !isPlainObject(obj) || !holdsAtOrBelow(s, hasListType)) return [];
  const errs: FieldError[] = [];
  const ap = additionalPropertiesSchema(s);
  if (ap) for (const [k, v] of Object.entries(obj)) errs.push(...validateValue(at(path, k), ap, v));
  if (s.properties) {
    for (const [k, v] of Object.entries(obj)) {
      const sub = s.properties[k];
      if (sub) errs.push(...validateValue(child(path, k), sub, v));
    }
  }
  return errs;
}
