// RFC 6902 JSON patch (application/json-patch+json) as kube-apiserver applies it.
//
// The apiserver uses gopkg.in/evanphx/json-patch.v4 (k8s.io/apiserver pkg/endpoints/handlers/
// patch.go, jsonPatcher.applyJSPatch). Its rules differ from the RFC and from fast-json-patch in
// a few places clients rely on, so this file resolves each operation's target the way v4 does
// and then lets fast-json-patch perform the change:
//   - `replace` of a missing key in an existing object succeeds and adds the key (v4 only checks
//     that the parent exists); `replace`/`remove` of a missing array index fails;
//   - negative array indices count from the end (v4 SupportNegativeIndices);
//   - `add` at the root path "" fails, `replace` at "" swaps the whole document;
//   - a body that is not an array of objects is 400 BadRequest (jsonpatch.DecodePatch); an
//     operation that cannot be applied, an unknown `op` included, is 422 Invalid with the generic
//     NewGenericServerResponse message; more than 10000 operations is 413.
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest, requestEntityTooLarge } from '../errors.js';
import { cloneJSON, hasKey, isJSONObject, jsonKindWord, patchRejected } from './patch-errors.js';

/** patch.go maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type Container = Record<string, unknown> | unknown[];

/** A failed operation; the message is evanphx/json-patch v4's wording. */
class OperationError extends Error {}

/**
 * Applies an RFC 6902 patch (already JSON-decoded) to `doc` and returns the patched copy.
 * `doc` is never modified, so a frozen stored object can be passed as is.
 */
export function applyJSONPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodeJSONPatch(patch);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw requestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  let work: unknown = jsonpatch.deepClone(doc);
  for (const op of ops) {
    try {
      work = applyOperation(work, op);
    } catch (e) {
      if (e instanceof OperationError) throw patchRejected(e.message);
      // fast-json-patch refuses to write __proto__ / constructor.prototype
      if (e instanceof TypeError) throw patchRejected(e.message);
      throw e;
    }
  }
  return work;
}

/** What json.Unmarshal into jsonpatch.Patch ([]map[string]*json.RawMessage) accepts. */
function decodeJSONPatch(patch: unknown): Record<string, unknown>[] {
  // JSON null decodes into an empty slice: a patch with no operations.
  if (patch === null || patch === undefined) return [];
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonKindWord(patch)} into Go value of type jsonpatch.Patch`);
  }
  return patch.map((op) => {
    if (op === null) return {}; // a null element is an Operation with no fields ("unknown" kind)
    if (!isJSONObject(op)) {
      throw badRequest(`json: cannot unmarshal ${jsonKindWord(op)} into Go value of type jsonpatch.Operation`);
    }
    return op;
  });
}

function applyOperation(doc: unknown, op: Record<string, unknown>): unknown {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add':
      return opAdd(doc, op);
    case 'remove':
      return opRemove(doc, op);
    case 'replace':
      return opReplace(doc, op);
    case 'move':
      return opMove(doc, op);
    case 'copy':
      return opCopy(doc, op);
    case 'test':
      return opTest(doc, op);
    default:
      throw new OperationError(`Unexpected kind: ${kind}`);
  }
}

/** The operation's value; a missing or null `value` is JSON null, as v4's lazyNode. */
function valueOf(op: Record<string, unknown>): unknown {
  return op.value === undefined ? null : cloneJSON(op.value);
}

function stringField(op: Record<string, unknown>, field: 'path' | 'from'): string | undefined {
  return typeof op[field] === 'string' ? (op[field] as string) : undefined;
}

function run(doc: unknown, op: Operation): unknown {
  return jsonpatch.applyOperation(doc, op, false, true).newDocument;
}

function opAdd(doc: unknown, op: Record<string, unknown>): unknown {
  const path = stringField(op, 'path');
  if (path === undefined) throw new OperationError('add operation failed to decode path: missing value');
  const target = findContainer(doc, path);
  if (!target) throw new OperationError(`add operation does not apply: doc is missing path: "${path}": missing value`);
  const key = containerAddKey(target, path);
  return run(doc, { op: 'add', path: target.parentPointer + '/' + key, value: valueOf(op) });
}

function opRemove(doc: unknown, op: Record<string, unknown>): unknown {
  const path = stringField(op, 'path');
  if (path === undefined) throw new OperationError('remove operation failed to decode path: missing value');
  const target = findContainer(doc, path);
  if (!target) throw new OperationError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
  const key = containerRemoveKey(target, `error in remove for path: '${path}': `);
  return run(doc, { op: 'remove', path: target.parentPointer + '/' + key });
}

function opReplace(doc: unknown, op: Record<string, unknown>): unknown {
  const path = stringField(op, 'path');
  if (path === undefined) {
    throw new OperationError('replace operation failed to decode path: operation missing path field: missing value');
  }
  if (path === '') {
    const value = valueOf(op);
    if (typeof value !== 'object' || value === null) {
      throw new OperationError('replace operation value must be object or array');
    }
    return value;
  }
  const target = findContainer(doc, path);
  if (!target) throw new OperationError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
  // v4 only fails when get() errors: never for an object key, so a missing key is added.
  const key = containerGetKey(target);
  if (key === undefined) {
    throw new OperationError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
  }
  return run(doc, { op: 'replace', path: target.parentPointer + '/' + key, value: valueOf(op) });
}

function opMove(doc: unknown, op: Record<string, unknown>): unknown {
  const from = stringField(op, 'from');
  if (from === undefined) {
    throw new OperationError('move operation failed to decode from: operation, missing from field: missing value');
  }
  const source = findContainer(doc, from);
  if (!source) throw new OperationError(`move operation does not apply: doc is missing from path: ${from}: missing value`);
  const getKey = containerGetKey(source);
  if (getKey === undefined) throw new OperationError(`error in move for path: '${source.key}': ${indexError(source)}`);
  const removeKey = containerRemoveKey(source, `error in move for path: '${source.key}': `);
  const value = childAt(source.container, getKey);
  doc = run(doc, { op: 'remove', path: source.parentPointer + '/' + removeKey });
  const path = stringField(op, 'path');
  if (path === undefined) {
    throw new OperationError('move operation failed to decode path: operation missing path field: missing value');
  }
  const target = findContainer(doc, path);
  if (!target) {
    throw new OperationError(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
  }
  const key = containerAddKey(target, path, `error in move for path: '${path}': `);
  return run(doc, { op: 'add', path: target.parentPointer + '/' + key, value: value ?? null });
}

function opCopy(doc: unknown, op: Record<string, unknown>): unknown {
  const from = stringField(op, 'from');
  if (from === undefined) {
    throw new OperationError('copy operation failed to decode from: operation, missing from field: missing value');
  }
  const source = findContainer(doc, from);
  if (!source) throw new OperationError(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
  const getKey = containerGetKey(source);
  if (getKey === undefined) throw new OperationError(`error in copy for from: '${from}': ${indexError(source)}`);
  // v4 copies a missing source key as null rather than failing.
  const value = cloneJSON(childAt(source.container, getKey) ?? null);
  const path = stringField(op, 'path');
  if (path === undefined) throw new OperationError('copy operation failed to decode path: missing value');
  const target = findContainer(doc, path);
  if (!target) {
    throw new OperationError(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
  }
  const key = containerAddKey(target, path, 'error while adding value during copy: ');
  return run(doc, { op: 'add', path: target.parentPointer + '/' + key, value });
}

function opTest(doc: unknown, op: Record<string, unknown>): unknown {
  const path = stringField(op, 'path');
  if (path === undefined) {
    throw new OperationError('test operation failed to decode path: operation missing path field: missing value');
  }
  const expected = op.value === undefined ? null : op.value;
  if (path === '') {
    if (jsonpatch._areEquals(doc, expected)) return doc;
    throw new OperationError(`testing value ${path} failed: test failed`);
  }
  const target = findContainer(doc, path);
  if (!target) throw new OperationError(`test operation does not apply: is missing path: ${path}: missing value`);
  const key = containerGetKey(target);
  if (key === undefined) throw new OperationError(`error in test for path: '${path}': ${indexError(target)}`);
  const actual = childAt(target.container, key) ?? null;
  // v4 treats a missing member and a null member alike.
  if (jsonpatch._areEquals(actual, expected)) return doc;
  throw new OperationError(`testing value ${path} failed: test failed`);
}

interface Target {
  container: Container;
  /** The decoded last reference token. */
  key: string;
  /** The JSON pointer of the container, normalised (array indices made absolute). */
  parentPointer: string;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function decodeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/** strconv.Atoi: an optional sign and decimal digits. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number.parseInt(s, 10) : undefined;
}

function atoiError(s: string): string {
  return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
}

/** v4 partialArray.get's index rule (negative counts from the end); undefined when out of range. */
function arrayIndex(arr: unknown[], key: string): number | undefined {
  let idx = atoi(key);
  if (idx === undefined) return undefined;
  if (idx < 0) {
    if (idx < -arr.length) return undefined;
    idx += arr.length;
  }
  return idx >= arr.length ? undefined : idx;
}

function indexError(t: Target): string {
  const arr = t.container as unknown[];
  const idx = atoi(t.key);
  if (idx === undefined) return atoiError(t.key);
  const shown = idx < 0 && idx >= -arr.length ? idx + arr.length : idx;
  return `Unable to access invalid index: ${shown}: invalid index referenced`;
}

function childAt(container: Container, key: string): unknown {
  if (Array.isArray(container)) return container[Number(key)];
  return hasKey(container, key) ? container[key] : undefined;
}

/** findObject in v4: walks every token but the last; a missing, null or scalar step fails. */
function findContainer(root: unknown, path: string): Target | undefined {
  const split = path.split('/');
  if (split.length < 2 || !isContainer(root)) return undefined;
  let doc: Container = root;
  let pointer = '';
  for (const part of split.slice(1, -1)) {
    const token = decodeToken(part);
    let next: unknown;
    if (Array.isArray(doc)) {
      const idx = arrayIndex(doc, token);
      if (idx === undefined) return undefined;
      next = doc[idx];
      pointer += '/' + idx;
    } else {
      next = hasKey(doc, token) ? doc[token] : undefined;
      pointer += '/' + escapeToken(token);
    }
    if (!isContainer(next)) return undefined;
    doc = next;
  }
  return { container: doc, key: decodeToken(split[split.length - 1] ?? ''), parentPointer: pointer };
}

/** The escaped last token for a get/replace, or undefined when v4's get() would fail. */
function containerGetKey(t: Target): string | undefined {
  if (!Array.isArray(t.container)) return escapeToken(t.key);
  const idx = arrayIndex(t.container, t.key);
  return idx === undefined ? undefined : String(idx);
}

function containerRemoveKey(t: Target, prefix: string): string {
  if (!Array.isArray(t.container)) {
    if (!hasKey(t.container, t.key)) {
      throw new OperationError(`${prefix}Unable to remove nonexistent key: ${t.key}: missing value`);
    }
    return escapeToken(t.key);
  }
  const idx = arrayIndex(t.container, t.key);
  if (idx === undefined) throw new OperationError(prefix + indexError(t));
  return String(idx);
}

/** v4 partialArray.add: "-" appends, an index may equal the length, negative counts from the end. */
function containerAddKey(t: Target, path: string, prefix = `error in add for path: '${path}': `): string {
  if (!Array.isArray(t.container)) return escapeToken(t.key);
  if (t.key === '-') return '-';
  let idx = atoi(t.key);
  if (idx === undefined) {
    throw new OperationError(`${prefix}value was not a proper array index: '${t.key}': ${atoiError(t.key)}`);
  }
  const size = t.container.length + 1;
  if (idx >= size || idx < -size) {
    throw new OperationError(`${prefix}Unable to access invalid index: ${idx}: invalid index referenced`);
  }
  if (idx < 0) idx += size;
  return String(idx);
}
