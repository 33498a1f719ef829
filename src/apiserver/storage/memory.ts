// The in-memory store: one Map per resource, one global resourceVersion, frozen objects (a
// fresh parse of what was written, stored-copy.ts) shared by every reader, a bounded event ring
// per resource, and synchronous watch fan-out. Lists read keys in etcd's order (sorted-keys.ts)
// and start from a namespace range or a label / name index (index-plan.ts). Mirrors the
// semantics of the etcd3 store behind kube-apiserver.
import { freeze } from 'immer';
import { deepFreeze, type KubeObject } from '../object.js';
import { EventRing } from './event-ring.js';
import { indexedCandidates, namespaceRequirement } from './index-plan.js';
import { LabelIndex } from './label-index.js';
import { storedCopy } from './stored-copy.js';
import { compareKeys, lowerBound, mergeSorted, namespaceRangeEnd, SortedKeys, upperBound, type SortedView } from './sorted-keys.js';
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

/** One committed change as a commit log records it: the new object, or none for a deletion. */
export interface StoredChange {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly resource: string;
  readonly key: string;
  readonly object?: KubeObject;
  readonly resourceVersion: number;
}

/**
 * Where changes go before they are applied (persistence/): `append` returns once the change is
 * durable, and throws to refuse it, so a write is acknowledged only after it is logged and a
 * failed append changes nothing (etcd answers a write only after its WAL entry is synced).
 */
export interface CommitLog {
  append(change: StoredChange): void;
}

/** One stored object, as a snapshot holds it. */
export interface StoredEntry {
  resource: string;
  key: string;
  object: KubeObject;
}

interface Watcher {
  namespace?: string;
  predicate?: (obj: KubeObject) => boolean;
  onEvent: (ev: DeliveredEvent) => void;
  stopped: boolean;
}

class ResourceTable {
  readonly objects = new Map<string, KubeObject>();
  readonly keys = new SortedKeys(this.objects);
  readonly watchers = new Set<Watcher>();
  readonly ring: EventRing;
  /** Per-namespace key sets, so a namespaced list does not scan every object. */
  readonly byNamespace = new Map<string, Set<string>>();
  /** Label key=value to keys, so `app=a17` visits only the objects carrying it. */
  readonly labels = new LabelIndex();

  constructor(historySize: number, createdAt: number) {
    this.ring = new EventRing(historySize, createdAt);
  }

  sorted(): SortedView<KubeObject> {
    return this.keys.get();
  }

  set(key: string, obj: KubeObject): void {
    const prev = this.objects.get(key);
    if (!prev) {
      this.keys.created(key);
      const ns = obj.metadata.namespace ?? '';
      let set = this.byNamespace.get(ns);
      if (!set) this.byNamespace.set(ns, (set = new Set()));
      set.add(key);
    } else {
      this.keys.updated(key, obj);
    }
    this.labels.update(key, prev?.metadata.labels, obj.metadata.labels);
    this.objects.set(key, obj);
  }

  remove(key: string, obj: KubeObject): void {
    this.objects.delete(key);
    this.keys.deleted(key);
    this.byNamespace.get(obj.metadata.namespace ?? '')?.delete(key);
    this.labels.update(key, obj.metadata.labels, undefined);
  }
}

function withResourceVersion(obj: KubeObject, rv: number): KubeObject {
  const out = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
  return freeze(out, true);
}

export class MemoryStorage implements Storage {
  private rv = 1;
  private readonly tables = new Map<string, ResourceTable>();
  private readonly historySize: number;
  /** Unset without --data-dir: the write path then pays one property check. */
  private log: CommitLog | undefined;

  constructor(opts: MemoryStorageOptions = {}) {
    this.historySize = opts.eventHistorySize ?? 10_000;
  }

  /** Sends every later change to `log` before it is applied. */
  setCommitLog(log: CommitLog | undefined): void {
    this.log = log;
  }

  /**
   * Fills an empty store with restored objects at `resourceVersion`, with no events: the watch
   * history starts there, so a watch from an older resourceVersion is told to relist (410), as
   * after a watch cache is rebuilt from etcd.
   */
  load(resourceVersion: number, entries: Iterable<StoredEntry>): void {
    if (this.tables.size > 0 || this.rv !== 1) throw new Error('load: the store is not empty');
    this.rv = Math.max(1, resourceVersion);
    for (const { resource, key, object } of entries) this.table(resource).set(key, deepFreeze(object));
  }

  /** Every stored object, resource by resource in key order: what a snapshot holds. */
  *entries(): Generator<StoredEntry> {
    for (const [resource, t] of this.tables) {
      const { keys, values } = t.sorted();
      for (let i = 0; i < keys.length; i++) yield { resource, key: keys[i]!, object: values[i]! };
    }
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
    const stored = storedCopy(obj, this.rv + 1);
    this.log?.append({ type: 'ADDED', resource, key, object: stored, resourceVersion: this.rv + 1 });
    this.rv++;
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
    const stored = storedCopy(obj, this.rv + 1);
    this.log?.append({ type: 'MODIFIED', resource, key, object: stored, resourceVersion: this.rv + 1 });
    this.rv++;
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
    this.log?.append({ type: 'DELETED', resource, key, resourceVersion: this.rv + 1 });
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
    let overlay: Overlay | undefined;
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
    // Every key in [start, end) of `keys` is a candidate, in etcd's order: the store's range
    // (one namespace or all), or the few keys an index names.
    const namespace = opts.namespace ?? namespaceRequirement(opts.selector);
    let keys: readonly string[] | undefined = indexedCandidates(t, opts.selector, namespace, overlay);
    // The object at each key, where the keys are the store's own (no index, no overlay).
    let values: readonly KubeObject[] | undefined;
    let start = 0;
    let end: number;
    if (keys) {
      end = keys.length;
    } else {
      ({ keys, values } = t.sorted());
      if (overlay) {
        // Keys deleted since `at` are back in the old state; the rest of the overlay is already in `keys`.
        const gone = [...overlay.keys()].filter((k) => !t.objects.has(k)).sort(compareKeys);
        if (gone.length) keys = mergeSorted(keys, gone);
        values = undefined;
      }
      end = keys.length;
      if (namespace !== undefined) {
        start = lowerBound(keys, `${namespace}/`);
        end = lowerBound(keys, namespaceRangeEnd(namespace));
      }
    }
    if (opts.startAfterKey !== undefined) start = Math.max(start, upperBound(keys, opts.startAfterKey));
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const predicate = opts.predicate;
    const items: KubeObject[] = [];
    let i = start;
    let lastKey: string | undefined;
    for (; i < end; i++) {
      const key = keys[i]!;
      const obj = values ? values[i]! : lookup(key, overlay, t);
      if (!obj) continue;
      if (predicate && !predicate(obj)) continue;
      // The first match past a full page: there is more, and i is where it starts.
      if (items.length >= limit) break;
      items.push(obj);
      lastKey = key;
    }
    const result: ListResult = { items, resourceVersion: listRV };
    if (i < end) {
      result.lastKey = lastKey;
      if (opts.predicateIsEverything || !predicate) result.remainingItemCount = countRemaining(keys, i, end, overlay);
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

type Overlay = Map<string, KubeObject | null>;

function lookup(key: string, overlay: Overlay | undefined, t: ResourceTable): KubeObject | null | undefined {
  if (overlay) {
    const old = overlay.get(key);
    if (old !== undefined) return old;
  }
  return t.objects.get(key);
}

/**
 * The objects in keys[from, end), a range with no predicate: every key names an object but those
 * the overlay marks as created after the list's resourceVersion, so counting costs
 * O(overlay), not O(store) (paging a large store with limit=10 used to walk every remaining key).
 */
function countRemaining(keys: readonly string[], from: number, end: number, overlay: Overlay | undefined): number {
  let n = end - from;
  if (!overlay) return n;
  const lo = keys[from]!;
  const hi = end < keys.length ? keys[end]! : undefined;
  for (const [key, old] of overlay) if (old === null && key >= lo && (hi === undefined || key < hi)) n--;
  return n;
}
