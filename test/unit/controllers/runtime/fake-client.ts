// A small in-memory Client for the runtime's tests: objects per resource with one global
// resourceVersion, lists at the current version, watches that receive events the test
// pushes, and switches to expire a watch with a 410 ERROR event or drop the stream.
import {
  ApiError,
  type Client,
  type ListOptions,
  type ResourceRef,
  type WatchEvent,
  type WatchOptions,
  type WatchStream,
} from '../../../../src/clients/interfaces.js';
import type { KubeList, KubeObject } from '../../../../src/apiserver/object.js';

export interface FakeWatch {
  ref: ResourceRef;
  opts: WatchOptions;
  onEvent: (ev: WatchEvent) => void;
  stopped: boolean;
  close(): void;
  fail(err: unknown): void;
}

const refKey = (r: ResourceRef): string => `${r.group}/${r.version}/${r.resource}`;
const objKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class FakeClient implements Client {
  rv = 100;
  private readonly store = new Map<string, Map<string, KubeObject>>();
  readonly watches: FakeWatch[] = [];
  readonly listCalls: { ref: ResourceRef; opts?: ListOptions }[] = [];
  readonly writes: { verb: string; ref: ResourceRef; name?: string; body: unknown; opts?: unknown }[] = [];
  /** Errors the next watch() / list() calls throw, in order. */
  watchErrors: unknown[] = [];
  listErrors: unknown[] = [];
  resources: (ResourceRef & { kind: string; verbs: string[] })[] = [];

  private bucket(ref: ResourceRef): Map<string, KubeObject> {
    let b = this.store.get(refKey(ref));
    if (!b) this.store.set(refKey(ref), (b = new Map()));
    return b;
  }

  /** Store an object at a new resourceVersion without telling any watch (a change missed while disconnected). */
  set(ref: ResourceRef, obj: KubeObject): KubeObject {
    const stored = Object.freeze({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } });
    this.bucket(ref).set(objKey(stored), stored);
    return stored;
  }

  remove(ref: ResourceRef, name: string, namespace?: string): KubeObject | undefined {
    const b = this.bucket(ref);
    const key = `${namespace ?? ''}/${name}`;
    const old = b.get(key);
    b.delete(key);
    if (old) this.rv++;
    return old;
  }

  /** Change the store and send the event to every open watch on the resource. */
  emit(ref: ResourceRef, type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): KubeObject {
    let sent: KubeObject;
    if (type === 'DELETED') {
      this.remove(ref, obj.metadata.name!, obj.metadata.namespace);
      sent = Object.freeze({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } });
    } else {
      sent = this.set(ref, obj);
    }
    for (const w of this.open(ref)) w.onEvent({ type, object: sent });
    return sent;
  }

  bookmark(ref: ResourceRef): void {
    for (const w of this.open(ref)) w.onEvent({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(this.rv) } } });
  }

  /** The server's answer to a watch whose resourceVersion left its window. */
  expire(ref: ResourceRef): void {
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' };
    for (const w of this.open(ref)) w.onEvent({ type: 'ERROR', object: status as unknown as KubeObject });
  }

  /** The connection breaks: done rejects. */
  drop(ref: ResourceRef): void {
    for (const w of this.open(ref)) w.fail(new Error('connection reset'));
  }

  open(ref: ResourceRef): FakeWatch[] {
    return this.watches.filter((w) => !w.stopped && refKey(w.ref) === refKey(ref));
  }

  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts?: ListOptions): Promise<KubeList<T>> {
    this.listCalls.push({ ref, opts });
    const err = this.listErrors.shift();
    if (err) throw err;
    const items = [...this.bucket(ref).values()].filter((o) => !opts?.namespace || o.metadata.namespace === opts.namespace);
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: String(this.rv) }, items: items as T[] };
  }

  async watch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    opts: WatchOptions,
    onEvent: (ev: WatchEvent<T>) => void,
  ): Promise<WatchStream> {
    const err = this.watchErrors.shift();
    if (err) throw err;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const w: FakeWatch = {
      ref,
      opts,
      onEvent: onEvent as (ev: WatchEvent) => void,
      stopped: false,
      close: () => {
        w.stopped = true;
        resolve();
      },
      fail: (e) => {
        w.stopped = true;
        reject(e);
      },
    };
    this.watches.push(w);
    return { stop: () => w.close(), done };
  }

  async get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, namespace?: string): Promise<T> {
    const o = this.bucket(ref).get(`${namespace ?? ''}/${name}`);
    if (!o) throw new ApiError(404, 'NotFound', `${ref.resource} "${name}" not found`);
    return o as T;
  }

  async create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T): Promise<T> {
    this.writes.push({ verb: 'create', ref, name: obj.metadata.name, body: obj });
    if (this.bucket(ref).has(objKey(obj))) throw new ApiError(409, 'AlreadyExists', `${obj.metadata.name} already exists`);
    return this.set(ref, obj) as T;
  }

  async update<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T): Promise<T> {
    this.writes.push({ verb: 'update', ref, name: obj.metadata.name, body: obj });
    return this.set(ref, obj) as T;
  }

  async updateStatus<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T): Promise<T> {
    return this.update(ref, obj);
  }

  /** A shallow merge of top-level fields: enough for the event recorder's count patch. */
  async patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    type: string,
    opts?: { namespace?: string },
  ): Promise<T> {
    this.writes.push({ verb: `patch:${type}`, ref, name, body: patch, opts });
    const cur = await this.get(ref, name, opts?.namespace);
    return this.set(ref, { ...cur, ...(patch as object) }) as T;
  }

  async createSubresource<T = KubeObject>(ref: ResourceRef, name: string, subresource: string): Promise<T> {
    throw new Error(`FakeClient does not serve ${ref.resource}/${subresource} (${name})`);
  }

  async delete(ref: ResourceRef, name: string, namespace?: string): Promise<KubeObject> {
    this.writes.push({ verb: 'delete', ref, name, body: undefined });
    const old = this.remove(ref, name, namespace);
    if (!old) throw new ApiError(404, 'NotFound', `${ref.resource} "${name}" not found`);
    return old;
  }

  async deleteCollection(): Promise<void> {}

  async serverResources(): Promise<(ResourceRef & { kind: string; verbs: string[] })[]> {
    return this.resources;
  }
}

/** Let promise continuations (and setImmediate callbacks) run. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setImmediate(r));
}
