// managedFields for Update operations (create, update, every patch but apply): which manager
// last set which fields, as FieldsV1 sets computed by the resource's schema (keyed list items,
// set-list values, atomic lists and maps as leaves). The field sets and the ownership rules
// live in ../fieldmanager; this file decides what part of an object a write covers.
import { decodeManagers, encodeManagers, updateManagers, type Manager } from '../fieldmanager/managers.js';
import type { TypeNode } from '../fieldmanager/schema.js';
import type { KubeObject, ManagedFieldsEntry } from '../object.js';

/** Fields the server owns; never recorded for a manager (fieldmanager's stripMeta set). */
const IGNORED_METADATA = new Set(['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'name', 'namespace', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']);

/**
 * The part of the object a write through this endpoint can set: status for the status
 * subresource, everything else for the main resource (kube's per-strategy reset fields).
 */
export function objectFields(obj: KubeObject, subresource: string): Record<string, unknown> {
  const { metadata, status, apiVersion: _a, kind: _k, ...rest } = obj;
  void _a;
  void _k;
  if (subresource === 'status') return status === undefined ? {} : { status };
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) if (!IGNORED_METADATA.has(k)) meta[k] = v;
  return { metadata: meta, ...rest };
}

export interface ManagerInfo {
  manager: string;
  apiVersion: string;
  time: string;
  subresource: string;
  /** The schema of the kind, from ../fieldmanager/resource-schema.ts. */
  type: TypeNode;
}

/**
 * The managers an Update starts from (fieldmanager decodeLiveOrNew): the ones the client sent,
 * so clients may rewrite managedFields (kubectl does when it migrates client-side apply to
 * server-side); `[{}]` resets them; none sent, or a subresource write, keeps the stored ones.
 */
function baseManagers(obj: KubeObject, old: KubeObject | undefined, subresource: string): Manager[] {
  const stored = decodeManagers(old?.metadata.managedFields, { stored: true });
  if (subresource) return stored;
  const sent = obj.metadata.managedFields;
  // The stored list carried over (the client sent none): decoded once, with its encodings.
  if (sent === old?.metadata.managedFields) return stored;
  if (Array.isArray(sent) && sent.length === 1 && Object.keys(sent[0] ?? {}).length === 0) return [];
  const decoded = decodeManagers(sent);
  return decoded.length ? decoded : stored;
}

/** The managedFields after an Update by `info.manager` (every field on create). */
export function updateManagedFields(obj: KubeObject, old: KubeObject | undefined, info: ManagerInfo): ManagedFieldsEntry[] {
  const entry: ManagedFieldsEntry = { manager: info.manager, operation: 'Update', apiVersion: info.apiVersion, time: info.time, fieldsType: 'FieldsV1' };
  if (info.subresource) entry.subresource = info.subresource;
  const managers = updateManagers({
    live: old ? objectFields(old, info.subresource) : undefined,
    updated: objectFields(obj, info.subresource),
    type: info.type,
    managers: baseManagers(obj, old, info.subresource),
    entry,
  });
  return encodeManagers(managers);
}
