// Server-side apply on field sets: structured-merge-diff's merge.Updater.Apply. The applied
// configuration is merged into the live object; fields the applier applied last time and no
// longer applies are removed unless another manager owns them; fields the merge changes that
// another manager owns are conflicts (409) unless the apply is forced, which takes them over.
import type { ManagedFieldsEntry } from '../object.js';
import { pathToString } from './fieldpath.js';
import { sameManager, stripMeta, type Manager } from './managers.js';
import { mergeApplied, removeFields } from './merge.js';
import type { TypeNode } from './schema.js';
import { FieldSet } from './set.js';
import { compare, toFieldSet } from './typed.js';

export interface Conflict {
  /** The other manager's entry (time left out, as the manager identifier leaves it out). */
  manager: ManagedFieldsEntry;
  /** The conflicting path, FieldsV1 elements. */
  path: string[];
}

export class ApplyConflictError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(conflictMessage(conflicts));
    this.name = 'ApplyConflictError';
  }
}

/** How kube-apiserver names a manager in a conflict (fieldmanager printManager). */
export function describeManager(m: ManagedFieldsEntry): string {
  let s = JSON.stringify(m.manager ?? '');
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion ?? ''}`;
  return s;
}

/** The message of the 409 (fieldmanager getConflictMessage). */
export function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    return `Apply failed with 1 conflict: conflict with ${describeManager(conflicts[0]!.manager)}: ${pathToString(conflicts[0]!.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const name = describeManager(c.manager);
    byManager.set(name, [...(byManager.get(name) ?? []), pathToString(c.path)]);
  }
  const lines: string[] = [];
  for (const name of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${name}:`);
    for (const p of byManager.get(name)!) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export interface ApplyRequest {
  /** The part of the live object the endpoint writes (undefined when apply creates). */
  live: Record<string, unknown> | undefined;
  /** The same part of the applied configuration. */
  applied: Record<string, unknown>;
  type: TypeNode;
  managers: readonly Manager[];
  /** The applier's entry (operation Apply), its time the time of this apply. */
  entry: ManagedFieldsEntry;
  force: boolean;
}

export interface ApplyResult {
  object: Record<string, unknown>;
  managers: Manager[];
}

export function applyManagers(req: ApplyRequest): ApplyResult {
  // Apply that creates starts from nothing; there are no other managers to conflict with.
  const live = req.live ?? {};
  const appliedSet = stripMeta(toFieldSet(req.applied, req.type));
  const previous = req.managers.find((m) => sameManager(m.entry, req.entry));
  const others = req.managers.filter((m) => m !== previous);
  let merged = mergeApplied(live, req.applied, req.type) as Record<string, unknown>;
  // Prune: what this applier owned and stopped applying goes, unless someone else owns it too.
  if (previous) {
    const ownedByOthers = others.reduce((acc, m) => acc.union(m.set), new FieldSet());
    const toRemove = previous.set.difference(appliedSet).difference(ownedByOthers);
    merged = removeFields(merged, toRemove, req.type) as Record<string, unknown>;
  }
  const c = compare(live, merged, req.type);
  const changed = c.added.union(c.modified);
  const conflicts: Conflict[] = [];
  const kept: Manager[] = [];
  for (const m of others) {
    const taken = m.set.intersection(changed);
    const { time: _t, fieldsV1: _f, fieldsType: _ft, ...identity } = m.entry;
    void _t;
    void _f;
    void _ft;
    for (const path of taken.leaves().paths()) conflicts.push({ manager: identity, path });
    kept.push({ entry: m.entry, set: m.set.difference(taken).difference(c.removed) });
  }
  if (conflicts.length && !req.force) throw new ApplyConflictError(conflicts);
  const unchanged = c.added.empty() && c.modified.empty() && c.removed.empty() && previous?.set.equals(appliedSet);
  const mine: Manager = { entry: unchanged && previous ? previous.entry : req.entry, set: appliedSet };
  return { object: merged, managers: [...kept, mine].filter((m) => !m.set.empty()) };
}
