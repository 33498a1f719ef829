// Creating or replacing loaded manifests through the REST API, reported line by line the way
// `kubectl apply` does ("configmap/x created", "deployment.apps/web configured"). One bad
// object is reported and skipped; it never stops the others.
import { isDeepStrictEqual } from 'node:util';
import { Discovery, splitApiVersion, type ResourceMapping } from './discovery.js';
import type { LoadedManifest } from './load.js';
import { RestClient, toApiError, type JsonResponse, type RestOptions } from './rest.js';

export type ApplyAction = 'created' | 'configured' | 'unchanged' | 'error';

export interface ApplyResult {
  source: string;
  /** `kind[.group]/name` as kubectl prints it, e.g. `configmap/x`, `deployment.apps/web`. */
  ref: string;
  action: ApplyAction;
  /** For an error: the Status message from the server, or what went wrong before it. */
  message?: string;
  /** The object as the server stored it, when the write succeeded. */
  object?: Record<string, unknown>;
}

export interface ApplyOptions extends RestOptions {
  /** Namespace for namespaced objects that name none. Default `default`. */
  namespace?: string;
  /** Recorded in managedFields. Default `kubesim`. */
  fieldManager?: string;
}

type Obj = Record<string, unknown> & { metadata?: Record<string, unknown> };

/** How many times a replace is retried when someone else updated the object in between. */
const CONFLICT_RETRIES = 3;

/**
 * Creates each object (POST), or replaces it (GET then PUT with the current resourceVersion)
 * when it already exists. Namespaces and CustomResourceDefinitions go first, so a folder can
 * hold a namespace or a CRD beside the objects that need it, whatever the file names.
 */
export async function applyManifests(
  baseUrl: string,
  manifests: LoadedManifest[],
  options: ApplyOptions = {},
): Promise<ApplyResult[]> {
  const client = new RestClient(baseUrl, options);
  const discovery = new Discovery(client);
  const results: ApplyResult[] = [];
  for (const manifest of orderForApply(manifests)) {
    results.push(await applyOne(client, discovery, manifest, options));
  }
  return results;
}

/** One report line: `configmap/x created`, or `error: <source>: <message>`. */
export function formatApplyResult(result: ApplyResult): string {
  return result.action === 'error'
    ? `error: ${result.source}: ${result.message ?? 'unknown error'}`
    : `${result.ref} ${result.action}`;
}

const KIND_ORDER: Record<string, number> = { Namespace: 0, CustomResourceDefinition: 1 };

/** Namespaces, then CRDs, then the rest: what the others need exists first. */
export function orderForApply(manifests: LoadedManifest[]): LoadedManifest[] {
  const rank = (m: LoadedManifest) => KIND_ORDER[String((m.object as Obj).kind)] ?? 2;
  // Array.prototype.sort is stable, so files keep their order within a rank.
  return [...manifests].sort((a, b) => rank(a) - rank(b));
}

async function applyOne(
  client: RestClient,
  discovery: Discovery,
  manifest: LoadedManifest,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const { source } = manifest;
  const object = structuredClone(manifest.object) as Obj;
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const metadata = (object.metadata ??= {});
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const ref = refFor(kind, splitApiVersion(apiVersion).group, name);
  const fail = (message: string): ApplyResult => ({ source, ref, action: 'error', message });

  const missing = [!apiVersion && 'apiVersion not set', !kind && 'kind not set'].filter(Boolean);
  if (missing.length > 0) return fail(`error validating data: [${missing.join(', ')}]`);
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return fail('metadata must be an object');

  try {
    const mapping = await discovery.resolve(apiVersion, kind);
    if (mapping.namespaced) {
      if (typeof metadata.namespace !== 'string' || metadata.namespace === '') {
        metadata.namespace = options.namespace ?? 'default';
      }
    }
    // Objects saved with `kubectl get -o yaml` carry these; the server would refuse them.
    delete metadata.resourceVersion;
    delete metadata.uid;

    const query = `?fieldManager=${encodeURIComponent(options.fieldManager ?? 'kubesim')}`;
    const collection = collectionPath(mapping, metadata.namespace as string | undefined);
    const created = await client.request('POST', collection + query, object);
    if (isSuccess(created)) {
      const stored = created.body as Obj;
      const storedName = typeof stored?.metadata?.name === 'string' ? stored.metadata.name : name;
      return { source, ref: refFor(kind, mapping.group, storedName), action: 'created', object: stored };
    }
    if (!(created.code === 409 && reasonOf(created) === 'AlreadyExists' && name)) {
      return fail(toApiError(created).message);
    }
    return await replace(client, `${collection}/${encodeURIComponent(name)}`, query, object, { source, ref });
  } catch (err) {
    return fail(describeError(err));
  }
}

/** PUT with the current resourceVersion; "unchanged" when the server stored nothing new. */
async function replace(
  client: RestClient,
  itemPath: string,
  query: string,
  object: Obj,
  result: { source: string; ref: string },
): Promise<ApplyResult> {
  let last: JsonResponse | undefined;
  for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
    const got = await client.request('GET', itemPath);
    if (!isSuccess(got)) return { ...result, action: 'error', message: toApiError(got).message };
    const current = got.body as Obj;
    const resourceVersion = current.metadata?.resourceVersion;
    object.metadata = { ...object.metadata, resourceVersion };
    last = await client.request('PUT', itemPath + query, object);
    if (isSuccess(last)) {
      const stored = last.body as Obj;
      // kube-apiserver keeps the resourceVersion of a no-op update; comparing the content too
      // keeps the answer right should a server bump it anyway.
      const same = stored.metadata?.resourceVersion === resourceVersion || isDeepStrictEqual(comparable(stored), comparable(current));
      return { ...result, action: same ? 'unchanged' : 'configured', object: stored };
    }
    if (!(last.code === 409 && reasonOf(last) === 'Conflict')) break;
  }
  return { ...result, action: 'error', message: toApiError(last!).message };
}

/** The object without the fields every write changes. */
function comparable(object: Obj): Obj {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = object.metadata ?? {};
  return { ...object, metadata };
}

function collectionPath(mapping: ResourceMapping, namespace: string | undefined): string {
  const prefix = mapping.group ? `/apis/${mapping.group}/${mapping.version}` : `/api/${mapping.version}`;
  const ns = mapping.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${prefix}${ns}/${mapping.resource}`;
}

function refFor(kind: string, group: string, name: string): string {
  const k = (kind || 'unknown').toLowerCase();
  return `${group ? `${k}.${group}` : k}/${name || '<unnamed>'}`;
}

function isSuccess(res: JsonResponse): boolean {
  return res.code >= 200 && res.code < 300;
}

function reasonOf(res: JsonResponse): string | undefined {
  const body = res.body as { reason?: unknown } | undefined;
  return body && typeof body === 'object' && typeof body.reason === 'string' ? body.reason : undefined;
}

/** fetch reports "fetch failed" and hides the useful part (ECONNREFUSED ...) in `cause`. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    if (err.message === 'fetch failed' && cause instanceof Error) return cause.message;
    return err.message;
  }
  return String(err);
}
