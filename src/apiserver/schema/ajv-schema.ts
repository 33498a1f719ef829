// Compiles a CRD's openAPIV3Schema into an ajv validator. The schema is first rewritten into the
// JSON Schema draft-07 ajv speaks, the way apiextensions-apiserver converts it for kube-openapi
// (pkg/apiserver/validation/validation.go ConvertJSONSchemaPropsWithPostProcess):
//   - nullable: true adds "null" to the type; x-kubernetes-int-or-string means type integer|string;
//   - OpenAPI 3.0 boolean exclusiveMinimum/exclusiveMaximum become draft-07 numeric bounds;
//   - formats kube-apiserver does not support are stripped (StripUnsupportedFormatsPostProcess);
//   - descriptions, defaults, examples and x-kubernetes-* extensions carry no validation.
import { Ajv, type ValidateFunction } from 'ajv';
import { kubeFormats, supportedFormat } from './formats.js';
import { goRegExp } from './go-regexp.js';
import type { JSONSchemaProps } from './types.js';

type AjvNode = Record<string, unknown>;

export interface AjvCompiled {
  validate: ValidateFunction;
  /** The translated root, for resolving an error's schemaPath. */
  root: AjvNode;
  /** The CRD schema node each translated node came from (ajv's verbose parentSchema is the translated node). */
  origin: WeakMap<object, JSONSchemaProps>;
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
// Any other type is rejected by CRD validation; ignoring it here keeps compiling total.
const JSON_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

function translate(s: JSONSchemaProps, origin: WeakMap<object, JSONSchemaProps>): AjvNode {
  const out: AjvNode = {};
  origin.set(out, s);
  const types = s['x-kubernetes-int-or-string'] ? ['integer', 'string'] : s.type && JSON_TYPES.has(s.type) ? [s.type] : [];
  if (types.length > 0) {
    const all = s.nullable ? [...types, 'null'] : types;
    out.type = all.length === 1 ? all[0] : all;
  }
  const format = supportedFormat(s.format);
  if (format) out.format = format;
  if (Array.isArray(s.enum) && s.enum.length > 0) out.enum = s.enum;

  if (num(s.minimum)) out[s.exclusiveMinimum ? 'exclusiveMinimum' : 'minimum'] = s.minimum;
  if (num(s.maximum)) out[s.exclusiveMaximum ? 'exclusiveMaximum' : 'maximum'] = s.maximum;
  if (num(s.multipleOf) && s.multipleOf > 0) out.multipleOf = s.multipleOf;

  if (num(s.minLength)) out.minLength = s.minLength;
  if (num(s.maxLength)) out.maxLength = s.maxLength;
  if (typeof s.pattern === 'string' && s.pattern !== '') out.pattern = s.pattern;

  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) out.items = translate(s.items, origin);
  if (num(s.minItems)) out.minItems = s.minItems;
  if (num(s.maxItems)) out.maxItems = s.maxItems;
  if (s.uniqueItems === true) out.uniqueItems = true;

  if (s.properties && typeof s.properties === 'object') {
    const props: Record<string, AjvNode> = {};
    for (const [k, v] of Object.entries(s.properties)) props[k] = translate(v, origin);
    out.properties = props;
  }
  if (s.additionalProperties === false) out.additionalProperties = false;
  else if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) {
    out.additionalProperties = translate(s.additionalProperties, origin);
  }
  if (Array.isArray(s.required) && s.required.length > 0) out.required = s.required;
  if (num(s.minProperties)) out.minProperties = s.minProperties;
  if (num(s.maxProperties)) out.maxProperties = s.maxProperties;

  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[k];
    if (Array.isArray(list) && list.length > 0) out[k] = list.map((b) => translate(b, origin));
  }
  if (s.not && typeof s.not === 'object') out.not = translate(s.not, origin);
  return out;
}

// One ajv instance for every CRD: compiled functions are independent of it once built, and the
// schema is removed from its cache right after compiling so old CRD generations can be collected.
let shared: Ajv | undefined;
function ajv(): Ajv {
  shared ??= new Ajv({
    strict: false,
    allErrors: true,
    verbose: true,
    validateSchema: false,
    addUsedSchema: false,
    logger: false,
    unicodeRegExp: true,
    multipleOfPrecision: 9,
    // Without ajv's code optimisation passes a CRD's validator compiles in about half the time
    // (most of the wait between creating a CRD and its first custom resource being accepted),
    // for each validation a few tens of microseconds slower: far less than a request costs.
    code: { regExp: goRegExp, optimize: false },
    formats: { ...kubeFormats },
  });
  return shared;
}

/**
 * Compiled validators by schema text, shared by every cluster in the process: a test suite
 * starting a cluster per file installs the same CRDs over and over, and compiling is the
 * costly part of serving one. The origin map points into the first copy's nodes, which are
 * equal in value to every later copy's (only their values are read).
 */
const compiledBySchema = new Map<string, AjvCompiled>();
const MAX_COMPILED = 256;

export function compileAjv(schema: JSONSchemaProps): AjvCompiled {
  const key = JSON.stringify(schema);
  const cached = compiledBySchema.get(key);
  if (cached) return cached;
  const compiled = compileUncached(schema);
  if (compiledBySchema.size >= MAX_COMPILED) compiledBySchema.delete(compiledBySchema.keys().next().value!);
  compiledBySchema.set(key, compiled);
  return compiled;
}

function compileUncached(schema: JSONSchemaProps): AjvCompiled {
  const origin = new WeakMap<object, JSONSchemaProps>();
  const root = translate(schema, origin);
  const instance = ajv();
  const validate = instance.compile(root);
  instance.removeSchema(root);
  return { validate, root, origin };
}

/** The translated node at an ajv schemaPath ("#/properties/spec/anyOf"). */
export function nodeAt(root: AjvNode, schemaPath: string): unknown {
  let cur: unknown = root;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (raw === '' || cur === null || typeof cur !== 'object') continue;
    const seg = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
