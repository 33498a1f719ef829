// Strategic merge patch (application/strategic-merge-patch+json) as kube-apiserver applies it:
// k8s.io/apimachinery pkg/util/strategicpatch StrategicMergeMapPatch with the server's options
// (MergeParallelList and IgnoreUnmatchedNulls on), called from k8s.io/apiserver
// pkg/endpoints/handlers/patch.go (smpPatcher). Field metadata comes from a PatchMeta
// (patch-meta.ts) instead of Go struct tags.
//
// Maps merge key by key and `null` deletes a key. Lists follow the field's patch strategy (see
// strategic-merge-list.ts). Directives:
//   $patch: replace | delete          on a map (merge on a map is an error, as in kube);
//   {$patch: delete | replace, ...}   as an item of a merged list of maps;
//   $retainKeys: [...]                clear the map's keys not listed;
//   $setElementOrder/<list>: [...]    final order of a merged list;
//   $deleteFromPrimitiveList/<list>   values to remove from a list of primitives.
import type { StatusError } from '../errors.js';
import { badRequest } from '../errors.js';
import { cloneJSON, goFormat, goTypeName, hasKey, isJSONObject, jsonKindWord, setKey } from './patch-errors.js';
import { NO_PATCH_META, type PatchFieldMeta, type PatchMeta } from './patch-meta.js';
import {
  mergeListField,
  normalizeElementOrder,
  partitionMaps,
  partitionPrimitives,
  sliceElementKind,
  type ListContext,
} from './strategic-merge-list.js';
import {
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE_MARKER,
  ERR_BAD_PATCH_FORMAT_RETAIN_KEYS,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  asDecoded,
  extractKey,
  formatError,
  jsonType,
  noMergeKey,
  patchStrategyOf,
  plainError,
  removeDirectives,
  unknownPatchType,
  type JSONMap,
} from './strategic-merge-values.js';

/**
 * Applies a strategic merge patch (already JSON-decoded) to `doc` and returns the merged copy.
 * Neither argument is modified, so frozen stored objects can be passed as is. Errors are the
 * Status errors kube-apiserver answers with: malformed directives 400, lists of lists 422, other
 * algorithm errors (missing merge key, unknown $patch value, ...) 500 with the Go message.
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, meta: PatchMeta): unknown {
  // JSON null decodes into a nil map: nothing to merge.
  if (patch === null || patch === undefined) return cloneJSON(doc);
  if (!isJSONObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonKindWord(patch)} into Go value of type map[string]interface {}`);
  }
  const original = isJSONObject(doc) ? cloneJSON(doc) : {};
  return mergeMap(original, cloneJSON(patch), meta);
}

function fieldMeta(meta: PatchMeta, name: string): PatchFieldMeta {
  return meta.field(name) ?? { sub: NO_PATCH_META };
}

/** mergeMap. Both arguments are private copies and are modified in place. */
function mergeMap(original: JSONMap, patch: JSONMap, meta: PatchMeta): JSONMap {
  if (hasKey(patch, DIRECTIVE_MARKER)) return directiveInMap(patch[DIRECTIVE_MARKER], patch);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, meta);

  for (const patchKey of Object.keys(patch)) {
    const patchValue = patch[patchKey];
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      key = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
      isDeleteList = true;
    }
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const current = hasKey(original, key) ? original[key] : undefined;
    if (current === undefined || jsonType(current) !== jsonType(patchValue)) {
      // Nothing to merge with: take the patch value (a deletion list has nothing to delete).
      if (!isDeleteList) writeNew(original, key, patchValue);
      continue;
    }
    if (isJSONObject(current)) {
      const fm = fieldMeta(meta, key);
      const strategy = patchStrategyOf(fm.strategy);
      setKey(original, key, strategy === 'replace' ? asDecoded(patchValue) : mergeMap(current, patchValue as JSONMap, fm.sub));
    } else if (Array.isArray(current)) {
      const fm = fieldMeta(meta, key);
      setKey(original, key, mergeListField(current, patchValue as unknown[], patchStrategyOf(fm.strategy), isDeleteList, listContext(key, fm)));
    } else {
      setKey(original, key, patchValue);
    }
  }
  return original;
}

function listContext(field: string, fm: PatchFieldMeta): ListContext {
  return { field, mergeKey: fm.mergeKey ?? '', mergeItem: (o, p) => mergeMap(o, p, fm.sub) };
}

/** A patch value with no counterpart in the original: nulls and $patch'ed maps are dropped. */
function writeNew(original: JSONMap, key: string, value: unknown): void {
  const r = removeDirectives(value);
  if (r.keep) setKey(original, key, r.value);
  else delete original[key];
}

/** handleDirectiveInMergeMap: only replace and delete are valid on a map. */
function directiveInMap(directive: unknown, patch: JSONMap): JSONMap {
  if (directive === 'replace') {
    delete patch[DIRECTIVE_MARKER];
    return asDecoded(patch);
  }
  if (directive === 'delete') return {};
  throw unknownPatchType(directive, patch);
}

/**
 * applyRetainKeysDirective: every non-null field of the patch must be listed (else 400), and
 * the original loses every key not listed.
 */
function applyRetainKeys(original: JSONMap, patch: JSONMap): void {
  if (!hasKey(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const list = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(list)) throw formatError(ERR_BAD_PATCH_FORMAT_RETAIN_KEYS);
  const retained = new Set<unknown>(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || k.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!retained.has(k)) throw formatError(ERR_BAD_PATCH_FORMAT_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
}

/**
 * mergePatchIntoOriginal: each `$setElementOrder/<field>` is merged together with the patch's
 * `<field>` list and fixes the resulting order ($setElementOrder > patch order > live order).
 * Both keys are removed from the patch so the main loop does not see them again.
 */
function mergeOrderedLists(original: JSONMap, patch: JSONMap, meta: PatchMeta): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw plainError(`expected a []interface {}, but received a ${goTypeName(order)}`);
    const key = extractKey(directiveKey, SET_ELEMENT_ORDER_PREFIX);
    const originalList = listAt(original, key);
    const patchList = listAt(patch, key);
    const fm = fieldMeta(meta, key);
    const strategy = patchStrategyOf(fm.strategy);
    const mergeKey = fm.mergeKey ?? '';
    if (patchList) validatePatchWithSetOrderList(patchList, order, mergeKey);

    let merged: unknown[];
    if (originalList && !patchList) merged = originalList;
    else if (!originalList && patchList) merged = asDecoded(removeDirectives(patchList).value as unknown[]);
    else if (originalList && patchList) {
      merged = mergeListField(originalList, patchList, strategy, false, listContext(key, fm));
    } else continue;
    delete patch[key];

    const lists = [originalList ?? [], patchList ?? []];
    if (lists.every((l) => l.length === 0)) {
      // kube fails here ("no elements in any of the given slices"); empty lists are
      // omitted from its typed objects, so it never meets one. Nothing to order.
      setKey(original, key, merged);
      continue;
    }
    const kind = sliceElementKind(lists);
    const [inOrder, serverOnly] = mergeKey ? partitionMaps(merged, order, mergeKey) : partitionPrimitives(merged, order);
    setKey(original, key, normalizeElementOrder(inOrder, serverOnly, order, originalList ?? [], mergeKey, kind));
  }
}

function listAt(m: JSONMap, key: string): unknown[] | undefined {
  if (!hasKey(m, key)) return undefined;
  const v = m[key];
  if (!Array.isArray(v)) throw plainError(`expected a []interface {}, but received a ${goTypeName(v)}`);
  return v;
}

/**
 * validatePatchWithSetOrderList: the patch list (without $patch items) must appear in the
 * $setElementOrder list in the same relative order.
 */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey) {
    items = patchList.filter((item) => {
      if (!isJSONObject(item)) throw mapExpected(item);
      return item[DIRECTIVE_MARKER] !== 'delete';
    });
  }
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isJSONObject(item) && hasKey(item, DIRECTIVE_MARKER)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw plainError(
      `the order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goFormat(order)}`,
    );
  }
}

function mapExpected(v: unknown): StatusError {
  return plainError(`expected a map[string]interface {}, but received a ${goTypeName(v)}`);
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isJSONObject(left)) throw mapExpected(left);
  if (!isJSONObject(right)) throw mapExpected(right);
  if (!hasKey(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!hasKey(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

