// fieldValidation=Strict|Warn|Ignore (KEP-2885): unknown fields found by walking the kind's
// OpenAPI schema, duplicate fields found in the raw JSON; Strict fails the request with
// `strict decoding error: ...`, Warn returns them as Warning headers.
import * as errors from '../errors.js';
import type { KubeObject } from '../object.js';
import { isPlainObject } from '../object.js';
import { builtinDefinitions } from '../openapi/definitions.js';
import type { ResourceType } from '../registry/strategy.js';
import { mediaType } from './decode.js';
import { findDuplicateKeys } from './json-duplicates.js';
import type { FieldValidation } from './request.js';

type Schema = Record<string, unknown>;

/** Schemas followed through their $refs, once each: prune runs on every write. */
const resolved = new WeakMap<object, Schema | undefined>();

function resolve(schema: unknown): Schema | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  if (resolved.has(schema)) return resolved.get(schema);
  const s = follow(schema as Schema);
  resolved.set(schema, s);
  return s;
}

function follow(schema: Schema): Schema | undefined {
  let s: Schema | undefined = schema;
  for (let depth = 0; s && depth < 10; depth++) {
    const ref = (s.$ref as string | undefined) ?? ((s.allOf as Schema[] | undefined)?.[0]?.$ref as string | undefined);
    if (!ref) return s;
    s = builtinDefinitions[ref.replace('#/components/schemas/', '')] as Schema | undefined;
  }
  return s;
}

/**
 * Returns `value` without the fields its schema doesn't declare (what decoding into the Go
 * types does to a built-in object), recording each dropped field's path in `out`.
 */
function prune(value: unknown, schema: Schema | undefined, path: string, out: string[]): unknown {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields'] === true) return value;
  if (Array.isArray(value)) {
    const items = resolve(schema.items);
    let changed = false;
    const next = value.map((v, i) => {
      const p = prune(v, items, `${path}[${i}]`, out);
      if (p !== v) changed = true;
      return p;
    });
    return changed ? next : value;
  }
  if (!isPlainObject(value)) return value;
  const props = schema.properties as Record<string, unknown> | undefined;
  const additional = schema.additionalProperties;
  let result: Record<string, unknown> | undefined;
  for (const k in value) {
    const v = value[k];
    const childPath = path ? `${path}.${k}` : k;
    let next: unknown = v;
    if (props && k in props) next = prune(v, resolve(props[k]), childPath, out);
    else if (isPlainObject(additional)) next = prune(v, resolve(additional), childPath, out);
    else if (props) {
      out.push(childPath);
      result ??= { ...value };
      delete result[k];
      continue;
    }
    if (next !== v) {
      result ??= { ...value };
      result[k] = next;
    }
  }
  return result ?? value;
}

function definitionSchema(definition: string): Schema | undefined {
  if (!definitionSchemas.has(definition)) definitionSchemas.set(definition, follow({ $ref: `#/components/schemas/${definition}` }));
  return definitionSchemas.get(definition);
}

const definitionSchemas = new Map<string, Schema | undefined>();

/** The paths of fields `obj` has that the definition doesn't declare. */
export function unknownFields(definition: string, obj: unknown): string[] {
  const out: string[] = [];
  prune(obj, definitionSchema(definition), '', out);
  return out;
}

export interface CheckedObject {
  object: KubeObject;
  warnings: string[];
}

/**
 * Drops unknown fields of a built-in object; Strict fails on them (and on duplicate fields)
 * with 400, Warn returns them as warnings, Ignore drops them silently.
 */
export function checkFields(rt: ResourceType, obj: KubeObject, rawBody: Buffer | undefined, contentType: string | undefined, mode: FieldValidation): CheckedObject {
  const problems: string[] = [];
  if (mode !== 'Ignore' && rawBody && mediaType(contentType || 'application/json') === 'application/json') {
    for (const d of findDuplicateKeys(rawBody.toString('utf8'))) problems.push(`duplicate field "${d}"`);
  }
  let object = obj;
  if (rt.pruneUnknownFields) {
    const pruned = rt.pruneUnknownFields(obj);
    object = pruned.object;
    for (const f of pruned.unknown) problems.push(`unknown field "${f}"`);
  } else if (rt.openAPIDefinition && rt.openAPIDefinition in builtinDefinitions) {
    const unknown: string[] = [];
    object = prune(obj, definitionSchema(rt.openAPIDefinition), '', unknown) as KubeObject;
    for (const f of unknown) problems.push(`unknown field "${f}"`);
  }
  if (mode === 'Ignore' || problems.length === 0) return { object, warnings: [] };
  if (mode === 'Strict') {
    // The decoder's wording for a full object (create, update); a patch's result is reported bare.
    const prefix = rawBody ? `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: ` : '';
    throw errors.badRequest(`${prefix}strict decoding error: ${problems.join(', ')}`);
  }
  return { object, warnings: problems };
}
