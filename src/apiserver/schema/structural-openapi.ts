// The OpenAPI checks apiextensions runs on every node of a CRD schema
// (ValidateCustomResourceDefinitionOpenAPISchema in pkg/apis/apiextensions/validation): the
// JSON-Schema keywords Kubernetes does not support, defaults where they cannot work, the
// x-kubernetes-list-type / map-type rules server-side apply relies on, and the static shape of
// x-kubernetes-validations rules. It also records where CEL rules sit, so the caller can compile
// them only where the schema around them is sound (Kubernetes skips CEL below a schema error).
import { fieldError, type FieldError } from '../validation/field-errors.js';
import { validFieldPath as celFieldPath } from './cel/field-path.js';
import type { JSONSchemaProps } from './types.js';
import {
  additionalProperties,
  child,
  childPath,
  flag,
  hasDefault,
  indexPath,
  isSet,
  itemsArray,
  itemsSchema,
  keyPath,
  nodeMap,
  nodes,
  str,
  strings,
  xValidations,
  type SchemaNode,
} from './structural-node.js';

const OPENAPI_V3_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const SUPPORTED_RULE_REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const RESOURCE_META_FIELDS = new Set(['metadata', 'kind', 'apiVersion']);

/** A node carrying x-kubernetes-validations rules, reachable by CEL (through properties, items, additionalProperties). */
export interface RuleSite {
  path: string;
  node: SchemaNode;
}

/** specStandardValidator's state as it descends. */
interface Context {
  allowDefaults: boolean;
  disallowDefaultsReason: string;
  insideResourceMeta: boolean;
  /** False under allOf/anyOf/oneOf/not, where CEL has no type information. */
  celReachable: boolean;
}

export interface OpenAPIWalk {
  errors: FieldError[];
  ruleSites: RuleSite[];
}

export function walkOpenAPISchema(schema: SchemaNode, path: string): OpenAPIWalk {
  const out: OpenAPIWalk = { errors: [], ruleSites: [] };
  walk(schema, path, { allowDefaults: true, disallowDefaultsReason: '', insideResourceMeta: false, celReachable: true }, true, out);
  return out;
}

function withForbiddenDefaults(ctx: Context, reason: string): Context {
  return { ...ctx, allowDefaults: false, disallowDefaultsReason: reason };
}

/** specStandardValidatorV3.validate: keywords refused on any node. */
function standardChecks(s: SchemaNode, path: string, ctx: Context): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(s, 'type');
  if (type && !OPENAPI_V3_TYPES.includes(type)) errs.push(fieldError.notSupported(childPath(path, 'type'), type, OPENAPI_V3_TYPES));
  if (hasDefault(s) && !ctx.allowDefaults) {
    errs.push(fieldError.forbidden(childPath(path, 'default'), ctx.disallowDefaultsReason ? `must not be set ${ctx.disallowDefaultsReason}` : 'must not be set'));
  }
  if (str(s, 'id')) errs.push(fieldError.forbidden(childPath(path, 'id'), 'id is not supported'));
  if (isSet(s, 'additionalItems')) errs.push(fieldError.forbidden(childPath(path, 'additionalItems'), 'additionalItems is not supported'));
  if (nodeMap(s, 'patternProperties').length) errs.push(fieldError.forbidden(childPath(path, 'patternProperties'), 'patternProperties is not supported'));
  if (nodeMap(s, 'definitions').length) errs.push(fieldError.forbidden(childPath(path, 'definitions'), 'definitions is not supported'));
  if (isSet(s, 'dependencies')) errs.push(fieldError.forbidden(childPath(path, 'dependencies'), 'dependencies is not supported'));
  if (type === 'null') errs.push(fieldError.forbidden(childPath(path, 'type'), 'type cannot be set to null, use nullable as an alternative'));
  if (itemsArray(s)) errs.push(fieldError.forbidden(childPath(path, 'items'), 'items must be a schema object and not an array'));
  if (ctx.insideResourceMeta && flag(s, 'x-kubernetes-embedded-resource')) {
    errs.push(fieldError.forbidden(childPath(path, 'x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'));
  }
  return errs;
}

function walk(s: SchemaNode, path: string, ctx: Context, isRoot: boolean, out: OpenAPIWalk): void {
  const errs = out.errors;
  errs.push(...standardChecks(s, path, ctx));
  if (s.uniqueItems === true) {
    errs.push(fieldError.forbidden(childPath(path, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  }
  const properties = nodeMap(s, 'properties');
  // additionalProperties is for maps, properties for structs: both would contradict the
  // convention that unknown fields are dropped.
  const additional = additionalProperties(s);
  if (additional) {
    if (properties.length > 0 && (!additional.allows || additional.schema)) {
      errs.push(fieldError.forbidden(childPath(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    }
    // Pruning a default inside metadata's maps would be ambiguous without the value.
    const sub = ctx.insideResourceMeta ? withForbiddenDefaults(ctx, 'inside additionalProperties applying to object metadata') : ctx;
    if (additional.schema) walk(additional.schema, childPath(path, 'additionalProperties'), sub, false, out);
  }
  const embedded = flag(s, 'x-kubernetes-embedded-resource');
  for (const [k, p] of properties) {
    let sub = ctx;
    if ((isRoot || embedded) && RESOURCE_META_FIELDS.has(k)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = withForbiddenDefaults(sub, `in top-level ${k}`);
    }
    walk(p, keyPath(childPath(path, 'properties'), k), sub, false, out);
  }
  const junctor = { ...ctx, celReachable: false };
  const not = child(s, 'not');
  if (not) walk(not, childPath(path, 'not'), junctor, false, out);
  for (const key of ['allOf', 'oneOf', 'anyOf']) nodes(s, key).forEach((n, i) => walk(n, indexPath(childPath(path, key), i), junctor, false, out));
  for (const [k, d] of nodeMap(s, 'definitions')) walk(d, keyPath(childPath(path, 'definitions'), k), junctor, false, out);
  const items = itemsSchema(s);
  if (items) walk(items, childPath(path, 'items'), ctx, false, out);
  itemsArray(s)?.forEach((n, i) => walk(n, indexPath(childPath(path, 'items'), i), ctx, false, out));
  for (const [k, d] of nodeMap(s, 'dependencies')) walk(d, keyPath(childPath(path, 'dependencies'), k), junctor, false, out);

  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    errs.push(fieldError.invalid(childPath(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  }
  errs.push(...mapAndListTypes(s, path), ...mapListKeysMapSet(s, path), ...ruleShapes(s, path));
  if (xValidations(s).length > 0 && ctx.celReachable) out.ruleSites.push({ path, node: s });
}

/** Required when the type is missing, Invalid when it is another type. */
function typeMustBe(s: SchemaNode, path: string, type: string, detail: string): FieldError {
  const actual = str(s, 'type');
  return actual ? fieldError.invalid(childPath(path, 'type'), actual, detail) : fieldError.required(childPath(path, 'type'), detail);
}

function mapAndListTypes(s: SchemaNode, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(s, 'type');
  const mapType = s['x-kubernetes-map-type'];
  const listType = s['x-kubernetes-list-type'];
  if (isSet(s, 'x-kubernetes-map-type') && type !== 'object') errs.push(typeMustBe(s, path, 'object', 'must be object if x-kubernetes-map-type is specified'));
  if (isSet(s, 'x-kubernetes-map-type') && mapType !== 'atomic' && mapType !== 'granular') {
    errs.push(fieldError.notSupported(childPath(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  }
  const items = itemsSchema(s);
  if (isSet(s, 'x-kubernetes-list-type') && type !== 'array') {
    errs.push(typeMustBe(s, path, 'array', 'must be array if x-kubernetes-list-type is specified'));
  } else if (listType === 'set' && items) {
    // A set compares whole items, so an item must be atomic to be comparable.
    const detail = 'must be atomic as item of a list with x-kubernetes-list-type=set';
    const itemListType = items['x-kubernetes-list-type'];
    if (str(items, 'type') === 'array' && isSet(items, 'x-kubernetes-list-type') && itemListType !== 'atomic') {
      errs.push(fieldError.invalid(childPath(path, 'items', 'x-kubernetes-list-type'), itemListType, detail));
    }
    // Kubernetes reports the item's list type here (a slip in its code), which is null for an object.
    if (str(items, 'type') === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      errs.push(fieldError.invalid(childPath(path, 'items', 'x-kubernetes-map-type'), itemListType ?? null, detail));
    }
  }
  if (isSet(s, 'x-kubernetes-list-type') && listType !== 'atomic' && listType !== 'set' && listType !== 'map') {
    errs.push(fieldError.notSupported(childPath(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  }
  const keys = strings(s, 'x-kubernetes-list-map-keys');
  if (keys.length > 0) {
    const detail = 'must be map if x-kubernetes-list-map-keys is non-empty';
    if (!isSet(s, 'x-kubernetes-list-type')) errs.push(fieldError.required(childPath(path, 'x-kubernetes-list-type'), detail));
    else if (listType !== 'map') errs.push(fieldError.invalid(childPath(path, 'x-kubernetes-list-type'), listType, detail));
  }
  if (listType !== 'map') return errs;
  if (keys.length === 0) errs.push(fieldError.required(childPath(path, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
  if (!isSet(s, 'items')) errs.push(fieldError.required(childPath(path, 'items'), 'must have a schema if x-kubernetes-list-type is map'));
  if (isSet(s, 'items') && !items) errs.push(fieldError.invalid(childPath(path, 'items'), s.items, 'must only have a single schema if x-kubernetes-list-type is map'));
  if (items && str(items, 'type') !== 'object') {
    errs.push(fieldError.invalid(childPath(path, 'items', 'type'), str(items, 'type'), "must be object if parent array's x-kubernetes-list-type is map"));
  }
  if (items && str(items, 'type') === 'object') {
    const props = new Map(nodeMap(items, 'properties'));
    const seen = new Set<string>();
    for (const k of keys) {
      const p = props.get(k);
      if (!p) {
        errs.push(fieldError.invalid(childPath(path, 'x-kubernetes-list-map-keys'), keys, 'entries must all be names of item properties'));
      } else if (str(p, 'type') === 'array' || str(p, 'type') === 'object') {
        // As in Kubernetes, the value shown is the item's type, not the key's.
        errs.push(
          fieldError.invalid(childPath(keyPath(childPath(path, 'items', 'properties'), k), 'type'), 'object', "must be a scalar type if parent array's x-kubernetes-list-type is map"),
        );
      }
      if (seen.has(k)) errs.push(fieldError.invalid(childPath(path, 'x-kubernetes-list-map-keys'), keys, 'must not contain duplicate entries'));
      seen.add(k);
    }
  }
  return errs;
}

/** validateMapListKeysMapSet: keys that always exist and are never null, items that are never null. */
function mapListKeysMapSet(s: SchemaNode, path: string): FieldError[] {
  const items = itemsSchema(s);
  const listType = s['x-kubernetes-list-type'];
  if (!items || (listType !== 'set' && listType !== 'map')) return [];
  const errs: FieldError[] = [];
  if (flag(items, 'nullable')) errs.push(fieldError.forbidden(childPath(path, 'items', 'nullable'), `cannot be nullable when x-kubernetes-list-type is ${listType}`));
  if (listType !== 'map') return errs;
  const required = new Set(strings(items, 'required'));
  const props = new Map(nodeMap(items, 'properties'));
  for (const k of strings(s, 'x-kubernetes-list-map-keys')) {
    const p = props.get(k);
    if (!p) continue;
    const keyField = keyPath(childPath(path, 'items', 'properties'), k);
    if (!required.has(k) && !hasDefault(p)) {
      errs.push(fieldError.required(childPath(keyField, 'default'), 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
    }
    if (flag(p, 'nullable')) errs.push(fieldError.forbidden(childPath(keyField, 'nullable'), 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
  }
  return errs;
}

const hasNewlines = (v: string): boolean => /[\n\r]/.test(v);

/** The static shape of each x-kubernetes-validations rule (compiling it is the caller's part). */
function ruleShapes(s: SchemaNode, path: string): FieldError[] {
  const errs: FieldError[] = [];
  xValidations(s).forEach((rule, i) => {
    const rulePath = indexPath(childPath(path, 'x-kubernetes-validations'), i);
    const expr = str(rule, 'rule').trim();
    const message = str(rule, 'message');
    const messageExpression = str(rule, 'messageExpression');
    if (!expr) errs.push(fieldError.required(childPath(rulePath, 'rule'), 'rule is not specified'));
    else if (message.length > 0 && message.trim().length === 0) errs.push(fieldError.invalid(childPath(rulePath, 'message'), message, 'message must be non-empty if specified'));
    else if (message.length > 2048) errs.push(fieldError.invalid(childPath(rulePath, 'message'), message, 'message must have a maximum length of 2048 characters'));
    else if (hasNewlines(message.trim())) errs.push(fieldError.invalid(childPath(rulePath, 'message'), message, 'message must not contain line breaks'));
    else if (hasNewlines(expr) && message.trim().length === 0) {
      errs.push(fieldError.required(childPath(rulePath, 'message'), 'message must be specified if rule contains line breaks'));
    }
    if (messageExpression.length > 0 && messageExpression.trim().length === 0) {
      errs.push(fieldError.required(childPath(rulePath, 'messageExpression'), 'messageExpression must be non-empty if specified'));
    }
    if (isSet(rule, 'reason') && !SUPPORTED_RULE_REASONS.includes(rule.reason as string)) {
      errs.push(fieldError.notSupported(childPath(rulePath, 'reason'), rule.reason, SUPPORTED_RULE_REASONS));
    }
    const fieldPath = str(rule, 'fieldPath');
    if (fieldPath.length > 0 && fieldPath.trim().length === 0) errs.push(fieldError.invalid(childPath(rulePath, 'fieldPath'), fieldPath, 'fieldPath must be non-empty if specified'));
    if (hasNewlines(fieldPath)) errs.push(fieldError.invalid(childPath(rulePath, 'fieldPath'), fieldPath, 'fieldPath must not contain line breaks'));
    if (fieldPath.length > 0 && 'error' in celFieldPath(fieldPath, s as JSONSchemaProps)) errs.push(fieldError.invalid(childPath(rulePath, 'fieldPath'), fieldPath, 'fieldPath must be a valid path'));
  });
  return errs;
}
