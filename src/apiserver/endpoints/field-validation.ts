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

function resolve(schema: unknown): Schema | undefined {
  let s = schema as Schema | undefined;
  for (let depth = 0; s && depth < 10; depth++) {
    const ref = (s.$ref as string | undefined) ?? ((s.allOf as Schema[] | undefined)?.[0]?.$ref as string | undefined);
    if (!ref) return s;
    s = builtinDefinitions[ref.replace('#/components/schemas/', '')] as Schema | undefined;
  }
  return s;
}

function walk(value: unknown, schema: Schema | undefined, path: string, out: string[]): void {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    const items = resolve(schema.items);
    value.forEach((v, i) => walk(v, items, `${path}[${i}]`, out));
    return;
  }
  if (!isPlainObject(value)) return;
  const props = schema.properties as Record<string, unknown> | undefined;
  const additional = schema.additionalProperties;
  for (const [k, v] of Object.entries(value)) {
    const childPath = path ? `${path}.${k}` : k;
    if (props && k in props) walk(v, resolve(props[k]), childPath, out);
    else if (isPlainObject(additional)) walk(v, resolve(additional), childPath, out);
    else if (props) out.push(childPath);
  }
}

export function unknownFields(definition: string, obj: unknown): string[] {
  const out: string[] = [];
  walk(obj, resolve({ $ref: `#/components/schemas/${definition}` }), '', out);
  return out;
}

/** Returns warnings for Warn, throws 400 for Strict, nothing for Ignore. */
export function checkFields(rt: ResourceType, obj: KubeObject, rawBody: Buffer | undefined, contentType: string | undefined, mode: FieldValidation): string[] {
  if (mode === 'Ignore') return [];
  const problems: string[] = [];
  if (rawBody && mediaType(contentType || 'application/json') === 'application/json') {
    for (const d of findDuplicateKeys(rawBody.toString('utf8'))) problems.push(`duplicate field "${d}"`);
  }
  if (rt.openAPIDefinition && rt.openAPIDefinition in builtinDefinitions) {
    for (const f of unknownFields(rt.openAPIDefinition, obj)) problems.push(`unknown field "${f}"`);
  }
  if (problems.length === 0) return [];
  if (mode === 'Strict') throw errors.badRequest(`strict decoding error: ${problems.join(', ')}`);
  return problems;
}
