// What a controller may know about the API: these interfaces and nothing else (DESIGN.md;
// controller-runtime pkg/client/interfaces.go). The HTTP transport and the in-process one
// implement them the same way, so a controller runs unchanged beside the server, out of
// process, or against a real cluster.
import type { KubeObject, KubeList } from '../apiserver/object.js';

/** Which resource a request is about: group, version, plural resource, and whether namespaced. */
export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions extends Omit<ListOptions, 'limit' | 'continue'> {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface WatchEvent<T = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** A running watch: events arrive through the callback given to watch(); stop() ends it. */
export interface WatchStream {
  stop(): void;
  /** Resolves when the stream ends: by stop(), the server's timeout, or an error (rejects). */
  readonly done: Promise<void>;
}

export interface Reader {
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, namespace?: string): Promise<T>;
  list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts?: ListOptions): Promise<KubeList<T>>;
}

export interface Writer {
  create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions): Promise<T>;
  /** PUT the object, or with `subresource` one of its PUT-only subresources (namespaces/finalize, as client-go's Finalize). */
  update<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T>;
  patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    type: PatchType,
    opts?: WriteOptions & { namespace?: string; force?: boolean; subresource?: string },
  ): Promise<T>;
  delete(ref: ResourceRef, name: string, namespace?: string, opts?: DeleteOptions): Promise<KubeObject>;
  /** POST to a subresource of one object (pods/binding, pods/eviction), as controller-runtime's SubResource(...).Create. */
  createSubresource<T = KubeObject>(ref: ResourceRef, name: string, subresource: string, body: KubeObject, opts?: WriteOptions & { namespace?: string }): Promise<T>;
  deleteCollection(ref: ResourceRef, opts?: ListOptions & DeleteOptions): Promise<void>;
}

export interface StatusWriter {
  updateStatus<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions): Promise<T>;
}

export interface Watcher {
  watch<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void): Promise<WatchStream>;
}

/** Discovery, so a controller (the garbage collector) can find every resource, CRDs included. */
export interface Discoverer {
  serverResources(): Promise<(ResourceRef & { kind: string; verbs: string[] })[]>;
}

export interface Client extends Reader, Writer, StatusWriter, Watcher, Discoverer {}

/**
 * A failed request: the server's Status (reason, code, message, details) as it answered it,
 * so callers branch on `reason` as client-go's apierrors.IsNotFound / IsConflict do.
 */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly status?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.code === 404;
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.reason === 'Conflict';
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.reason === 'AlreadyExists';
/** A write refused because its namespace is being deleted (apierrors.HasStatusCause(err, v1.NamespaceTerminatingCause)). */
export const isNamespaceTerminating = (e: unknown): boolean => {
  const causes = (e instanceof ApiError ? (e.status?.details as { causes?: { reason?: string }[] } | undefined)?.causes : undefined) ?? [];
  return causes.some((c) => c.reason === 'NamespaceTerminating');
};
export const isGone = (e: unknown): boolean => e instanceof ApiError && e.code === 410;

/** The object, or undefined when it does not exist: a reconciler's first read, where gone means nothing to do. */
export async function getIfExists<T extends KubeObject = KubeObject>(client: Reader, ref: ResourceRef, name: string, namespace?: string): Promise<T | undefined> {
  try {
    return await client.get<T>(ref, name, namespace);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
