// The managers of an object (metadata.managedFields decoded into field sets) and how an Update
// moves ownership between them, as structured-merge-diff's merge.Updater.Update and
// k8s.io/apiserver's fieldmanager (managedfields encoding, manager identifiers) do it.
import type { ManagedFieldsEntry } from '../object.js';
import type { TypeNode } from './schema.js';
import { FieldSet, type FieldsV1 } from './set.js';
import { compare, isSame, zeroObject } from './typed.js';

export interface Manager {
  /** The entry as stored; fieldsV1 is replaced from `set` when encoded. */
  entry: ManagedFieldsEntry;
  set: FieldSet;
  /** `set` encoded, while it is the set decoded from stored (so canonical) managedFields: an update re-encodes only the managers it changed. */
  encoded?: FieldsV1;
}

/**
 * Whether two entries are the same manager (fieldmanager BuildManagerIdentifier): manager name,
 * operation and subresource, plus apiVersion for Update (an applier keeps one entry across versions).
 */
export function sameManager(a: ManagedFieldsEntry, b: ManagedFieldsEntry): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

/**
 * Sets decoded from stored managedFields, by their frozen fieldsV1: a manager an update leaves
 * alone is decoded once, not on every write. FieldSets are never changed once built.
 */
const decodedSets = new WeakMap<object, FieldSet>();

/**
 * Decodes managedFields; an entry whose fields do not parse is dropped rather than failing the
 * write. `stored`: they are the server's own encoding, which encodeManagers may reuse.
 */
export function decodeManagers(entries: readonly ManagedFieldsEntry[] | undefined, options: { stored?: boolean } = {}): Manager[] {
  const out: Manager[] = [];
  if (!Array.isArray(entries)) return out;
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    try {
      const fieldsV1 = entry.fieldsV1;
      if (options.stored && fieldsV1 && Object.isFrozen(fieldsV1)) {
        let set = decodedSets.get(fieldsV1);
        if (!set) decodedSets.set(fieldsV1, (set = FieldSet.fromFieldsV1(fieldsV1)));
        out.push({ entry, set, encoded: fieldsV1 as FieldsV1 });
      } else {
        out.push({ entry, set: FieldSet.fromFieldsV1(fieldsV1 ?? {}) });
      }
    } catch {
      continue;
    }
  }
  return out;
}

const OPERATION_ORDER: Record<string, number> = { Apply: 0, Update: 1 };

/**
 * Encodes managers as managedFields, in the order kube-apiserver sorts them
 * (sortEncodedManagedFields): by time, then Apply before Update, then manager name.
 */
export function encodeManagers(managers: readonly Manager[]): ManagedFieldsEntry[] {
  const out = managers
    .filter((m) => !m.set.empty())
    .map((m) => {
      const { fieldsV1: _f, ...rest } = m.entry;
      void _f;
      return { ...rest, fieldsType: 'FieldsV1' as const, fieldsV1: m.encoded ?? m.set.toFieldsV1() };
    });
  return out.sort(
    (a, b) =>
      (a.time ?? '').localeCompare(b.time ?? '') ||
      (OPERATION_ORDER[a.operation ?? ''] ?? 2) - (OPERATION_ORDER[b.operation ?? ''] ?? 2) ||
      (a.manager ?? '').localeCompare(b.manager ?? ''),
  );
}

/**
 * Drops `metadata` itself from a manager's set (its fields stay): fieldmanager's stripMeta,
 * which no manager may own, e.g. the empty metadata of a configuration that sets only a name.
 */
export function stripMeta(set: FieldSet): FieldSet {
  if (!set.members.has('f:metadata')) return set;
  const out = set.union(new FieldSet());
  out.members.delete('f:metadata');
  return out;
}

export interface UpdateRequest {
  /** The part of the stored object this endpoint writes, before the write (undefined on create). */
  live: Record<string, unknown> | undefined;
  /** The same part after the write. */
  updated: Record<string, unknown>;
  type: TypeNode;
  managers: readonly Manager[];
  /** The writer's entry (operation Update), its time the time of this write. */
  entry: ManagedFieldsEntry;
}

/**
 * merge.Updater.Update: the writer takes every field it added or modified and keeps what it
 * owned that still exists; every manager loses the fields the writer changed or removed. A
 * write that changes nothing leaves the managers (and their times) as they were.
 */
export function updateManagers(req: UpdateRequest): Manager[] {
  const c = compare(req.live ?? zeroObject(req.type), req.updated, req.type);
  if (isSame(c)) return [...req.managers];
  const changed = c.added.union(c.modified);
  const out: Manager[] = [];
  let mine = new FieldSet();
  let mineEntry = req.entry;
  for (const m of req.managers) {
    if (sameManager(m.entry, req.entry)) {
      mine = m.set;
      mineEntry = { ...m.entry, time: req.entry.time };
      continue;
    }
    // A manager the write did not touch keeps its set, and so its encoding.
    if (!m.set.overlaps(changed) && !m.set.overlaps(c.removed)) out.push(m);
    else out.push({ entry: m.entry, set: m.set.difference(changed).difference(c.removed) });
  }
  out.push({ entry: mineEntry, set: stripMeta(mine.difference(c.removed).union(changed)) });
  return out.filter((m) => !m.set.empty());
}
