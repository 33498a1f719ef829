// Shared pieces of the strategic merge patch: the directive names, how patch values are cleaned
// before they land in the object, and the Go-worded errors of k8s.io/apimachinery
// pkg/util/mergepatch/errors.go with the HTTP codes patch.go gives them
// (interpretStrategicMergePatchError: format errors 400, lists of lists 422, anything else is a
// plain error and becomes 500).
import type { StatusError } from '../errors.js';
import { goFormat, goTypeName, isJSONObject, patchBadRequest, patchRejected, setKey, unconvertedPatchError } from './patch-errors.js';

export const DIRECTIVE_MARKER = '$patch';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';

export type JSONMap = Record<string, unknown>;

// mergepatch sentinel errors that patch.go answers with 400 BadRequest.
export const ERR_BAD_PATCH_FORMAT_PRIMITIVE_LIST = 'invalid patch format of primitive list';
export const ERR_BAD_PATCH_FORMAT_RETAIN_KEYS = 'invalid patch format of retainKeys';
export const ERR_BAD_PATCH_FORMAT_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';

export function formatError(message: string): StatusError {
  return patchBadRequest(message);
}

/** mergepatch.ErrNoListOfLists: patch.go answers 422. */
export function noListOfLists(): StatusError {
  return patchRejected('lists of lists are not supported');
}

/** A plain Go error from the algorithm (500, no reason). */
export function plainError(message: string): StatusError {
  return unconvertedPatchError(message);
}

export function noMergeKey(m: JSONMap, key: string): StatusError {
  return plainError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

export function badArgType(expected: string, actual: unknown): StatusError {
  return plainError(`expected a ${expected}, but received a ${goTypeName(actual)}`);
}

/** fmt's %s of a decoded JSON value (non-strings print as %!s(type=value)). */
function goString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'object') return goFormat(v);
  return `%!s(${goTypeName(v)}=${String(v)})`;
}

export function unknownPatchType(directive: unknown, m: JSONMap): StatusError {
  return plainError(`unknown patch type: ${goString(directive)} in map: ${goFormat(m)}`);
}

/** The kind of a JSON value, as reflect.TypeOf distinguishes them for "types differ" checks. */
export function jsonType(v: unknown): 'map' | 'list' | 'string' | 'number' | 'boolean' | 'null' {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  return typeof v as 'string' | 'number' | 'boolean';
}

/** True for the keys the SMP algorithm treats as directives rather than fields. */
export function isDirectiveKey(key: string): boolean {
  return (
    key === DIRECTIVE_MARKER ||
    key === RETAIN_KEYS_DIRECTIVE ||
    key.startsWith(SET_ELEMENT_ORDER_PREFIX + '/') ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX + '/')
  );
}

/**
 * What decoding a raw patch value into the typed object leaves of it: directive keys are
 * unknown fields and dropped, null members become zero values and are omitted. kube-apiserver
 * copies some patch values into the object unprocessed (new list items, replaced lists and maps)
 * and relies on that decode; kubesim stores JSON, so it cleans the value here instead.
 */
export function asDecoded<T>(value: T): T {
  if (Array.isArray(value)) return value.map(asDecoded) as T;
  if (!isJSONObject(value)) return value;
  const out: JSONMap = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || isDirectiveKey(k)) continue;
    setKey(out, k, asDecoded(v));
  }
  return out as T;
}

/**
 * strategicpatch removeDirectives (after discardNullValuesFromPatch), used when a patch value is
 * written where the original had nothing or a different type: a map that carries `$patch` is
 * dropped entirely (keep = false), in lists such items are left out.
 */
export function removeDirectives(value: unknown): { value: unknown; keep: boolean } {
  if (isJSONObject(value)) {
    if (Object.prototype.hasOwnProperty.call(value, DIRECTIVE_MARKER)) return { value: undefined, keep: false };
    const out: JSONMap = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null) continue; // discardNullValuesFromPatch
      const r = removeDirectives(v);
      if (r.keep && !isDirectiveKey(k)) setKey(out, k, r.value);
    }
    return { value: out, keep: true };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const r = removeDirectives(item);
      if (r.keep) out.push(r.value);
    }
    return { value: out, keep: true };
  }
  return { value, keep: true };
}

/**
 * extractRetainKeysPatchStrategy: the strategy other than retainKeys ("" when none), from a
 * comma-separated x-kubernetes-patch-strategy.
 */
export function patchStrategyOf(strategy: string | undefined): string {
  const parts = strategy ? strategy.split(',') : [];
  if (parts.length === 0) return '';
  if (parts.length === 1) return parts[0] === 'retainKeys' ? '' : (parts[0] ?? '');
  if (parts.length === 2) {
    if (parts[0] === 'retainKeys') return parts[1] ?? '';
    if (parts[1] === 'retainKeys') return parts[0] ?? '';
  }
  throw plainError(`unexpected patch strategy: [${parts.join(' ')}]`);
}

/** The field name after a directive prefix: `$setElementOrder/containers` -> `containers`. */
export function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX) throw formatError(ERR_BAD_PATCH_FORMAT_PRIMITIVE_LIST);
    throw formatError(ERR_BAD_PATCH_FORMAT_SET_ELEMENT_ORDER);
  }
  return key.slice(slash + 1);
}
