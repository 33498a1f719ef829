// Which objects a list visits. Without a usable index, the store's key range (one namespace
// or all). With one, only the keys it names: the smallest of the sets a label `key=value` or
// `key in (...)` requirement, or a metadata.name requirement, selects, sorted into etcd's order.
// The list's predicate still decides every candidate, so an index only has to name a superset.
import type { KubeObject } from '../object.js';
import type { LabelIndex } from './label-index.js';
import type { SelectorRequirements } from './interface.js';
import { compareKeys } from './sorted-keys.js';

export interface IndexedTable {
  readonly objects: ReadonlyMap<string, KubeObject>;
  readonly byNamespace: ReadonlyMap<string, ReadonlySet<string>>;
  readonly labels: LabelIndex;
}

/** A `metadata.namespace=ns` field requirement narrows an all-namespaces list to one namespace's range. */
export function namespaceRequirement(selector: SelectorRequirements | undefined): string | undefined {
  const r = selector?.fields?.find((f) => f.field === 'metadata.namespace' && f.operator === '=');
  return r && r.value !== '' ? r.value : undefined;
}

function keyOf(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * The candidate keys, sorted, when an index names fewer than the range holds; undefined to
 * scan the range. `overlay` holds the keys changed since a past resourceVersion the list reads
 * at: their old states may match where the current ones do not, so they are always candidates.
 */
export function indexedCandidates(
  t: IndexedTable,
  selector: SelectorRequirements | undefined,
  namespace: string | undefined,
  overlay: ReadonlyMap<string, unknown> | undefined,
): string[] | undefined {
  if (!selector) return undefined;
  const rangeSize = namespace === undefined ? t.objects.size : (t.byNamespace.get(namespace)?.size ?? 0);
  let best = rangeSize;
  let collect: ((out: string[]) => void) | undefined;
  for (const r of selector.labels ?? []) {
    if (r.operator !== '=' && r.operator !== '==' && r.operator !== 'in') continue;
    const n = t.labels.count(r.key, r.values);
    if (n < best) {
      best = n;
      collect = (out) => t.labels.collect(r.key, r.values, out);
    }
  }
  const name = selector.fields?.find((f) => f.field === 'metadata.name' && f.operator === '=')?.value;
  if (name !== undefined) {
    // A name in one namespace is one key (the registry's MatchesSingle); across namespaces, one per namespace.
    const namespaces = namespace === undefined ? [...t.byNamespace.keys()] : [namespace];
    if (namespaces.length < best) {
      best = namespaces.length;
      collect = (out) => {
        for (const ns of namespaces) {
          const k = keyOf(ns, name);
          if (t.objects.has(k)) out.push(k);
        }
      };
    }
  }
  if (!collect) return undefined;
  const keys: string[] = [];
  collect(keys);
  if (overlay) for (const k of overlay.keys()) keys.push(k);
  const prefix = namespace === undefined ? undefined : `${namespace}/`;
  const inRange = prefix === undefined ? keys : keys.filter((k) => k.startsWith(prefix));
  inRange.sort(compareKeys);
  // Overlay keys may repeat indexed ones.
  return overlay ? inRange.filter((k, i) => i === 0 || inRange[i - 1] !== k) : inRange;
}
