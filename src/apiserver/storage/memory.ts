// The in-memory store: one Map per resource, one global resourceVersion, immer-frozen
// objects shared by every reader, a bounded event ring per resource, and synchronous
// watch fan-out. Mirrors the semantics of the etcd3 store behind kube-apiserver.
import { freeze } from 'immer';
import type { KubeObject } from '../object.js';
import { EventRing } from './event-ring.js';
import {
  StorageError,
  type DeliveredEvent,
  type ListOptions,
  type ListResult,
  type Preconditions,
  type Storage,
  type StoreEvent,
  type WatchHandle,
  type WatchOptions,
} from './interface.js';

export interface MemoryStorageOptions {
  /** Events kept per resource for watch resume and paging (default 10,000). */
  eventHistorySize?: number;
}

interface Watcher {
  namespace?: string;
  predicate?: (obj: KubeObject) => boolean;
  onEvent: (ev: DeliveredEvent) => void;
  stopped: boolean;
}

class ResourceTable {
  readonly objects = new Map<string, KubeObject>();
  private sorted: string[] | undefined;
  readonly watchers = new Set<Watcher>();
  readonly ring: EventRing;
  /** Per-namespace key sets, so a namespaced list does not scan every object. */
  readonly byNamespace = new Map<string, Set<string>>();

  constructor(historySize: number, createdAt: number) {
    this.ring = new EventRing(historySize, createdAt);
  }

  sortedKeys(): string[] {
    if (!this.sorted) this.sorted = [...this.objects.keys()].sort(compareKeys);
    return this.sorted;
  }

  set(key: string, obj: KubeObject): void {
    if (!this.objects.has(key)) {
      this.sorted = undefined;
      const ns = obj.metadata.namespace ?? '';
      let set = this.byNamespace.get(ns);
      if (!set) this.byNamespace.set(ns, (set = new Set()));
      set.add(key);
    }
    this.objects.set(key, obj);
  }

  remove(key: string, obj: KubeObject): void {
    this.objects.delete(key);
    this.sorted = undefined;
    this.byNamespace.get(obj.metadata.namespace ?? '')?.delete(key);
  }
}

/** etcd orders keys bytewise; plain string comparison of "ns/name" keys gives the same order for ASCII names. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withResourceVersion(obj: KubeObject, rv: number): KubeObject {
  const out = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
  return freeze(out, true);
}

export class MemoryStorage implements Storage {
  private rv = 1;
  private readonly tables = new Map<string, ResourceTable>();
  private readonly historySize: number;

  constructor(opts: MemoryStorageOptions = {}) {
    this.historySize = opts.eventHistorySize ?? 10_000;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  private table(resource: string): ResourceTable {
    let t = this.tables.get(resource);
    if (!t) this.tables.set(resource, (t = new ResourceTable(this.historySize, this.rv)));
    return t;
  }

  get(resource: string, key: string): KubeObject | undefined {
    return this.tables.get(resource)?.objects.get(key);
  }

  count(resource: string, namespace?: string): number {
    const t = this.tables.get(resource);
    if (!t) return 0;
    return namespace === undefined ? t.objects.size : (t.byNamespace.get(namespace)?.size ?? 0);
  }

  oldestResourceVersion(resource: string): number {
    return this.table(resource).ring.oldestResourceVersion;
  }

  create(resource: string, key: string, obj: KubeObject): KubeObject {
    const t = this.table(resource);
    if (t.objects.has(key)) throw new StorageError('AlreadyExists', `key ${key} already exists`);
    const stored = withResourceVersion(obj, ++this.rv);
    t.set(key, stored);
    this.commit(t, { type: 'ADDED', resource, key, object: stored, resourceVersion: this.rv });
    return stored;
  }

  update(resource: string, key: string, obj: KubeObject, expectedResourceVersion?: string): KubeObject {
    const t = this.table(resource);
    const prev = t.objects.get(key);
    if (!prev) throw new StorageError('NotFound', `key ${key} not found`);
    if (expectedResourceVersion !== undefined && expectedResourceVersion !== prev.metadata.resourceVersion) {
      throw new StorageError('Conflict', 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const stored = withResourceVersion(obj, ++this.rv);
    t.set(key, stored);
    this.commit(t, { type: 'MODIFIED', resource, key, object: stored, prevObject: prev, resourceVersion: this.rv });
    return stored;
  }

  delete(resource: string, key: string, preconditions?: Preconditions): KubeObject {
    const t = this.table(resource);
    const prev = t.objects.get(key);
    if (!prev) throw new StorageError('NotFound', `key ${key} not found`);
    if (preconditions?.uid !== undefined && preconditions.uid !== prev.metadata.uid) {
      throw new StorageError(
        'InvalidPrecondition',
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${prev.metadata.uid ?? ''}`,
      );
    }
    if (preconditions?.resourceVersion !== undefined && preconditions.resourceVersion !== prev.metadata.resourceVersion) {
      throw new StorageError(
        'InvalidPrecondition',
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${prev.metadata.resourceVersion ?? ''}`,
      );
    }
    t.remove(key, prev);
    // The DELETED event carries the last state with the deletion's resourceVersion, as etcd3's watcher does.
    const deleted = withResourceVersion(prev, ++this.rv);
    this.commit(t, { type: 'DELETED', resource, key, object: deleted, prevObject: prev, resourceVersion: this.rv });
    return deleted;
  }

  private commit(t: ResourceTable, ev: StoreEvent): void {
    t.ring.push(ev);
    if (t.watchers.size === 0) return;
    // One delivered event shared by every watcher that gets the stored event unchanged.
    const unchanged: DeliveredEvent = { type: ev.type, object: ev.object, source: ev };
    for (const w of t.watchers) deliver(w, ev, unchanged);
  }

  list(resource: string, opts: ListOptions = {}): ListResult {
    const t = this.table(resource);
    const at = opts.atResourceVersion;
    // The state at an older resourceVersion: undo the newer events, newest first.
    let overlay: Map<string, KubeObject | null> | undefined;
    if (at !== undefined && at < this.rv) {
      const newer = t.ring.since(at);
      if (!newer) throw new StorageError('Expired', `too old resource version: ${at} (${t.ring.oldestResourceVersion})`);
      if (newer.length) {
        overlay = new Map();
        for (let i = newer.length - 1; i >= 0; i--) {
          const ev = newer[i]!;
          overlay.set(ev.key, ev.type === 'ADDED' ? null : ev.prevObject!);
        }
      }
    }
    const listRV = at ?? this.rv;
    let keys: string[];
    if (overlay) {
      const merged = new Set(t.sortedKeys());
      for (const k of overlay.keys()) merged.add(k);
      keys = [...merged].sort(compareKeys);
    } else {
      keys = t.sortedKeys();
    }
    let start = 0;
    if (opts.startAfterKey !== undefined) start = upperBound(keys, opts.startAfterKey);
    const nsPrefix = opts.namespace !== undefined ? `${opts.namespace}/` : undefined;
    if (nsPrefix !== undefined) start = Math.max(start, lowerBound(keys, nsPrefix));
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const items: KubeObject[] = [];
    let i = start;
    let lastKey: string | undefined;
    for (; i < keys.length; i++) {
      const key = keys[i]!;
      if (nsPrefix !== undefined && !key.startsWith(nsPrefix)) break;
      const obj = overlay?.has(key) ? overlay.get(key) : t.objects.get(key);
      if (!obj) continue;
      if (opts.predicate && !opts.predicate(obj)) continue;
      if (items.length >= limit) break;
      items.push(obj);
      lastKey = key;
    }
    const result: ListResult = { items, resourceVersion: listRV };
    if (items.length >= limit && hasMore(keys, i, nsPrefix, overlay, t, opts.predicate)) {
      result.lastKey = lastKey;
      if (opts.predicateIsEverything || !opts.predicate) {
        result.remainingItemCount = countRemaining(keys, i, nsPrefix, overlay, t);
      }
    }
    return result;
  }

  watch(resource: string, opts: WatchOptions, onEvent: (ev: DeliveredEvent) => void): WatchHandle {
    const t = this.table(resource);
    const w: Watcher = { namespace: opts.namespace, predicate: opts.predicate, onEvent, stopped: false };
    let startRV = this.rv;
    if (opts.sendInitialState) {
      const { items } = this.list(resource, { namespace: opts.namespace, predicate: opts.predicate });
      for (const obj of items) onEvent({ type: 'ADDED', object: obj });
    } else if (opts.sinceResourceVersion !== undefined) {
      if (opts.sinceResourceVersion > this.rv) {
        throw new StorageError('TooLargeResourceVersion', `Too large resource version: ${opts.sinceResourceVersion}, current: ${this.rv}`);
      }
      const events = t.ring.since(opts.sinceResourceVersion);
      if (!events) {
        throw new StorageError('Expired', `too old resource version: ${opts.sinceResourceVersion} (${t.ring.oldestResourceVersion})`);
      }
      for (const ev of events) deliver(w, ev);
      startRV = this.rv;
    }
    t.watchers.add(w);
    return {
      startResourceVersion: startRV,
      stop: () => {
        w.stopped = true;
        t.watchers.delete(w);
      },
    };
  }
}

/**
 * Delivers one event to one watcher, translating for its filter as the cacher does:
 * an object entering the filter is ADDED, one leaving it is DELETED (its previous state
 * with the new resourceVersion).
 */
function deliver(w: Watcher, ev: StoreEvent, unchanged: DeliveredEvent = { type: ev.type, object: ev.object, source: ev }): void {
  if (w.stopped) return;
  const obj = ev.object;
  if (w.namespace !== undefined && (obj.metadata.namespace ?? '') !== w.namespace) return;
  const p = w.predicate;
  if (!p) {
    w.onEvent(unchanged);
    return;
  }
  if (ev.type === 'ADDED') {
    if (p(obj)) w.onEvent(unchanged);
    return;
  }
  if (ev.type === 'DELETED') {
    if (p(ev.prevObject ?? obj)) w.onEvent(unchanged);
    return;
  }
  const now = p(obj);
  const before = ev.prevObject ? p(ev.prevObject) : false;
  if (now && before) w.onEvent(unchanged);
  else if (now) w.onEvent({ type: 'ADDED', object: obj });
  else if (before) w.onEvent({ type: 'DELETED', object: withResourceVersion(ev.prevObject!, ev.resourceVersion) });
}

function lowerBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lookup(key: string, overlay: Map<string, KubeObject | null> | undefined, t: ResourceTable): KubeObject | null | undefined {
  return overlay?.has(key) ? overlay.get(key) : t.objects.get(key);
}

function hasMore(
  keys: string[],
  from: number,
  nsPrefix: string | undefined,
  overlay: Map<string, KubeObject | null> | undefined,
  t: ResourceTable,
  predicate: ((o: KubeObject) => boolean) | undefined,
): boolean {
  for (let i = from; i < keys.length; i++) {
    const key = keys[i]!;
    if (nsPrefix !== undefined && !key.startsWith(nsPrefix)) return false;
    const obj = lookup(key, overlay, t);
    if (obj && (!predicate || predicate(obj))) return true;
  }
  return false;
}

function countRemaining(
  keys: string[],
  from: number,
  nsPrefix: string | undefined,
  overlay: Map<string, KubeObject | null> | undefined,
  t: ResourceTable,
): number {
  let n = 0;
  for (let i = from; i < keys.length; i++) {
    const key = keys[i]!;
    if (nsPrefix !== undefined && !key.startsWith(nsPrefix)) break;
    if (lookup(key, overlay, t)) n++;
  }
  return n;
}
