// managedFields for Update operations: which manager last set which fields, recorded as
// FieldsV1 sets ({"f:data": {"f:key": {}}}). Server-side apply (a later issue) refines list
// items into keyed entries; here lists are owned whole, as atomic lists are.
import type { KubeObject, ManagedFieldsEntry } from '../object.js';
import { isPlainObject } from '../object.js';

type FieldSet = Record<string, unknown>;

/** Metadata fields the server owns; never recorded for a manager (as fieldmanager strips them). */
const IGNORED_METADATA = new Set(['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'name', 'namespace', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']);

function leafSet(value: unknown): FieldSet {
  const out: FieldSet = {};
  if (!isPlainObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    out[`f:${k}`] = isPlainObject(v) && Object.keys(v).length > 0 ? leafSet(v) : {};
  }
  return out;
}

/** Fields of `obj` that differ from `old` (all of them when old is undefined). */
function changedSet(obj: unknown, old: unknown): FieldSet {
  const out: FieldSet = {};
  if (!isPlainObject(obj)) return out;
  for (const [k, v] of Object.entries(obj)) {
    const o = isPlainObject(old) ? old[k] : undefined;
    if (o !== undefined && JSON.stringify(o) === JSON.stringify(v)) continue;
    if (isPlainObject(v) && Object.keys(v).length > 0 && (o === undefined || isPlainObject(o))) {
      const sub = changedSet(v, o);
      if (Object.keys(sub).length) out[`f:${k}`] = sub;
      else if (o === undefined) out[`f:${k}`] = {};
    } else {
      out[`f:${k}`] = {};
    }
  }
  return out;
}

/** The part of the object a write through this endpoint can set, as plain JSON. */
function objectFields(obj: KubeObject, subresource: string): Record<string, unknown> {
  const { metadata, status, apiVersion: _a, kind: _k, ...rest } = obj;
  void _a;
  void _k;
  if (subresource === 'status') return status === undefined ? {} : { status };
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) if (!IGNORED_METADATA.has(k)) meta[k] = v;
  return { ...(Object.keys(meta).length ? { metadata: meta } : {}), ...rest };
}

function mergeSets(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeSets(out[k] as FieldSet, v) : v;
  }
  return out;
}

/** Removes from `set` every path present in `taken`; empty parents disappear. */
function subtract(set: FieldSet, taken: FieldSet): FieldSet {
  const out: FieldSet = {};
  for (const [k, v] of Object.entries(set)) {
    if (!(k in taken)) {
      out[k] = v;
      continue;
    }
    const t = taken[k];
    if (isPlainObject(t) && Object.keys(t).length && isPlainObject(v) && Object.keys(v).length) {
      const rest = subtract(v as FieldSet, t as FieldSet);
      if (Object.keys(rest).length) out[k] = rest;
    }
  }
  return out;
}

/** Keeps only the paths of `set` that still exist in `present`. */
function intersect(set: FieldSet, present: FieldSet): FieldSet {
  const out: FieldSet = {};
  for (const [k, v] of Object.entries(set)) {
    if (!(k in present)) continue;
    const p = present[k];
    out[k] = isPlainObject(v) && Object.keys(v).length && isPlainObject(p) ? intersect(v as FieldSet, p as FieldSet) : v;
  }
  return out;
}

export interface ManagerInfo {
  manager: string;
  apiVersion: string;
  time: string;
  subresource: string;
}

/**
 * The managedFields after an Update by `info.manager`: it takes the fields it changed
 * (every field on create), keeps what it owned that still exists, and other managers
 * lose what it took.
 */
export function updateManagedFields(obj: KubeObject, old: KubeObject | undefined, info: ManagerInfo): ManagedFieldsEntry[] {
  const newFields = leafSet(objectFields(obj, info.subresource));
  const changed = old ? changedSet(objectFields(obj, info.subresource), objectFields(old, info.subresource)) : newFields;
  const entries = (old?.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const out: ManagedFieldsEntry[] = [];
  let mine: FieldSet = changed;
  for (const e of entries) {
    const same = e.manager === info.manager && e.operation === 'Update' && (e.subresource ?? '') === info.subresource;
    const fields = intersect((e.fieldsV1 ?? {}) as FieldSet, newFields);
    if (same) {
      mine = mergeSets(fields, changed);
      continue;
    }
    const kept = subtract(fields, changed);
    if (Object.keys(kept).length) out.push({ ...e, fieldsV1: kept });
  }
  if (Object.keys(mine).length) {
    const entry: ManagedFieldsEntry = {
      manager: info.manager,
      operation: 'Update',
      apiVersion: info.apiVersion,
      time: info.time,
      fieldsType: 'FieldsV1',
      fieldsV1: mine,
    };
    if (info.subresource) entry.subresource = info.subresource;
    out.push(entry);
  }
  return out;
}
