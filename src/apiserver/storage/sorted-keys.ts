// A resource's keys in etcd's order, for lists and paging. Rebuilding the whole sorted array
// after every create or delete made the first list after a write cost O(n log n) (100 ms at
// 100,000 objects); instead the keys created and deleted since the last list are kept aside
// and merged in on the next one: O(n + m log m) for m changes.

/** etcd orders keys bytewise; plain string comparison of "ns/name" keys gives the same order for ASCII names. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first index whose key is >= k. */
export function lowerBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose key is > k. */
export function upperBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest string above every key that starts with `${namespace}/` ('0' follows '/'). */
export function namespaceRangeEnd(namespace: string): string {
  return `${namespace}0`;
}

/** Merges two sorted key arrays into one, without duplicates. */
export function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const k = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (out.length === 0 || out[out.length - 1] !== k) out.push(k);
  }
  return out;
}

export class SortedKeys {
  private sorted: string[] | undefined;
  /** Keys created since `sorted` was built (some may be deleted again). */
  private added: string[] = [];
  /** Keys deleted since `sorted` was built (some may be created again). */
  private readonly removed = new Set<string>();

  constructor(private readonly exists: (key: string) => boolean, private readonly all: () => Iterable<string>) {}

  created(key: string): void {
    if (this.sorted) this.added.push(key);
  }

  deleted(key: string): void {
    if (this.sorted) this.removed.add(key);
  }

  get(): string[] {
    if (!this.sorted || this.added.length + this.removed.size > this.sorted.length) {
      this.sorted = [...this.all()].sort(compareKeys);
    } else if (this.added.length || this.removed.size) {
      const removed = this.removed;
      const kept = removed.size ? this.sorted.filter((k) => !removed.has(k)) : this.sorted;
      const added = this.added.filter(this.exists).sort(compareKeys);
      this.sorted = added.length ? mergeSorted(kept, added) : kept;
    }
    this.added = [];
    this.removed.clear();
    return this.sorted;
  }
}
