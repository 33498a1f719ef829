// The expected state of a namespace's ConfigMaps: a plain Map the property tests advance
// beside the server, including who owns which field (server-side apply's managedFields,
// structured-merge-diff semantics) so that an apply that drops a field can be predicted.
import { expect } from 'vitest';
import type { api } from '../e2e/http-client.js';
import { byName, expectNo5xx, type Obj } from './support.js';

export type Rec = Record<string, string>;
/** Field ids: 'd:<data key>' or 'l:<label key>'. */
export type Owners = Map<string, Set<string>>;

export interface Entry {
  labels: Rec;
  data: Rec;
  finalizers: string[];
  deleting: boolean;
  owners: Owners;
  uid: string;
  rv: string;
}

export interface Model {
  objs: Map<string, Entry>;
  /** The list resourceVersion last seen: a rejected request must leave it where it was. */
  listRV: bigint;
  /** The highest resourceVersion a write acknowledged: the next one must be higher. */
  lastRV: bigint;
}

export interface Real {
  c: ReturnType<typeof api>;
  /** /api/v1/namespaces/<ns>/configmaps */
  path: string;
}

export const fieldsOf = (labels: Rec, data: Rec): Map<string, string> =>
  new Map([...Object.entries(labels).map(([k, v]) => [`l:${k}`, v] as const), ...Object.entries(data).map(([k, v]) => [`d:${k}`, v] as const)]);

function split(fields: Map<string, string>): { labels: Rec; data: Rec } {
  const labels: Rec = {};
  const data: Rec = {};
  for (const [f, v] of fields) (f.startsWith('l:') ? labels : data)[f.slice(2)] = v;
  return { labels, data };
}

function cloneOwners(o: Owners): Owners {
  return new Map([...o].map(([m, s]) => [m, new Set(s)]));
}

function prune(o: Owners): Owners {
  for (const [m, s] of o) if (s.size === 0) o.delete(m);
  return o;
}

export function sameOwners(a: Owners, b: Owners): boolean {
  if (a.size !== b.size) return false;
  for (const [m, s] of a) {
    const t = b.get(m);
    if (!t || t.size !== s.size || [...s].some((f) => !t.has(f))) return false;
  }
  return true;
}

const sameRec = (a: Rec, b: Rec) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * An Update operation (create, PUT, any patch): the manager takes the fields it added or
 * changed from everyone else, and removed fields leave every set (structured-merge-diff's
 * Updater.Update).
 */
export function updateOwners(owners: Owners, before: Map<string, string>, after: Map<string, string>, manager: string): Owners {
  const o = cloneOwners(owners);
  const touched = [...after].filter(([f, v]) => before.get(f) !== v).map(([f]) => f);
  const removed = [...before.keys()].filter((f) => !after.has(f));
  for (const [m, s] of o) for (const f of [...(m === manager ? [] : touched), ...removed]) s.delete(f);
  const mine = o.get(manager) ?? new Set<string>();
  for (const f of touched) mine.add(f);
  o.set(manager, mine);
  return prune(o);
}

/**
 * An Apply: the manager's set becomes exactly the config's fields; a changed field owned by
 * another manager is a conflict (taken over when forced); a field the manager applied before
 * and no longer does is removed unless someone else still owns it (Updater.Apply + prune).
 */
export function applyOwners(
  owners: Owners, live: Map<string, string>, config: Map<string, string>, manager: string, force: boolean,
): { conflict: true } | { conflict: false; owners: Owners; fields: Map<string, string> } {
  const o = cloneOwners(owners);
  const changed = [...config].filter(([f, v]) => live.get(f) !== v).map(([f]) => f);
  const conflicts = [...o].filter(([m, s]) => m !== manager && changed.some((f) => s.has(f)));
  if (conflicts.length > 0 && !force) return { conflict: true };
  for (const [, s] of conflicts) for (const f of changed) s.delete(f);
  const fields = new Map(live);
  for (const [f, v] of config) fields.set(f, v);
  for (const f of o.get(manager) ?? []) {
    if (config.has(f)) continue;
    if (![...o].some(([m, s]) => m !== manager && s.has(f))) fields.delete(f);
  }
  o.set(manager, new Set(config.keys()));
  return { conflict: false, owners: prune(o), fields };
}

/** The next entry after an Update operation, and whether anything stored changed (a no-op keeps its resourceVersion). */
export function nextByUpdate(prev: Entry | undefined, labels: Rec, data: Rec, finalizers: string[], manager: string) {
  const before = prev ? fieldsOf(prev.labels, prev.data) : new Map<string, string>();
  const owners = updateOwners(prev?.owners ?? new Map(), before, fieldsOf(labels, data), manager);
  const changed = !prev || !sameRec(prev.labels, labels) || !sameRec(prev.data, data) || prev.finalizers.join() !== finalizers.join() || !sameOwners(prev.owners, owners);
  return { labels, data, finalizers, owners, changed };
}

export function nextByApply(prev: Entry | undefined, labels: Rec, data: Rec, manager: string, force: boolean) {
  const live = prev ? fieldsOf(prev.labels, prev.data) : new Map<string, string>();
  const r = applyOwners(prev?.owners ?? new Map(), live, fieldsOf(labels, data), manager, force);
  if (r.conflict) return undefined;
  const next = split(r.fields);
  const changed = !prev || !sameRec(prev.labels, next.labels) || !sameRec(prev.data, next.data) || !sameOwners(prev.owners, r.owners);
  return { ...next, finalizers: prev?.finalizers ?? [], owners: r.owners, changed };
}

/** Leaf data and label fields each manager owns, read from managedFields (fieldsV1). */
export function ownersFromManagedFields(obj: Obj): Owners {
  const o: Owners = new Map();
  for (const e of obj.metadata.managedFields ?? []) {
    const s = o.get(e.manager) ?? new Set<string>();
    for (const k of Object.keys(e.fieldsV1?.['f:data'] ?? {})) if (k.startsWith('f:')) s.add(`d:${k.slice(2)}`);
    for (const k of Object.keys(e.fieldsV1?.['f:metadata']?.['f:labels'] ?? {})) if (k.startsWith('f:')) s.add(`l:${k.slice(2)}`);
    o.set(e.manager, s);
  }
  return prune(o);
}

const show = (o: Owners) => Object.fromEntries([...o].map(([m, s]) => [m, [...s].sort()]));

/** The server's list of the namespace equals the model, object by object. */
export async function checkModel(m: Model, r: Real, rejected: boolean): Promise<void> {
  const res = await r.c.get(r.path);
  expectNo5xx(res);
  expect(res.status).toBe(200);
  const listRV = BigInt(res.body.metadata.resourceVersion);
  if (rejected) expect(listRV, 'a rejected request wrote something').toBe(m.listRV);
  else expect(listRV >= m.listRV).toBe(true);
  const got = byName(res.body.items);
  expect([...got.keys()].sort()).toEqual([...m.objs.keys()].sort());
  for (const [name, want] of m.objs) {
    const o = got.get(name)!;
    const md = o.metadata;
    expect({ name, labels: md.labels ?? {}, data: o.data ?? {}, finalizers: md.finalizers ?? [], deleting: md.deletionTimestamp !== undefined, uid: md.uid, rv: md.resourceVersion })
      .toEqual({ name, labels: want.labels, data: want.data, finalizers: want.finalizers, deleting: want.deleting, uid: want.uid, rv: want.rv });
    expect(show(ownersFromManagedFields(o)), `managedFields of ${name}`).toEqual(show(want.owners));
    expect(BigInt(md.resourceVersion) <= listRV).toBe(true);
  }
  m.listRV = listRV;
  if (listRV > m.lastRV) m.lastRV = listRV;
}
