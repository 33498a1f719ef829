// /openapi/v2: the whole API as one Swagger 2.0 document, the way kube-apiserver still serves
// it beside /openapi/v3 (k8s.io/kube-openapi pkg/handler). kubectl before 1.29 depends on it:
// `apply` looks for the kind's PATCH operation (matched by x-kubernetes-group-version-kind)
// and its `fieldValidation` query parameter before it trusts server-side field validation
// (k8s.io/cli-runtime pkg/resource/query_param_verifier.go); `explain` and client-side apply
// find a kind's definition by its x-kubernetes-group-version-kind and read the
// x-kubernetes-patch-* metadata of its fields (k8s.io/kubectl pkg/util/openapi).
//
// Built from the /openapi/v3 group-version documents (../v3.ts), so both versions publish the
// same paths, operations and schemas; only the shape differs (see toV2Schema / toV2Operation).
// A custom resource's definitions are built again from its CRD schema with the v2 restrictions
// kube-apiserver applies (../custom-resource-schema.ts), not converted from the v3 ones.
// Pure functions: the HTTP route lives in ../../server.ts.
import { freeze } from 'immer';
import type { ResourceType } from '../../registry/strategy.js';
import { customResourceDefinitions } from '../custom-resource-schema.js';
import { SCHEMA_REF_PREFIX } from '../definitions.js';
import { compare, openAPIV3Document, openAPIV3Index, publishedResources, resourceSignature } from '../v3.js';

type JSONObject = Record<string, unknown>;

export interface OpenAPIV2Options {
  /** info.version; Kubernetes puts its gitVersion there. */
  version: string;
}

export const V2_REF_PREFIX = '#/definitions/';

const OPERATION_VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
/** Schema keywords of OpenAPI v3 that Swagger 2.0 (and gnostic's Schema message) lack. */
const V3_ONLY_KEYWORDS = new Set(['oneOf', 'anyOf', 'not', 'nullable', 'allOf']);

// ---------------------------------------------------------------- memoisation

/**
 * Built documents per resource set. catalog.all() returns a fresh array per call, so the key is
 * the content the document depends on, not the array's identity (as ../v3.ts does). A few
 * recent sets are kept, since custom resources come and go.
 */
const cache = new Map<string, object>();
const CACHE_SIZE = 4;

/** The Swagger 2.0 document of every published resource; the same (frozen) object for the same resource set. */
export function openAPIV2Document(resources: readonly ResourceType[], opts: OpenAPIV2Options): object {
  const key = JSON.stringify([opts.version, publishedResources(resources).map(resourceSignature).sort()]);
  let doc = cache.get(key);
  if (!doc) {
    doc = freeze(build(resources, opts.version), true);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, doc);
  }
  return doc;
}

const serialized = new WeakMap<object, string>();

/** The document as JSON text, memoised per document object (it is ~0.9 MB; serialise once). */
export function openAPIV2JSON(doc: object): string {
  let text = serialized.get(doc);
  if (text === undefined) {
    text = JSON.stringify(doc);
    serialized.set(doc, text);
  }
  return text;
}

// ---------------------------------------------------------------- the document

function build(resources: readonly ResourceType[], version: string): JSONObject {
  const index = openAPIV3Index(resources, { version });
  const paths: Record<string, JSONObject> = {};
  const schemas: Record<string, unknown> = {};
  for (const gvPath of Object.keys(index.paths)) {
    const v3 = openAPIV3Document(gvPath, resources, { version }) as { paths: Record<string, JSONObject>; components: { schemas: Record<string, unknown> } } | undefined;
    if (!v3) continue;
    for (const [path, item] of Object.entries(v3.paths)) paths[path] = toV2PathItem(item);
    Object.assign(schemas, v3.components.schemas);
  }
  const definitions: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) definitions[name] = toV2Schema(schema);
  for (const rt of resources) if (rt.isCustomResource) Object.assign(definitions, customResourceDefinitions(rt, { v2: true }));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version },
    paths: sortKeys(paths),
    definitions: sortKeys(definitions),
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    security: [{ BearerToken: [] }],
  };
}

// ---------------------------------------------------------------- paths and operations

function toV2PathItem(item: JSONObject): JSONObject {
  const out: JSONObject = {};
  for (const verb of OPERATION_VERBS) {
    const op = item[verb];
    if (isObject(op)) out[verb] = toV2Operation(op);
  }
  if (Array.isArray(item.parameters)) out.parameters = item.parameters.map((p) => toV2Parameter(p as JSONObject));
  return out;
}

/**
 * v3 `requestBody` becomes the `body` parameter and `consumes`; each response's `content`
 * becomes one `schema` plus the operation's `produces`, as kube-openapi's v2 builder emits them.
 */
function toV2Operation(op: JSONObject): JSONObject {
  const parameters: JSONObject[] = [];
  let consumes = ['*/*'];
  const body = op.requestBody;
  if (isObject(body)) {
    const content = (body.content ?? {}) as Record<string, JSONObject>;
    consumes = Object.keys(content);
    const schema = Object.values(content)[0]?.schema;
    parameters.push({ in: 'body', name: 'body', ...(body.required ? { required: true } : {}), ...(schema ? { schema: toV2Schema(schema) } : {}) });
  }
  if (Array.isArray(op.parameters)) parameters.push(...op.parameters.map((p) => toV2Parameter(p as JSONObject)));

  const produces = new Set<string>();
  const responses: Record<string, JSONObject> = {};
  for (const [code, response] of Object.entries((op.responses ?? {}) as Record<string, JSONObject>)) {
    const content = (response.content ?? {}) as Record<string, JSONObject>;
    for (const type of Object.keys(content)) produces.add(type);
    const schema = Object.values(content)[0]?.schema;
    responses[code] = { description: response.description ?? '', ...(schema ? { schema: toV2Schema(schema) } : {}) };
  }

  const out: JSONObject = {
    consumes,
    description: op.description,
    operationId: op.operationId,
    ...(parameters.length > 0 ? { parameters } : {}),
    produces: [...produces],
    responses,
    schemes: ['https'],
    tags: op.tags,
  };
  for (const [key, value] of Object.entries(op)) if (key.startsWith('x-')) out[key] = value;
  return out;
}

/** A v3 parameter `{in, name, schema: {type}}` inline as v2's `{in, name, type, uniqueItems}`. */
function toV2Parameter(p: JSONObject): JSONObject {
  const schema = (p.schema ?? {}) as JSONObject;
  return {
    ...(p.description !== undefined ? { description: p.description } : {}),
    in: p.in,
    name: p.name,
    ...(p.required ? { required: true } : {}),
    ...(schema.type !== undefined ? { type: schema.type } : {}),
    ...(schema.format !== undefined ? { format: schema.format } : {}),
    // Kubernetes marks every query and path parameter uniqueItems (kube-openapi's builder does).
    uniqueItems: true,
  };
}

// ---------------------------------------------------------------- schemas

/**
 * A v3 component schema in v2 shape:
 * - `$ref: "#/components/schemas/X"` becomes `"#/definitions/X"`;
 * - `allOf: [{$ref}]` (how v3 puts a description beside a reference) unwraps to a plain `$ref`
 *   keeping the description and dropping the `default`, as Kubernetes' swagger.json has it;
 *   kubectl's parser rejects anything but a plain reference (kube-openapi pkg/util/proto);
 * - `oneOf` of primitives (IntOrString, Quantity) becomes `type: string`, the type those kinds
 *   declare for v2 (their OpenAPIV2Definition), keeping `format: int-or-string`.
 */
export function toV2Schema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toV2Schema);
  if (!isObject(schema)) return schema;
  const out: JSONObject = {};

  const wrapped = Array.isArray(schema.allOf) && schema.allOf.length === 1 && isObject(schema.allOf[0]) ? schema.allOf[0] : undefined;
  const ref = typeof schema.$ref === 'string' ? schema.$ref : typeof wrapped?.$ref === 'string' ? wrapped.$ref : undefined;
  if (ref !== undefined) {
    out.$ref = ref.startsWith(SCHEMA_REF_PREFIX) ? V2_REF_PREFIX + ref.slice(SCHEMA_REF_PREFIX.length) : ref;
    if (typeof schema.description === 'string') out.description = schema.description;
    for (const [key, value] of Object.entries(schema)) if (key.startsWith('x-')) out[key] = value;
    return out;
  }

  for (const [key, value] of Object.entries(schema)) {
    if (V3_ONLY_KEYWORDS.has(key)) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toV2Schema(sub)]));
    } else if (key === 'items' || (key === 'additionalProperties' && isObject(value))) {
      out[key] = toV2Schema(value);
    } else {
      out[key] = value;
    }
  }
  if (out.type === undefined && Array.isArray(schema.oneOf)) out.type = 'string';
  return out;
}

// ---------------------------------------------------------------- helpers

function isObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort(compare).map((k) => [k, record[k]!]));
}

