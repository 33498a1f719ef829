// Go's `omitempty`: kube-apiserver decodes a body into the Go type, so an empty (or null) map
// or list in a field tagged omitempty is gone from the stored object. Keeping `labels: {}`
// would make a write that only adds an empty map a change (a new resourceVersion, a MODIFIED
// event, a managedFields entry) where kube sees a no-op.
import { isPlainObject } from '../object.js';

const isEmpty = (v: unknown): boolean =>
  v === null || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);

/** Deletes the named fields of `obj` that hold an empty map, an empty list or null. */
export function omitEmpty(obj: Record<string, unknown> | undefined, fields: readonly string[]): void {
  if (!obj) return;
  for (const f of fields) if (f in obj && isEmpty(obj[f])) delete obj[f];
}

/** metav1.ObjectMeta's omitempty collections. */
export const OBJECT_META_COLLECTIONS = ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const;
