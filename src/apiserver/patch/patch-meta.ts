// The schema facts a strategic merge patch needs: for each field of a map, its patch strategy
// and merge key (the Go struct tags `patchStrategy` / `patchMergeKey`, published in OpenAPI as
// x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key), and the schema of its value.
// Mirrors k8s.io/apimachinery pkg/util/strategicpatch types.go (LookupPatchMeta,
// PatchMetaFromOpenAPI), read from the OpenAPI v3 components the apiserver publishes.

export interface PatchFieldMeta {
  /** x-kubernetes-patch-merge-key: the key that identifies an item of a merged list of maps. */
  mergeKey?: string;
  /** x-kubernetes-patch-strategy: "merge", "replace", "retainKeys" or "merge,retainKeys". */
  strategy?: string;
  /** x-kubernetes-list-type ("atomic", "set", "map"); informational, SMP itself ignores it. */
  listType?: string;
  /** The PatchMeta of the field's value, or of the list's items when the field is a list. */
  sub: PatchMeta;
}

export interface PatchMeta {
  /** Metadata of a field of the current map, and the PatchMeta for the field's value (or for the list's items). */
  field(name: string): PatchFieldMeta | undefined;
}

/** Every field unknown: lists replace, maps merge (what a merge patch or an unknown kind gets). */
export const NO_PATCH_META: PatchMeta = Object.freeze({
  field(): undefined {
    return undefined;
  },
});

type Schema = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';

function asSchema(v: unknown): Schema | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : undefined;
}

/** Per components map: the PatchMeta built for each schema object, so recursive types stay finite. */
const cache = new WeakMap<object, { byDefinition: Map<string, PatchMeta>; bySchema: WeakMap<Schema, PatchMeta> }>();

function cacheFor(schemas: Record<string, unknown>) {
  let c = cache.get(schemas);
  if (!c) {
    c = { byDefinition: new Map(), bySchema: new WeakMap() };
    cache.set(schemas, c);
  }
  return c;
}

/**
 * The PatchMeta of a definition in an OpenAPI v3 `components.schemas` map (keys like
 * "io.k8s.api.core.v1.Pod"). Field lookups are lazy and memoised; results are cached per
 * `schemas` object, so calling this on every PATCH request is cheap.
 */
export function patchMetaFromOpenAPI(schemas: Record<string, unknown>, definition: string): PatchMeta {
  const c = cacheFor(schemas);
  let meta = c.byDefinition.get(definition);
  if (!meta) {
    const schema = asSchema(schemas[definition]);
    meta = schema ? metaForSchema(schemas, schema) : NO_PATCH_META;
    c.byDefinition.set(definition, meta);
  }
  return meta;
}

/**
 * Follows `$ref` and single-purpose `allOf: [{$ref}]` wrappers to the schema that carries
 * `type`, `properties`, `items` or `additionalProperties`. A `seen` set guards against $ref cycles.
 */
function resolve(schemas: Record<string, unknown>, schema: Schema | undefined, seen = new Set<Schema>()): Schema[] {
  if (!schema || seen.has(schema)) return [];
  seen.add(schema);
  const out: Schema[] = [schema];
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith(REF_PREFIX)) {
    out.push(...resolve(schemas, asSchema(schemas[ref.slice(REF_PREFIX.length)]), seen));
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) out.push(...resolve(schemas, asSchema(part), seen));
  }
  return out;
}

/** The first value of `key` along a resolved chain (the outermost schema wins). */
function pick(chain: Schema[], key: string): unknown {
  for (const s of chain) if (s[key] !== undefined) return s[key];
  return undefined;
}

function isArraySchema(chain: Schema[]): boolean {
  return pick(chain, 'type') === 'array' || pick(chain, 'items') !== undefined;
}

function metaForSchema(schemas: Record<string, unknown>, schema: Schema): PatchMeta {
  const c = cacheFor(schemas);
  const cached = c.bySchema.get(schema);
  if (cached) return cached;
  const chain = resolve(schemas, schema);
  const fields = new Map<string, PatchFieldMeta | undefined>();
  const meta: PatchMeta = {
    field(name: string): PatchFieldMeta | undefined {
      if (fields.has(name)) return fields.get(name);
      const found = lookupField(schemas, chain, name);
      fields.set(name, found);
      return found;
    },
  };
  c.bySchema.set(schema, meta);
  return meta;
}

function lookupField(schemas: Record<string, unknown>, chain: Schema[], name: string): PatchFieldMeta | undefined {
  let property: Schema | undefined;
  for (const s of chain) {
    const props = asSchema(s.properties);
    if (props && Object.prototype.hasOwnProperty.call(props, name)) {
      property = asSchema(props[name]);
      break;
    }
  }
  // A map type (map[string]T): every key has the additionalProperties schema and no strategy.
  property ??= asSchema(pick(chain, 'additionalProperties'));
  if (!property) return undefined;
  const propChain = resolve(schemas, property);
  let valueSchema: Schema | undefined = property;
  if (isArraySchema(propChain)) valueSchema = asSchema(pick(propChain, 'items'));
  const out: PatchFieldMeta = { sub: valueSchema ? metaForSchema(schemas, valueSchema) : NO_PATCH_META };
  const mergeKey = pick(propChain, 'x-kubernetes-patch-merge-key');
  const strategy = pick(propChain, 'x-kubernetes-patch-strategy');
  const listType = pick(propChain, 'x-kubernetes-list-type');
  if (typeof mergeKey === 'string') out.mergeKey = mergeKey;
  if (typeof strategy === 'string') out.strategy = strategy;
  if (typeof listType === 'string') out.listType = listType;
  return out;
}
