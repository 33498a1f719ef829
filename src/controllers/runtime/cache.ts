// The informer's store: objects by namespace/name plus indexes kept in step with every write
// (client-go tools/cache thread_safe_store.go + index.go; controller-runtime's cache
// registers the same namespace and owner indexes). Objects are kept exactly as received and
// never mutated, so a frozen object stays shareable.
import type { KubeObject } from './types.js';

/** The values an object is indexed under; [] for none. */
export type IndexFunc = (obj: KubeObject) => string[];

export const NAMESPACE_INDEX = 'namespace';
export const OWNER_UID_INDEX = 'ownerUid';
export const LABEL_INDEX = 'label';
/** The uid of the object's controller (the ownerReference with controller: true), or '' for none. */
export const CONTROLLER_UID_INDEX = 'controllerUid';

/** namespace/name, or name alone for a cluster-scoped object (client-go MetaNamespaceKeyFunc). */
export function keyOf(name: string, namespace?: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function objectKey(obj: KubeObject): string {
  return keyOf(obj.metadata.name ?? '', obj.metadata.namespace);
}

const builtinIndexers: Record<string, IndexFunc> = {
  [NAMESPACE_INDEX]: (o) => (o.metadata.namespace ? [o.metadata.namespace] : []),
  [OWNER_UID_INDEX]: (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid),
  [LABEL_INDEX]: (o) => Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  [CONTROLLER_UID_INDEX]: (o) => [(o.metadata.ownerReferences ?? []).find((r) => r.controller === true)?.uid ?? ''],
};

export interface CacheOptions {
  /** Extra indexes by name; the namespace, ownerUid, label and controllerUid indexes are always present. */
  indexers?: Record<string, IndexFunc>;
}

export interface CacheListOptions {
  namespace?: string;
  /** Equality requirements only: every key must be present with exactly this value. */
  labelSelector?: Record<string, string>;
}

export class Cache<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc>();
  /** index name -> indexed value -> keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(opts: CacheOptions = {}) {
    this.addIndexers({ ...builtinIndexers, ...opts.indexers });
  }

  /** Add indexes; existing objects are indexed at once (client-go allows this only before start). */
  addIndexers(indexers: Record<string, IndexFunc>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
      this.indexers.set(name, fn);
      this.indices.set(name, new Map());
      for (const [key, obj] of this.items) this.indexOne(name, fn, key, obj);
    }
  }

  get(name: string, namespace?: string): T | undefined {
    return this.items.get(keyOf(name, namespace));
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  size(): number {
    return this.items.size;
  }

  list(opts: CacheListOptions = {}): T[] {
    let candidates: Iterable<T>;
    const labels = Object.entries(opts.labelSelector ?? {});
    // Start from the smallest index the options allow, then filter the rest.
    if (labels.length > 0) {
      const [k, v] = labels[0]!;
      candidates = this.byIndex(LABEL_INDEX, `${k}=${v}`);
    } else if (opts.namespace !== undefined) {
      candidates = this.byIndex(NAMESPACE_INDEX, opts.namespace);
    } else {
      candidates = this.items.values();
    }
    const out: T[] = [];
    for (const obj of candidates) {
      if (opts.namespace !== undefined && (obj.metadata.namespace ?? '') !== opts.namespace) continue;
      const have = obj.metadata.labels ?? {};
      if (labels.every(([k, v]) => have[k] === v)) out.push(obj);
    }
    return out;
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`no index named "${indexName}"`);
    const keys = index.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.items.get(k)!);
  }

  /** Store (add or replace) an object; returns the previous one. For the informer. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) this.indexOne(name, fn, key, obj);
    return old;
  }

  /** Remove by key; returns the removed object. For the informer. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private indexOne(name: string, fn: IndexFunc, key: string, obj: T): void {
    const index = this.indices.get(name)!;
    for (const value of new Set(fn(obj))) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const value of new Set(fn(obj))) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys && keys.size === 0) index.delete(value);
      }
    }
  }
}
