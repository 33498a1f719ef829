// Merging an applied configuration into the live object by the schema, and removing the fields
// an applier stopped applying: structured-merge-diff's typed Merge and RemoveItems. Maps merge
// key by key, map-lists item by item on their keys, set-lists as sets of values; scalars and
// atomic lists and maps are replaced whole by the applied value.
import { isPlainObject } from '../object.js';
import { DEDUCED, type TypeNode } from './schema.js';
import type { FieldSet } from './set.js';
import { itemElement } from './typed.js';

function concreteKind(t: TypeNode, v: unknown): 'map' | 'list' | 'leaf' {
  if (t.kind === 'map') return t.atomic ? 'leaf' : 'map';
  if (t.kind === 'list') return t.listType === 'atomic' ? 'leaf' : 'list';
  if (t.kind === 'deduced' && isPlainObject(v)) return 'map';
  return 'leaf';
}

function fieldType(t: TypeNode, name: string): TypeNode {
  if (t.kind !== 'map') return DEDUCED;
  return t.field(name) ?? t.elementType ?? DEDUCED;
}

/** `live` with `applied` merged in; neither is modified. */
export function mergeApplied(live: unknown, applied: unknown, type: TypeNode): unknown {
  if (live === undefined) return applied;
  const kind = concreteKind(type, applied);
  if (kind === 'map' && isPlainObject(live) && isPlainObject(applied)) {
    const out: Record<string, unknown> = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(live[k], v, fieldType(type, k));
    return out;
  }
  if (kind === 'list' && type.kind === 'list' && Array.isArray(live) && Array.isArray(applied)) {
    // Live items keep their place; applied items not yet present follow in applied order.
    const appliedByElement = new Map(applied.map((item, i) => [itemElement(type, item, i), item] as const));
    const seen = new Set<string>();
    const out = live.map((item, i) => {
      const pe = itemElement(type, item, i);
      seen.add(pe);
      return appliedByElement.has(pe) ? mergeApplied(item, appliedByElement.get(pe), type.items) : item;
    });
    for (const [pe, item] of appliedByElement) if (!seen.has(pe)) out.push(item);
    return out;
  }
  return applied;
}

function nonEmptyCollection(v: unknown): boolean {
  return (isPlainObject(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0);
}

/**
 * `value` without the paths of `remove`. A removed map or list whose contents are not all
 * removed stays with what is left: SMD's prune removes the applier's old paths and then adds
 * back what any manager owns and what nobody applied (addBackOwnedItems, addBackDanglingItems).
 */
export function removeFields(value: unknown, remove: FieldSet, type: TypeNode): unknown {
  if (remove.empty()) return value;
  const kind = concreteKind(type, value);
  const one = (pe: string, v: unknown, t: TypeNode): { keep: boolean; value: unknown } => {
    const sub = remove.children.get(pe);
    const next = sub ? removeFields(v, sub, t) : v;
    if (!remove.members.has(pe)) return { keep: true, value: next };
    return { keep: concreteKind(t, next) !== 'leaf' && nonEmptyCollection(next), value: next };
  };
  if (kind === 'map' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = one(`f:${k}`, v, fieldType(type, k));
      if (r.keep) out[k] = r.value;
    }
    return out;
  }
  if (kind === 'list' && type.kind === 'list' && Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const r = one(itemElement(type, item, i), item, type.items);
      if (r.keep) out.push(r.value);
    });
    return out;
  }
  return value;
}
