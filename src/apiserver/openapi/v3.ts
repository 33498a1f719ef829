// /openapi/v3: the index of per-group-version documents and the documents themselves, shaped
// like kube-apiserver's (k8s.io/kube-openapi pkg/handler3). kubectl fetches the index, then
// the document of one group-version by its serverRelativeURL, and caches it by the URL's
// `hash`, which is why the hash is a digest of the document's bytes (kube-openapi uses the
// upper-case hex SHA-512). Pure functions: the HTTP route lives in ../server.ts.
//
// Published: built-in resources whose `openAPIDefinition` is in definitions.json, and custom
// resources (`isCustomResource`), whose definitions are built from their CRD schema
// (./custom-resource-schema.ts). As in kube-apiserver, a group-version served only by CRDs has
// just its resources' paths and definitions: no "/apis/<group>/<version>/" operation and no
// "apis/<group>" document (apiextensions serves that discovery outside OpenAPI).
import { freeze } from 'immer';
import { createHash } from 'node:crypto';
import type { ResourceType } from '../registry/strategy.js';
import { customResourceDefinitionName, customResourceDefinitions, customResourceListDefinitionName } from './custom-resource-schema.js';
import { builtinDefinitions, directRefs, type OpenAPISchema } from './definitions.js';
import { apiResourcesPath, discoveryPath, groupIdentifier, resourcePaths } from './paths.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
/** Referenced by every group-version document even when no path needs them (as in Kubernetes). */
const ALWAYS_INCLUDED = [`${META}.Status`, `${META}.DeleteOptions`, `${META}.WatchEvent`, `${META}.APIResourceList`, `${META}.Patch`];

export interface OpenAPIV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

export interface OpenAPIV3Options {
  /** info.version of the documents; Kubernetes puts its gitVersion there. */
  version?: string;
}

/** A document and the exact bytes (and their digest) that the index's hash refers to. */
export interface SerializedDocument {
  document: object;
  json: string;
  /** Upper-case hex SHA-512 of `json`, the `hash` query parameter of the document's URL. */
  hash: string;
}

interface Built {
  index: OpenAPIV3Index;
  documents: Map<string, SerializedDocument>;
}

/** The index: "api/v1", "apis/<group>/<version>", "apis/<group>", "api", "apis", "version" -> URL with content hash. */
export function openAPIV3Index(resources: readonly ResourceType[], options: OpenAPIV3Options = {}): OpenAPIV3Index {
  return build(resources, options).index;
}

/** The document of one path of the index ("api/v1", "apis/apps/v1"), or undefined if not served. */
export function openAPIV3Document(groupVersionPath: string, resources: readonly ResourceType[], options: OpenAPIV3Options = {}): object | undefined {
  return openAPIV3SerializedDocument(groupVersionPath, resources, options)?.document;
}

/** The document with its serialized form and hash, for a route that sets ETag or redirects a stale `?hash=`. */
export function openAPIV3SerializedDocument(groupVersionPath: string, resources: readonly ResourceType[], options: OpenAPIV3Options = {}): SerializedDocument | undefined {
  return build(resources, options).documents.get(groupVersionPath.replace(/^\/+|\/+$/g, ''));
}

// ---------------------------------------------------------------- memoisation

/**
 * Built documents per resource set. The catalog hands out a fresh array per call, so the key is
 * what the documents depend on, not the array's identity. A few recent sets are kept, since
 * custom resources come and go.
 */
const cache = new Map<string, Built>();
const CACHE_SIZE = 4;

function build(resources: readonly ResourceType[], options: OpenAPIV3Options): Built {
  const published = publishedResources(resources);
  const version = options.version ?? 'unversioned';
  const key = JSON.stringify([version, published.map(resourceSignature).sort()]);
  let built = cache.get(key);
  if (!built) {
    built = buildAll(published, version);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, built);
  }
  return built;
}

/** The resources the documents describe: built-ins with a known definition, and custom resources. */
export function publishedResources(resources: readonly ResourceType[]): ResourceType[] {
  return resources.filter((rt) => rt.isCustomResource === true || (rt.openAPIDefinition !== undefined && rt.openAPIDefinition in builtinDefinitions));
}

/**
 * What the documents depend on for one resource. For a custom resource that includes a digest of
 * its CRD schema, so a CRD update with a new schema rebuilds the documents.
 */
export function resourceSignature(rt: ResourceType): string {
  return JSON.stringify([rt.group, rt.version, rt.resource, rt.kind, rt.listKind, rt.namespaced, [...rt.verbs].sort(),
    Boolean(rt.subresources?.status), Boolean(rt.subresources?.scale), Object.keys(rt.strategy.subresourceUpdates ?? {}), rt.openAPIDefinition ?? null,
    rt.isCustomResource === true ? schemaDigest(rt.openAPISchema) : null]);
}

/** Digest per schema object, computed once: CRD schemas come from stored (frozen) objects. */
const digests = new WeakMap<object, string>();
function schemaDigest(schema: object | undefined): string {
  if (!schema) return 'none';
  let digest = digests.get(schema);
  if (digest === undefined) {
    digest = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
    digests.set(schema, digest);
  }
  return digest;
}

function buildAll(published: ResourceType[], version: string): Built {
  const byGroupVersion = new Map<string, ResourceType[]>();
  for (const rt of published) {
    const path = rt.group ? `apis/${rt.group}/${rt.version}` : `api/${rt.version}`;
    byGroupVersion.set(path, [...(byGroupVersion.get(path) ?? []), rt]);
  }
  const definitions = definitionsOf(published);
  const documents = new Map<string, object>();
  for (const [path, rts] of byGroupVersion) documents.set(path, groupVersionDocument(rts, version, definitions));

  const groups = [...new Set(published.filter((rt) => rt.group).map((rt) => rt.group))];
  const builtinGroups = new Set(published.filter((rt) => rt.group && !rt.isCustomResource).map((rt) => rt.group));
  if (published.some((rt) => !rt.group)) {
    documents.set('api', discoveryDocument(discoveryPath('/api/', 'getCoreAPIVersions', 'get available API versions', `${META}.APIVersions`, 'core'), version));
  }
  if (groups.length > 0) {
    documents.set('apis', discoveryDocument(discoveryPath('/apis/', 'getAPIVersions', 'get available API versions', `${META}.APIGroupList`, 'apis'), version));
  }
  for (const group of builtinGroups) {
    const id = groupIdentifier(group);
    const tag = id[0]!.toLowerCase() + id.slice(1);
    documents.set(`apis/${group}`, discoveryDocument(discoveryPath(`/apis/${group}/`, `get${id}APIGroup`, 'get information of a group', `${META}.APIGroup`, tag), version));
  }
  documents.set('version', discoveryDocument(discoveryPath('/version/', 'getCodeVersion', 'get the version information for this server', 'io.k8s.apimachinery.pkg.version.Info', 'version'), version));

  const serialized = new Map<string, SerializedDocument>();
  const index: OpenAPIV3Index = { paths: {} };
  for (const path of [...documents.keys()].sort()) {
    const document = freeze(documents.get(path)!, true);
    const json = JSON.stringify(document);
    const hash = createHash('sha512').update(json).digest('hex').toUpperCase();
    serialized.set(path, { document, json, hash });
    index.paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { index: freeze(index, true), documents: serialized };
}

/** Looks a definition up by name: the built-in ones, then those of the published custom resources. */
type Definitions = (name: string) => OpenAPISchema | undefined;

function definitionsOf(published: ResourceType[]): Definitions {
  const custom = new Map<string, OpenAPISchema>();
  for (const rt of published) {
    if (!rt.isCustomResource) continue;
    for (const [name, schema] of Object.entries(customResourceDefinitions(rt))) custom.set(name, schema);
  }
  return (name) => (name in builtinDefinitions ? builtinDefinitions[name] : custom.get(name));
}

// ---------------------------------------------------------------- documents

function groupVersionDocument(resources: ResourceType[], version: string, definitions: Definitions): object {
  const first = resources[0]!;
  const onlyCustom = resources.every((rt) => rt.isCustomResource);
  let paths: Record<string, unknown> = onlyCustom ? {} : apiResourcesPath(first.group, first.version);
  for (const rt of [...resources].sort((a, b) => compare(a.resource, b.resource))) {
    const [definition, list] = rt.isCustomResource
      ? [customResourceDefinitionName(rt), customResourceListDefinitionName(rt)]
      : [rt.openAPIDefinition!, listDefinitionOf(rt.openAPIDefinition!, rt)];
    paths = { ...paths, ...resourcePaths(rt, definition, list) };
  }
  return document(paths, version, onlyCustom ? [] : ALWAYS_INCLUDED, definitions);
}

function discoveryDocument(paths: Record<string, unknown>, version: string): object {
  return document(paths, version, [], (name) => builtinDefinitions[name]);
}

function document(paths: Record<string, unknown>, version: string, extraRoots: string[], definitions: Definitions): object {
  const sortedPaths = Object.fromEntries(Object.keys(paths).sort(compare).map((p) => [p, paths[p]]));
  const roots = new Set([...directRefs(sortedPaths), ...extraRoots]);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version },
    paths: sortedPaths,
    components: {
      schemas: closure(roots, definitions),
      securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    },
    security: [{ BearerToken: [] }],
  };
}

/** The list kind's definition: the kind's name with its list kind's, in the same package. */
function listDefinitionOf(definition: string, rt: ResourceType): string | undefined {
  const list = `${definition.slice(0, definition.lastIndexOf('.') + 1)}${rt.listKind}`;
  return list in builtinDefinitions ? list : undefined;
}

/** Every definition reachable from `roots` through $refs, sorted by name. */
function closure(roots: Iterable<string>, definitions: Definitions): Record<string, OpenAPISchema> {
  const found = new Map<string, OpenAPISchema>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (found.has(name)) continue;
    const schema = definitions(name);
    if (schema === undefined) continue;
    found.set(name, schema);
    queue.push(...refsOf(name, schema));
  }
  return Object.fromEntries([...found.keys()].sort(compare).map((name) => [name, found.get(name)!]));
}

/** Direct refs per definition; memoised for the built-in ones, which never change. */
const refCache = new Map<string, string[]>();
function refsOf(name: string, schema: OpenAPISchema): string[] {
  if (builtinDefinitions[name] !== schema) return [...directRefs(schema)];
  let refs = refCache.get(name);
  if (!refs) {
    refs = [...directRefs(schema)];
    refCache.set(name, refs);
  }
  return refs;
}

/** Byte order, as Go sorts the keys of the real documents. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
