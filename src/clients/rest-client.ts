// RestClient: the Client interface over any Transport. Every verb becomes the request
// client-go's typed and dynamic clients send (k8s.io/client-go dynamic/simple.go), so the
// HTTP client and the in-process one differ only in how bytes reach the server.
import type { KubeList, KubeObject } from '../apiserver/object.js';
import {
  ApiError,
  type Client,
  type DeleteOptions,
  type ListOptions,
  type PatchType,
  type ResourceRef,
  type WatchEvent,
  type WatchOptions,
  type WatchStream,
  type WriteOptions,
} from './interfaces.js';
import {
  decodeResponse,
  deleteOptionsBody,
  errorFromResponse,
  listQuery,
  PATCH_CONTENT_TYPES,
  resourcePath,
  watchQuery,
  writeQuery,
} from './request-builder.js';
import { readAll, type Transport, type TransportRequest } from './transport.js';
import { consumeWatch } from './watch-stream.js';

export interface RestClientOptions {
  /** Sent as User-Agent; the server names managedFields entries after it when no fieldManager is given. */
  userAgent?: string;
  /** fieldManager for every write that does not name one (controller-runtime client.WithFieldOwner). */
  fieldManager?: string;
}

export const DEFAULT_USER_AGENT = 'kubesim-controller';

/** A resource as discovery describes it: enough to list, watch or delete it generically. */
export type DiscoveredResource = ResourceRef & { kind: string; verbs: string[] };

interface APIResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
}
interface APIGroupList {
  groups: { name: string; preferredVersion?: { groupVersion: string; version: string }; versions: { groupVersion: string; version: string }[] }[];
}

export class RestClient implements Client {
  readonly userAgent: string;
  readonly fieldManager: string;

  constructor(
    protected readonly transport: Transport,
    options: RestClientOptions = {},
  ) {
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.fieldManager = options.fieldManager ?? this.userAgent.split('/')[0]!;
  }

  async get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, namespace?: string): Promise<T> {
    return this.send<T>({ method: 'GET', path: resourcePath(ref, namespace, name) });
  }

  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.send<KubeList<T>>({ method: 'GET', path: resourcePath(ref, opts.namespace), query: listQuery(opts) });
  }

  async create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions): Promise<T> {
    return this.send<T>({
      method: 'POST',
      path: resourcePath(ref, obj.metadata.namespace),
      query: writeQuery(opts, this.fieldManager),
      body: JSON.stringify(obj),
    });
  }

  async update<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T> {
    return this.put(ref, obj, opts?.subresource, opts);
  }

  /** PUT to the status subresource: the server keeps spec and takes only status (UpdateStatus). */
  async updateStatus<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions): Promise<T> {
    return this.put(ref, obj, 'status', opts);
  }

  async createSubresource<T = KubeObject>(
    ref: ResourceRef,
    name: string,
    subresource: string,
    body: KubeObject,
    opts: WriteOptions & { namespace?: string } = {},
  ): Promise<T> {
    return this.send<T>({
      method: 'POST',
      path: resourcePath(ref, opts.namespace ?? body.metadata.namespace, name, subresource),
      query: writeQuery(opts, this.fieldManager),
      body: JSON.stringify(body),
    });
  }

  async patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    type: PatchType,
    opts: WriteOptions & { namespace?: string; force?: boolean; subresource?: string } = {},
  ): Promise<T> {
    // `force` only means something to apply; the server rejects it on other patch types.
    const force = type === 'apply' && opts.force !== undefined ? opts.force : undefined;
    return this.send<T>({
      method: 'PATCH',
      path: resourcePath(ref, opts.namespace, name, opts.subresource),
      query: writeQuery(opts, this.fieldManager, force),
      // A JSON document is valid YAML, so an apply patch is sent as JSON too (as kubectl does).
      body: typeof patch === 'string' ? patch : JSON.stringify(patch),
      contentType: PATCH_CONTENT_TYPES[type],
    });
  }

  async delete(ref: ResourceRef, name: string, namespace?: string, opts?: DeleteOptions): Promise<KubeObject> {
    // The answer is the object (while finalizers hold it) or a Success Status.
    return this.send<KubeObject>({ method: 'DELETE', path: resourcePath(ref, namespace, name), body: deleteOptionsBody(opts) });
  }

  async deleteCollection(ref: ResourceRef, opts: ListOptions & DeleteOptions = {}): Promise<void> {
    await this.send<unknown>({ method: 'DELETE', path: resourcePath(ref, opts.namespace), query: listQuery(opts), body: deleteOptionsBody(opts) });
  }

  async watch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    opts: WatchOptions,
    onEvent: (ev: WatchEvent<T>) => void,
  ): Promise<WatchStream> {
    const res = await this.transport.stream(this.request({ method: 'GET', path: resourcePath(ref, opts.namespace), query: watchQuery(opts) }));
    if (res.status !== 200) {
      // Refused before streaming (a bad selector, a resourceVersion too large): a plain Status.
      const body = await readAll(res.body).catch(() => Buffer.alloc(0));
      res.cancel();
      throw errorFromResponse(res.status, body);
    }
    return consumeWatch<T>(res, onEvent);
  }

  /**
   * Every resource the server serves, in each group's preferred version, subresources left out:
   * what the garbage collector and namespace controller walk (discovery.ServerPreferredResources).
   */
  async serverResources(): Promise<DiscoveredResource[]> {
    const groups = await this.send<APIGroupList>({ method: 'GET', path: '/apis' });
    const versions: { group: string; version: string; path: string }[] = [{ group: '', version: 'v1', path: '/api/v1' }];
    for (const g of groups.groups) {
      const v = g.preferredVersion ?? g.versions[0];
      if (v) versions.push({ group: g.name, version: v.version, path: `/apis/${v.groupVersion}` });
    }
    const lists = await Promise.all(
      versions.map(async (gv) => {
        try {
          const list = await this.send<{ resources: APIResource[] }>({ method: 'GET', path: gv.path });
          return { gv, resources: list.resources ?? [] };
        } catch (e) {
          // A group-version that vanished between the two calls (a CRD being deleted) is
          // skipped, as client-go returns partial results with ErrGroupDiscoveryFailed.
          if (e instanceof ApiError && (e.code === 404 || e.code === 503)) return { gv, resources: [] };
          throw e;
        }
      }),
    );
    const out: DiscoveredResource[] = [];
    for (const { gv, resources } of lists) {
      for (const r of resources) {
        if (r.name.includes('/')) continue;
        out.push({ group: gv.group, version: gv.version, resource: r.name, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? [] });
      }
    }
    return out;
  }

  /** Releases the transport's pooled connections. */
  close(): void {
    this.transport.close?.();
  }

  private async put<T extends KubeObject>(ref: ResourceRef, obj: T, subresource: string | undefined, opts?: WriteOptions): Promise<T> {
    const name = obj.metadata.name;
    if (!name) throw new Error(`update of ${ref.resource} needs metadata.name`);
    return this.send<T>({
      method: 'PUT',
      path: resourcePath(ref, obj.metadata.namespace, name, subresource),
      query: writeQuery(opts, this.fieldManager),
      body: JSON.stringify(obj),
    });
  }

  private async send<T>(req: Omit<TransportRequest, 'headers'> & { contentType?: string }): Promise<T> {
    return decodeResponse<T>(await this.transport.request(this.request(req)));
  }

  private request(req: Omit<TransportRequest, 'headers'> & { contentType?: string }): TransportRequest {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    return { method: req.method, path: req.path, query: req.query, headers, body: req.body };
  }
}
