// The Status errors the PATCH handler answers with when a patch cannot be applied, worded the
// way kube-apiserver words them (k8s.io/apiserver pkg/endpoints/handlers/patch.go), plus the
// Go value formatting (fmt %v) that the Go libraries put into their messages.
import { StatusError, badRequest, type Status } from '../errors.js';

/** The Status message NewGenericServerResponse uses for 422 (apimachinery pkg/api/errors). */
export const PATCH_REJECTED_MESSAGE = 'the server rejected our request due to an error in our request';

/**
 * 422 Invalid, as patch.go builds it with errors.NewGenericServerResponse(422, ...) when a JSON
 * patch operation fails or a strategic merge patch has lists of lists. The real server drops the
 * library's explanation (details is `{}`); kubesim keeps it as a cause on field "patch" so the
 * learner sees why, while message, reason and code stay what a real cluster returns.
 */
export function patchRejected(detail: string): StatusError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: PATCH_REJECTED_MESSAGE,
    reason: 'Invalid',
    details: { causes: [{ field: 'patch', message: detail }] },
    code: 422,
  };
  return new StatusError(status);
}

/**
 * A plain Go error that patch.go does not translate reaches responsewriters.ErrorToAPIStatus,
 * which answers 500 with an empty (Unknown) reason and the error text as message: that is what
 * kubectl shows as `Error from server: map: map[...] does not contain declared merge key: name`.
 */
export function unconvertedPatchError(message: string): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 };
  return new StatusError(status);
}

/** 400 BadRequest with the message as is (errors.NewBadRequest). */
export function patchBadRequest(message: string): StatusError {
  return badRequest(message);
}

/** fmt's %v of a value decoded by encoding/json (maps print with sorted keys). */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(o[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** reflect.TypeOf(v).String() for a JSON value as the apiserver decodes it (ints stay int64). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'object':
      return 'map[string]interface {}';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int64' : 'float64';
    default:
      return typeof v;
  }
}

/** The JSON kind word encoding/json uses in "cannot unmarshal X into Go value of type T". */
export function jsonKindWord(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'object':
      return 'object';
    case 'boolean':
      return 'bool';
    default:
      return typeof v;
  }
}

/** A deep copy of plain JSON data; the input may be frozen (immer) and is never touched. */
export function cloneJSON<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneJSON) as T;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) setKey(out, k, cloneJSON(val));
  return out as T;
}

/** obj[key] = value, also for a JSON key "__proto__" (which plain assignment would turn into a prototype change). */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function hasKey(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function isJSONObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
