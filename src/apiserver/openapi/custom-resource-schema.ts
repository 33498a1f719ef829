// The OpenAPI definitions of a custom resource, built from its CRD version's openAPIV3Schema
// the way kube-apiserver publishes them (k8s.io/apiextensions-apiserver
// pkg/controller/openapi/builder/builder.go, written anew from what it does):
//
// - names: the group reversed, then version and kind ("stable.example.com", "v1", "CronTab" ->
//   "com.example.stable.v1.CronTab"), and the same for the list kind (kube-openapi ToRESTFriendlyName);
// - the schema is the structural schema turned back into OpenAPI (schema.ToKubeOpenAPI): only
//   what a structural schema holds survives (type, description, title, default, nullable,
//   properties, items, additionalProperties, value validations, the x-kubernetes-* extensions
//   including x-kubernetes-validations); `example`, `id`, `$schema`, `definitions`,
//   `dependencies`, `patternProperties` and `additionalItems` are dropped. x-kubernetes-int-or-string
//   fields get their `anyOf: [integer, string]` spelled out (Structural.Unfold);
// - `metadata` becomes a reference to ObjectMeta, `apiVersion` and `kind` the TypeMeta strings, on
//   the root and on every x-kubernetes-embedded-resource; the kind gets x-kubernetes-group-version-kind;
// - for /openapi/v2 (kubectl before 1.27 cannot read everything v3 allows): allOf/anyOf/oneOf/not
//   are dropped, nullable and x-kubernetes-preserve-unknown-fields fields lose their type,
//   properties and items (openapi/v2 ToStructuralOpenAPIV2), a root that preserves unknown fields
//   is published as a bare `type: object`, and defaults are pruned (handler.PruneDefaults).
// A schema without a usable root (no schema, or not an object schema) is published as `type: object`.
import type { ResourceType } from '../registry/strategy.js';
import { SCHEMA_REF_PREFIX, type OpenAPISchema } from './definitions.js';

type JSONObject = Record<string, unknown>;

export interface CustomResourceSchemaOptions {
  /** Shape for /openapi/v2 (Swagger 2.0 references, v2 restrictions) rather than /openapi/v3. */
  v2?: boolean;
}

const V2_REF_PREFIX = '#/definitions/';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const CONVENTIONS = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';

// TypeMeta's field descriptions, which the root of every custom resource schema gets.
const TYPE_META_API_VERSION = `APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: ${CONVENTIONS}#resources`;
const TYPE_META_KIND = `Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: ${CONVENTIONS}#types-kinds`;
// The shorter texts builder.go gives an embedded resource's apiVersion and kind.
const EMBEDDED_API_VERSION = `apiVersion defines the versioned schema of this representation of an object. More info: ${CONVENTIONS}#resources`;
const EMBEDDED_KIND = `kind is a string value representing the type of this object. In CamelCase. More info: ${CONVENTIONS}#types-kinds`;
// PartialObjectMetadata(List)'s metadata descriptions.
const OBJECT_METADATA = `Standard object's metadata. More info: ${CONVENTIONS}#metadata`;
const LIST_METADATA = `Standard list metadata. More info: ${CONVENTIONS}#types-kinds`;

/** The keys a structural schema keeps (Generic, Extensions, ValueValidation, ValidationExtensions). */
const KEPT = new Set([
  'type', 'description', 'title', 'default', 'nullable', 'externalDocs',
  'format', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'enum', 'maxProperties', 'minProperties', 'required',
]);
/** Booleans that are only published when true (Go's omitempty on the structural fields). */
const TRUE_ONLY = new Set(['nullable', 'exclusiveMaximum', 'exclusiveMinimum', 'uniqueItems',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string']);
const EXTENSIONS = new Set(['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-validations']);
const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const;

// ---------------------------------------------------------------- names

/** "stable.example.com" -> "com.example.stable" (kube-openapi util.ToRESTFriendlyName). */
function reversedGroup(group: string): string {
  return group.split('.').reverse().join('.');
}

/** The definition name of the kind (or of `kind`, e.g. the list kind): "com.example.stable.v1.CronTab". */
export function customResourceDefinitionName(rt: Pick<ResourceType, 'group' | 'version' | 'kind'>, kind = rt.kind): string {
  return `${reversedGroup(rt.group)}.${rt.version}.${kind}`;
}

/** The definition name of the list kind: "com.example.stable.v1.CronTabList". */
export function customResourceListDefinitionName(rt: Pick<ResourceType, 'group' | 'version' | 'kind' | 'listKind'>): string {
  return customResourceDefinitionName(rt, rt.listKind);
}

// ---------------------------------------------------------------- definitions

/** The kind's and the list kind's definitions, keyed by definition name. */
export function customResourceDefinitions(rt: ResourceType, options: CustomResourceSchemaOptions = {}): Record<string, OpenAPISchema> {
  const v2 = options.v2 === true;
  const prefix = v2 ? V2_REF_PREFIX : SCHEMA_REF_PREFIX;
  const name = customResourceDefinitionName(rt);
  const listName = customResourceListDefinitionName(rt);
  const gvk = (kind: string) => [{ group: rt.group, kind, version: rt.version }];

  const source = isObject(rt.openAPISchema) ? rt.openAPISchema : undefined;
  let kind: JSONObject;
  if (!source || (v2 && source['x-kubernetes-preserve-unknown-fields'] === true)) {
    // Anything more would make kubectl's v2 validation refuse fields the schema allows.
    kind = { type: 'object' };
  } else {
    let schema = unfold(structural(source));
    if (v2) schema = pruneDefaults(toV2(schema));
    kind = withEmbeddedMeta(schema, v2, prefix);
    kind.properties = sortKeys({
      ...(isObject(kind.properties) ? kind.properties : {}),
      apiVersion: { description: TYPE_META_API_VERSION, type: 'string' },
      kind: { description: TYPE_META_KIND, type: 'string' },
      metadata: { $ref: `${prefix}${META}.ObjectMeta`, description: OBJECT_METADATA },
    });
  }
  kind['x-kubernetes-group-version-kind'] = gvk(rt.kind);

  const list: JSONObject = {
    description: `${rt.listKind} is a list of ${rt.kind}`,
    properties: {
      apiVersion: { description: TYPE_META_API_VERSION, type: 'string' },
      items: { description: `List of ${rt.resource}. More info: ${CONVENTIONS}`, items: { $ref: `${prefix}${name}` }, type: 'array' },
      kind: { description: TYPE_META_KIND, type: 'string' },
      metadata: { $ref: `${prefix}${META}.ListMeta`, description: LIST_METADATA },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': gvk(rt.listKind),
  };
  return { [name]: sortKeys(kind), [listName]: list };
}

// ---------------------------------------------------------------- structural schema

/** A copy holding only what a structural schema holds (NewStructural + ToKubeOpenAPI). */
function structural(s: JSONObject): JSONObject {
  const out: JSONObject = {};
  for (const [key, value] of Object.entries(s)) {
    if (value === undefined || value === null) continue;
    if (TRUE_ONLY.has(key)) {
      if (value === true) out[key] = true;
    } else if (KEPT.has(key) || EXTENSIONS.has(key)) {
      if (key === 'required' && Array.isArray(value) && value.length === 0) continue;
      out[key] = value;
    } else if (key === 'properties' && isObject(value)) {
      out.properties = sortKeys(Object.fromEntries(Object.entries(value).filter(([, v]) => isObject(v)).map(([k, v]) => [k, structural(v as JSONObject)])));
    } else if (key === 'items' && isObject(value)) {
      out.items = structural(value);
    } else if (key === 'additionalProperties') {
      if (isObject(value)) out.additionalProperties = structural(value);
      else if (typeof value === 'boolean') out.additionalProperties = value;
    } else if ((JUNCTORS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.filter(isObject).map(structural);
    } else if (key === 'not' && isObject(value)) {
      out.not = structural(value);
    }
  }
  return out;
}

const INT_OR_STRING = (): JSONObject[] => [{ type: 'integer' }, { type: 'string' }];

function isIntOrStringAnyOf(anyOf: unknown): boolean {
  return Array.isArray(anyOf) && anyOf.length === 2
    && JSON.stringify(anyOf) === JSON.stringify(INT_OR_STRING());
}

/** Spell out x-kubernetes-int-or-string as `anyOf: [integer, string]` (Structural.Unfold). */
function unfold(s: JSONObject): JSONObject {
  const out = mapChildren(s, unfold);
  if (out['x-kubernetes-int-or-string'] !== true) return out;
  const allOf = Array.isArray(out.allOf) ? out.allOf : undefined;
  if (isIntOrStringAnyOf(out.anyOf) || (allOf && isObject(allOf[0]) && isIntOrStringAnyOf(allOf[0].anyOf))) return out;
  if (out.anyOf === undefined) return { ...out, anyOf: INT_OR_STRING() };
  return { ...out, allOf: [{ anyOf: INT_OR_STRING() }, ...(allOf ?? [])] };
}

/**
 * The v2 restrictions (ToStructuralOpenAPIV2): no junctors; a nullable field, or one that
 * preserves unknown fields, loses its properties and items (and its type, where kubectl would
 * then insist on them); nullable fields are no longer required.
 */
function toV2(input: JSONObject): JSONObject {
  const s: JSONObject = { ...input };
  for (const key of [...JUNCTORS, 'not']) delete s[key];
  if (s.nullable === true) {
    delete s.type;
    delete s.nullable;
    delete s.items;
    delete s.properties;
  }
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (preserve) {
    delete s.items;
    delete s.properties;
  }
  if (s.items === undefined && s.type === 'array') delete s.type;
  if (preserve && s.type === 'object') delete s.type;

  if (Array.isArray(s.required)) {
    const props = isObject(s.properties) ? s.properties : {};
    let required = (s.required as string[]).filter((f) => !(isObject(props[f]) && props[f].nullable === true));
    if (isObject(s.additionalProperties) && s.additionalProperties.nullable === true) required = [];
    if (required.length > 0) s.required = required;
    else delete s.required;
  }
  return mapChildren(s, toV2);
}

/** The same schema without `default` anywhere (kube-openapi handler.PruneDefaults). */
function pruneDefaults(s: JSONObject): JSONObject {
  const { default: _dropped, ...rest } = s;
  return mapChildren(rest, pruneDefaults);
}

/**
 * apiVersion, kind and metadata on every x-kubernetes-embedded-resource below the root, which
 * must then carry kind and apiVersion (addEmbeddedProperties). Not in v2 where the field
 * preserves unknown fields: kubectl would then reject every other field.
 */
function withEmbeddedMeta(input: JSONObject, v2: boolean, prefix: string): JSONObject {
  const s = mapChildren(input, (child) => withEmbeddedMeta(child, v2, prefix));
  if (v2 && s['x-kubernetes-preserve-unknown-fields'] === true) return s;
  if (s['x-kubernetes-embedded-resource'] !== true) return s;
  const required = Array.isArray(s.required) ? [...(s.required as string[])] : [];
  for (const field of ['kind', 'apiVersion']) if (!required.includes(field)) required.push(field);
  return {
    ...s,
    properties: sortKeys({
      ...(isObject(s.properties) ? s.properties : {}),
      apiVersion: { description: EMBEDDED_API_VERSION, type: 'string' },
      kind: { description: EMBEDDED_KIND, type: 'string' },
      metadata: { $ref: `${prefix}${META}.ObjectMeta`, description: OBJECT_METADATA },
    }),
    required,
  };
}

// ---------------------------------------------------------------- helpers

/** A copy with `fn` applied to each sub-schema (properties, items, additionalProperties, junctors, not). */
function mapChildren(s: JSONObject, fn: (child: JSONObject) => JSONObject): JSONObject {
  const out: JSONObject = { ...s };
  if (isObject(s.properties)) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, isObject(v) ? fn(v) : v]));
  if (isObject(s.items)) out.items = fn(s.items);
  if (isObject(s.additionalProperties)) out.additionalProperties = fn(s.additionalProperties);
  for (const key of JUNCTORS) if (Array.isArray(s[key])) out[key] = (s[key] as unknown[]).map((v) => (isObject(v) ? fn(v) : v));
  if (isObject(s.not)) out.not = fn(s.not);
  return out;
}

function isObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys in byte order, as Go marshals a map. */
function sortKeys(record: JSONObject): JSONObject {
  return Object.fromEntries(Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => [k, record[k]]));
}
