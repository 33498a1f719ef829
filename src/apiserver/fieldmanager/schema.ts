// The shape of a kind as server-side apply sees it (structured-merge-diff's schema.Map / List /
// Scalar), read from OpenAPI: the built-in definitions /openapi/v3 publishes, or a custom
// resource's structural schema. List semantics follow kube-openapi's schemaconv:
// x-kubernetes-list-type atomic / set / map (+ x-kubernetes-list-map-keys); for built-in kinds
// without a list type, x-kubernetes-patch-strategy "merge" makes a keyed list by
// x-kubernetes-patch-merge-key (a set without one); every other list is atomic.
// x-kubernetes-map-type atomic makes a map a leaf. Nodes resolve lazily: kinds are recursive.

export type TypeNode =
  | { readonly kind: 'scalar' }
  | {
      readonly kind: 'map';
      readonly atomic: boolean;
      field(name: string): TypeNode | undefined;
      readonly elementType?: TypeNode;
      /**
       * Fields a built-in kind's Go type always serializes: non-pointer structs (OpenAPI
       * `default: {}`) and required fields (no omitempty, so null when unset).
       */
      zeroFields(): { readonly struct: readonly string[]; readonly required: readonly string[] };
    }
  | {
      readonly kind: 'list';
      readonly listType: 'atomic' | 'set' | 'map';
      readonly keys: readonly string[];
      /** Values a map-list item's missing key fields take (their schema defaults), as SMD keys items. */
      readonly keyDefaults?: Readonly<Record<string, unknown>>;
      readonly items: TypeNode;
    }
  /** No schema (x-kubernetes-preserve-unknown-fields, unknown kinds): deduced from the value, as SMD's DeducedParseableType. */
  | { readonly kind: 'deduced' };

type Schema = Record<string, unknown>;

export const DEDUCED: TypeNode = Object.freeze({ kind: 'deduced' });
const SCALAR: TypeNode = Object.freeze({ kind: 'scalar' });
const REF_PREFIX = '#/components/schemas/';
const EMBEDDED_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function asSchema(v: unknown): Schema | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : undefined;
}

export interface SchemaSource {
  /** `components.schemas` that $refs point into (empty for a custom resource). */
  definitions: Readonly<Record<string, unknown>>;
  /**
   * Built-in kinds read patch strategies when a list has no x-kubernetes-list-type, and have
   * Go struct fields that are never absent; custom resources have neither.
   */
  builtin: boolean;
}

const cache = new WeakMap<object, TypeNode>();

/** The TypeNode of a schema; cached per schema object, so calling it per request is cheap. */
export function typeFromSchema(schema: Readonly<Schema>, source: SchemaSource): TypeNode {
  const hit = cache.get(schema);
  if (hit) return hit;
  const node = build(resolve(schema, source), source);
  cache.set(schema, node);
  return node;
}

/** The definition followed through `$ref` and `allOf: [{$ref}]` wrappers; outer schemas first. */
function resolve(schema: Schema | undefined, source: SchemaSource, seen = new Set<Schema>()): Schema[] {
  if (!schema || seen.has(schema)) return [];
  seen.add(schema);
  const out = [schema];
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith(REF_PREFIX)) {
    out.push(...resolve(asSchema(source.definitions[schema.$ref.slice(REF_PREFIX.length)]), source, seen));
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) out.push(...resolve(asSchema(part), source, seen));
  return out;
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

function pick(chain: Schema[], key: string): unknown {
  for (const s of chain) if (s[key] !== undefined) return s[key];
  return undefined;
}

function build(chain: Schema[], source: SchemaSource): TypeNode {
  const type = pick(chain, 'type');
  if (pick(chain, 'x-kubernetes-int-or-string') === true) return SCALAR;
  const items = asSchema(pick(chain, 'items'));
  if (type === 'array' || items) return buildList(chain, items, source);
  const properties = chain.map((s) => asSchema(s.properties)).filter((p): p is Schema => p !== undefined);
  const additional = pick(chain, 'additionalProperties');
  if (type === 'object' || properties.length || additional !== undefined) {
    // An object with neither properties nor an element schema holds anything (RawExtension, preserved fields).
    if (!properties.length && (additional === undefined || additional === true)) return DEDUCED;
    const preserve = pick(chain, 'x-kubernetes-preserve-unknown-fields') === true;
    const elementSchema = asSchema(additional);
    const fields = new Map<string, TypeNode | undefined>();
    const embedded = pick(chain, 'x-kubernetes-embedded-resource') === true;
    const zeroFields = () => {
      if (!source.builtin) return { struct: [], required: [] };
      const names = properties.flatMap((props) => Object.entries(props));
      const required = pick(chain, 'required');
      return {
        struct: names.filter(([, p]) => isEmptyObject(asSchema(p)?.default)).map(([n]) => n),
        required: Array.isArray(required) ? required.map(String) : [],
      };
    };
    return {
      zeroFields,
      kind: 'map',
      atomic: pick(chain, 'x-kubernetes-map-type') === 'atomic',
      elementType: elementSchema ? typeFromSchema(elementSchema, source) : preserve ? DEDUCED : undefined,
      field(name: string): TypeNode | undefined {
        if (fields.has(name)) return fields.get(name);
        const p = properties.map((props) => asSchema(props[name])).find((s) => s !== undefined);
        // An embedded resource has apiVersion, kind and metadata whether its schema lists them or not.
        const implied = embedded && EMBEDDED_FIELDS.has(name) ? DEDUCED : undefined;
        const t = p ? typeFromSchema(p, source) : implied;
        fields.set(name, t);
        return t;
      },
    };
  }
  if (type === undefined && pick(chain, 'x-kubernetes-preserve-unknown-fields') === true) return DEDUCED;
  return type === undefined && pick(chain, 'format') === undefined ? DEDUCED : SCALAR;
}

/**
 * Defaults of a map-list's key fields, so an applied item that leaves `protocol` out matches
 * the live one the server defaulted to TCP (structured-merge-diff keys items with the schema's
 * defaults). Custom resources carry their defaults in the schema; kube's built-in OpenAPI says
 * `default: "TCP"` for every port protocol key, which the definitions here (from the client
 * models) leave out, so that one is named.
 */
function keyDefaults(items: Schema | undefined, keys: string[], source: SchemaSource): Record<string, unknown> | undefined {
  const props = resolve(items, source).map((s) => asSchema(s.properties)).filter((p): p is Schema => p !== undefined);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const d = props.map((p) => asSchema(p[k])?.default).find((v) => v !== undefined);
    if (d !== undefined) out[k] = d;
    else if (source.builtin && k === 'protocol') out[k] = 'TCP';
  }
  return Object.keys(out).length ? out : undefined;
}

function buildList(chain: Schema[], items: Schema | undefined, source: SchemaSource): TypeNode {
  const itemType = items ? typeFromSchema(items, source) : DEDUCED;
  const listType = pick(chain, 'x-kubernetes-list-type');
  if (listType === 'map') {
    const raw = pick(chain, 'x-kubernetes-list-map-keys');
    const keys = Array.isArray(raw) ? raw.map(String) : [];
    return { kind: 'list', listType: 'map', keys, keyDefaults: keyDefaults(items, keys, source), items: itemType };
  }
  if (listType === 'set' || listType === 'atomic') return { kind: 'list', listType, keys: [], items: itemType };
  if (source.builtin && String(pick(chain, 'x-kubernetes-patch-strategy') ?? '').split(',').includes('merge')) {
    const mergeKey = pick(chain, 'x-kubernetes-patch-merge-key');
    if (typeof mergeKey === 'string') return { kind: 'list', listType: 'map', keys: [mergeKey], items: itemType };
    return { kind: 'list', listType: 'set', keys: [], items: itemType };
  }
  return { kind: 'list', listType: 'atomic', keys: [], items: itemType };
}
