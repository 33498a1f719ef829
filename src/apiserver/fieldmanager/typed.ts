// A value walked by its TypeNode, as structured-merge-diff's typed package does it: the set of
// fields a value holds (ToFieldSet) and what changed between two values (Compare).
import { isPlainObject } from '../object.js';
import { elementToString, field } from './fieldpath.js';
import { DEDUCED, type TypeNode } from './schema.js';
import { FieldSet } from './set.js';

type Path = readonly string[];

/** What an Update changed (SMD's typed.Comparison). */
export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

export function isSame(c: Comparison): boolean {
  return c.added.empty() && c.removed.empty() && c.modified.empty();
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The concrete node for a value: a deduced type becomes a granular map, an atomic list or a scalar. */
function concrete(t: TypeNode, value: unknown): TypeNode {
  if (t.kind !== 'deduced') return t;
  if (isPlainObject(value)) return { kind: 'map', atomic: false, elementType: DEDUCED, field: () => undefined, zeroFields: () => ({ struct: [], required: [] }) };
  if (Array.isArray(value)) return { kind: 'list', listType: 'atomic', keys: [], items: DEDUCED };
  return { kind: 'scalar' };
}

/**
 * The path element of a list item: k:{keys} in a map-list, v:<value> in a set-list
 * (listItemToPathElement). Key fields an item leaves out take their schema default, else are
 * left out of the element.
 */
export function itemElement(t: Extract<TypeNode, { kind: 'list' }>, item: unknown, index: number): string {
  if (t.listType === 'map' && isPlainObject(item)) {
    const fields: Record<string, unknown> = {};
    for (const k of t.keys) {
      const v = item[k] ?? t.keyDefaults?.[k];
      if (v !== undefined) fields[k] = v;
    }
    return elementToString({ kind: 'key', fields });
  }
  if (t.listType === 'set') return elementToString({ kind: 'value', value: item });
  return elementToString({ kind: 'index', index });
}

function childType(t: Extract<TypeNode, { kind: 'map' }>, name: string): { type: TypeNode; declared: boolean } {
  const f = t.field(name);
  if (f) return { type: f, declared: true };
  return { type: t.elementType ?? DEDUCED, declared: false };
}

/**
 * Every field `value` sets (SMD ToFieldSet): scalars and atomic lists and maps as leaves; list
 * items as members with their fields below; map keys that are not declared fields (labels,
 * data) as members; a field holding null or {} as a member.
 */
export function toFieldSet(value: unknown, type: TypeNode): FieldSet {
  const set = new FieldSet();
  walkFields(value, type, [], set, []);
  return set;
}

/**
 * The paths of fields the schema does not declare (SMD's "field not declared in schema"),
 * which make an applied configuration untypable.
 */
export function undeclaredFields(value: unknown, type: TypeNode): string[][] {
  const errs: string[][] = [];
  walkFields(value, type, [], new FieldSet(), errs);
  return errs;
}

function walkFields(value: unknown, type: TypeNode, path: Path, set: FieldSet, undeclared: string[][]): void {
  const t = concrete(type, value);
  if (t.kind === 'map' && isPlainObject(value) && !t.atomic) {
    for (const [k, v] of Object.entries(value)) {
      const p = [...path, elementToString(field(k))];
      if (!t.field(k) && !t.elementType) {
        undeclared.push(p);
        continue;
      }
      const { type: ct, declared } = childType(t, k);
      walkFields(v, ct, p, set, undeclared);
      if (v === null || (isPlainObject(v) && Object.keys(v).length === 0) || !declared) set.insert(p);
    }
    return;
  }
  if (t.kind === 'list' && Array.isArray(value) && t.listType !== 'atomic') {
    value.forEach((item, i) => {
      const p = [...path, itemElement(t, item, i)];
      walkFields(item, t.items, p, set, undeclared);
      set.insert(p);
    });
    return;
  }
  set.insert(path);
}

/** What turned `lhs` into `rhs` (SMD's compare walker): leaves added, removed or modified, and every node that appeared or went away. */
export function compare(lhs: unknown, rhs: unknown, type: TypeNode): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  compareNode(lhs, rhs, type, [], c);
  return c;
}

function isEmptyCollection(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

function isLeafType(t: TypeNode): boolean {
  return t.kind === 'scalar' || t.kind === 'deduced' || (t.kind === 'map' && t.atomic) || (t.kind === 'list' && t.listType === 'atomic');
}

function compareNode(l: unknown, r: unknown, type: TypeNode, path: Path, c: Comparison): void {
  // A field left null is Go's zero value: the same as absent (a template's creationTimestamp: null).
  if ((l === undefined || l === null) && (r === undefined || r === null)) return;
  const t = concrete(type, r !== undefined && r !== null ? r : l);
  // null on one side is a present but empty value (a Go field without omitempty): its contents
  // are compared, but the field itself neither appeared nor went away.
  if (l === null && (isPlainObject(r) || Array.isArray(r)) && !isLeafType(t)) return compareNode(Array.isArray(r) ? [] : {}, r, t, path, c);
  if (r === null && (isPlainObject(l) || Array.isArray(l)) && !isLeafType(t)) return compareNode(l, Array.isArray(l) ? [] : {}, t, path, c);
  const bothMaps = (l === undefined || isPlainObject(l)) && (r === undefined || isPlainObject(r));
  const bothLists = (l === undefined || Array.isArray(l)) && (r === undefined || Array.isArray(r));
  // Empty on both sides, atomic, or a type mismatch: a leaf, so {} and absent stay distinct.
  const leaf =
    (isEmptyCollection(l) && isEmptyCollection(r)) ||
    t.kind === 'scalar' ||
    t.kind === 'deduced' ||
    (t.kind === 'map' && (t.atomic || !bothMaps)) ||
    (t.kind === 'list' && (t.listType === 'atomic' || !bothLists));
  if (leaf) {
    if (!path.length) return;
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
    return;
  }
  if (t.kind === 'map') {
    const lm = (l ?? {}) as Record<string, unknown>;
    const rm = (r ?? {}) as Record<string, unknown>;
    for (const k of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
      compareNode(lm[k], rm[k], childType(t, k).type, [...path, elementToString(field(k))], c);
    }
  } else if (t.kind === 'list') {
    const index = (list: unknown[]) => new Map(list.map((item, i) => [itemElement(t, item, i), item] as const));
    const li = index((l ?? []) as unknown[]);
    const ri = index((r ?? []) as unknown[]);
    for (const pe of new Set([...li.keys(), ...ri.keys()])) compareNode(li.get(pe), ri.get(pe), t.items, [...path, pe], c);
  }
  if (!path.length) return;
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}

/**
 * The object an Update that creates is compared against: what kube decodes an empty object of
 * the kind into. Go struct fields that are not pointers (those OpenAPI marks `default: {}`)
 * serialize as {}, and required fields (no omitempty) as null, so creating the object adds
 * their contents but not the fields themselves; a custom resource starts from nothing.
 */
export function zeroObject(type: TypeNode): Readonly<Record<string, unknown>> {
  let zero = zeroObjects.get(type);
  if (!zero) zeroObjects.set(type, (zero = Object.freeze(buildZeroObject(type))));
  return zero;
}

/** Per type node: every create compares against the same zero object. */
const zeroObjects = new WeakMap<TypeNode, Readonly<Record<string, unknown>>>();

function buildZeroObject(type: TypeNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (type.kind !== 'map') return out;
  const { struct, required } = type.zeroFields();
  for (const name of required) out[name] = null;
  for (const name of struct) {
    const t = type.field(name);
    if (t) out[name] = zeroObject(t);
  }
  return out;
}
