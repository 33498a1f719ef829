// Lists in a strategic merge patch (k8s.io/apimachinery pkg/util/strategicpatch patch.go,
// mergeSliceHandler / mergeSlice and the order normalisation of the
// preserve-order-in-strategic-merge-patch design): lists with the merge strategy are merged by
// merge key (lists of maps) or by value (lists of primitives); any other list is replaced.
// The resulting order is kube's: items named by the patch follow the patch's order, the other
// live items keep theirs, and the two are interleaved by the live order.
import { goFormat, hasKey, isJSONObject } from './patch-errors.js';
import {
  DIRECTIVE_MARKER,
  asDecoded,
  badArgType,
  noListOfLists,
  noMergeKey,
  plainError,
  unknownPatchType,
  jsonType,
  type JSONMap,
} from './strategic-merge-values.js';

export type ElementKind = 'map' | 'scalar';

/** Merges one list item (a map) with its patch; strategic-merge.ts passes its mergeMap. */
export type MergeItem = (original: JSONMap, patch: JSONMap) => JSONMap;

export interface ListContext {
  /** The field name, for error messages. */
  field: string;
  mergeKey: string;
  mergeItem: MergeItem;
}

/** mergeSliceHandler: merge when the strategy says so (or for a $deleteFromPrimitiveList list), else replace. */
export function mergeListField(
  original: unknown[],
  patch: unknown[],
  strategy: string,
  isDeleteList: boolean,
  ctx: ListContext,
): unknown[] {
  if (strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, isDeleteList, ctx);
  return asDecoded(patch);
}

/**
 * sliceElementType: every element of every list must have the same JSON type; a list as first
 * element is "lists of lists are not supported" (422).
 */
export function sliceElementKind(lists: unknown[][]): ElementKind {
  let first: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const t = jsonType(item);
      if (first === undefined) {
        if (t === 'list') throw noListOfLists();
        first = t;
      } else if (t !== first) {
        throw plainError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (first === undefined) throw plainError('no elements in any of the given slices');
  return first === 'map' ? 'map' : 'scalar';
}

function mergeSlice(original: unknown[], patch: unknown[], isDeleteList: boolean, ctx: ListContext): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind([original, patch]);
  let merged: unknown[];
  const appended = new Set<unknown>();
  if (kind === 'scalar') {
    // $deleteFromPrimitiveList/<field>: drop every listed value, order untouched.
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = dedupe([...original, ...patch]);
  } else {
    if (!ctx.mergeKey) throw plainError(`cannot merge lists without merge key for ${ctx.field}`);
    [original, patch] = applySpecialElements(original, patch as JSONMap[], ctx.mergeKey);
    merged = mergeByKey(original, patch as JSONMap[], ctx, appended);
  }
  const [patchItems, serverOnly] = ctx.mergeKey
    ? partitionMaps(merged, patch, ctx.mergeKey)
    : partitionPrimitives(merged, patch);
  const ordered = normalizeElementOrder(patchItems, serverOnly, patch, original, ctx.mergeKey, kind);
  // New items were appended raw, as kube does; clean them the way its typed decode would.
  return appended.size ? ordered.map((item) => (appended.has(item) ? asDecoded(item) : item)) : ordered;
}

function dedupe(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of items) if (!out.includes(item)) out.push(item);
  return out;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const drop = new Set(toDelete);
  return current.filter((v) => !drop.has(v));
}

/**
 * mergeSliceWithSpecialElements: `{$patch: delete, <key>: v}` removes every live item with that
 * merge key; `{$patch: replace}` makes the list exactly the patch's other items; `$patch: merge`
 * and unknown directives are errors. Returns the new original and the patch without directives.
 */
function applySpecialElements(original: unknown[], patch: JSONMap[], mergeKey: string): [unknown[], unknown[]] {
  const rest: JSONMap[] = [];
  let replace = false;
  for (const item of patch) {
    if (!hasKey(item, DIRECTIVE_MARKER)) {
      rest.push(item);
      continue;
    }
    const directive = item[DIRECTIVE_MARKER];
    if (directive === 'delete') {
      if (!hasKey(item, mergeKey)) throw noMergeKey(item, mergeKey);
      const value = item[mergeKey];
      original = original.filter((o) => !(isJSONObject(o) && hasKey(o, mergeKey) && o[mergeKey] === value));
    } else if (directive === 'replace') {
      replace = true; // keep scanning so the other $patch items are dropped too
    } else if (directive === 'merge') {
      throw plainError('merging lists cannot yet be specified in the patch');
    } else {
      throw unknownPatchType(directive, item);
    }
  }
  if (replace) return [asDecoded(rest), []];
  return [original, rest];
}

/** mergeSliceWithoutSpecialElements: merge items sharing a merge key value, append the others. */
function mergeByKey(original: unknown[], patch: JSONMap[], ctx: ListContext, appended: Set<unknown>): unknown[] {
  const out = [...original];
  for (const item of patch) {
    if (!hasKey(item, ctx.mergeKey)) throw noMergeKey(item, ctx.mergeKey);
    const value = item[ctx.mergeKey];
    const idx = out.findIndex((o, i) => {
      if (!isJSONObject(o)) throw plainError(`value for key ${i} is not a map`);
      return hasKey(o, ctx.mergeKey) && o[ctx.mergeKey] === value;
    });
    if (idx >= 0) {
      out[idx] = ctx.mergeItem(out[idx] as JSONMap, item);
    } else {
      out.push(item);
      appended.add(item);
    }
  }
  return out;
}

/** partitionPrimitivesByPresentInList: [items present in `by`, the others]. */
export function partitionPrimitives(items: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const present = new Set(by);
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of items) (present.has(v) ? inPatch : serverOnly).push(v);
  return [inPatch, serverOnly];
}

/** partitionMapsByPresentInList: as above, matching maps by merge key value. */
export function partitionMaps(items: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of items) {
    if (!isJSONObject(v)) throw badArgType('map[string]interface {}', v);
    if (!hasKey(v, mergeKey)) throw noMergeKey(v, mergeKey);
    const found = by.some((b, i) => {
      if (!isJSONObject(b)) throw plainError(`value for key ${i} is not a map`);
      return hasKey(b, mergeKey) && b[mergeKey] === v[mergeKey];
    });
    (found ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/**
 * normalizeElementOrder: sort the patch items by the patch (or $setElementOrder) order, the
 * server-only items by the live order, then interleave them by the live order.
 */
export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const sortedPatch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

/** index(): position of an item in a list, comparing merge key values for maps. */
function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  if (kind !== 'map') return list.indexOf(item);
  const key = (v: unknown) => (isJSONObject(v) && hasKey(v, mergeKey) ? v[mergeKey] : null);
  const wanted = key(item);
  return list.findIndex((v) => key(v) === wanted);
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJSONObject(item)) throw badArgType('map[string]interface {}', item);
      if (!hasKey(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
  }
}

/**
 * normalizeSliceOrder: a stable sort by position in `order`, with kube's comparator (an item
 * missing from `order` compares as "less"), run as the insertion sort Go's sort.SliceStable uses;
 * items carrying `$patch: delete` go last.
 */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let items = [...toSort];
  const toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, items, order);
    const keep: unknown[] = [];
    for (const item of items) ((item as JSONMap)[DIRECTIVE_MARKER] === 'delete' ? toDelete : keep).push(item);
    items = keep;
  }
  const less = (a: unknown, b: unknown): boolean => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j], items[j - 1]); j--) {
      const t = items[j];
      items[j] = items[j - 1];
      items[j - 1] = t;
    }
  }
  return [...items, ...toDelete];
}

/**
 * mergeSortedSlice: insert each server-only item (left) into the patch items (right) before the
 * first patch item that comes after it in the live list; items the live list does not know stay
 * where the patch put them.
 */
function mergeSortedSlice(
  left: unknown[],
  right: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
