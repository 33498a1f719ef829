// RFC 7386 JSON merge patch (application/merge-patch+json) as kube-apiserver applies it: with
// gopkg.in/evanphx/json-patch.v4 MergePatch (k8s.io/apiserver pkg/endpoints/handlers/patch.go,
// jsonPatcher.applyJSPatch). Objects merge recursively, null deletes, anything else replaces.
// v4 details mirrored here:
//   - a value written where there was nothing (or null, or a non-object) has its null members
//     pruned recursively, through arrays too; null array elements themselves are kept;
//   - a JSON null or scalar patch is 400 "Invalid JSON Patch" (ErrBadJSONPatch);
//   - an array patch replaces the whole document (the handler then fails to decode it).
import { badRequest } from '../errors.js';
import { cloneJSON, hasKey, isJSONObject, setKey } from './patch-errors.js';

/** ErrBadJSONPatch's text; patch.go answers it with 400 BadRequest. */
export const BAD_MERGE_PATCH_MESSAGE = 'Invalid JSON Patch';

/**
 * Applies a JSON merge patch (already JSON-decoded) to `doc` and returns the merged copy.
 * Neither argument is modified, so frozen stored objects can be passed as is.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return pruneNulls(cloneJSON(patch));
  if (!isJSONObject(patch)) throw badRequest(BAD_MERGE_PATCH_MESSAGE);
  const p = cloneJSON(patch);
  if (!isJSONObject(doc)) return pruneNulls(p);
  const result = cloneJSON(doc);
  mergeDocs(result, p);
  return result;
}

function mergeDocs(doc: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete doc[key];
      continue;
    }
    const current = hasKey(doc, key) ? doc[key] : null;
    if (current === null) {
      setKey(doc, key, pruneNulls(value));
    } else if (isJSONObject(current) && isJSONObject(value)) {
      mergeDocs(current, value);
    } else if (isJSONObject(current)) {
      // An object replaced by a non-object: v4 takes the patch value as is.
      setKey(doc, key, value);
    } else {
      setKey(doc, key, pruneNulls(value));
    }
  }
}

/** v4 pruneNulls: drops null members of objects, recursing into objects and arrays. */
function pruneNulls<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null) pruneNulls(item);
  } else if (isJSONObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else pruneNulls(v);
    }
  }
  return value;
}
