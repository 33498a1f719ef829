// Whether an openAPIV3Schema is "structural", as k8s.io/apiextensions-apiserver
// pkg/apiserver/schema (convert.go NewStructural, validation.go ValidateStructural,
// complete.go) decides it: every level specifies a type (except under
// x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields), allOf/anyOf/oneOf/not
// only validate values and never introduce a field the structure does not declare, and
// metadata may only constrain name and generateName. Pruning and defaulting need that
// structure, which is why a v1 CRD must have it.
import { fieldError, fieldErrorMessage, type FieldError } from '../validation/field-errors.js';
import {
  additionalProperties,
  childPath,
  flag,
  hasDefault,
  indexPath,
  isSet,
  itemsSchema,
  keyPath,
  nodeMap,
  nodes,
  str,
  strings,
  xValidations,
  child,
  type SchemaNode,
} from './structural-node.js';
import { validateGoPattern } from './structural-pattern.js';

const enum Level {
  Root,
  Item,
  Field,
}

/**
 * NewStructural's refusals: fields a structural schema cannot hold. Their messages are only
 * shown when nothing else is wrong (they overlap with the OpenAPI checks), so they are returned
 * apart as plain strings; the first one found wins, as NewStructural returns at its first error.
 */
export function newStructuralError(s: SchemaNode): string | undefined {
  if (str(s, 'id')) return "OpenAPIV3Schema 'id' is not supported";
  if (str(s, '$schema')) return "OpenAPIV3Schema 'schema' is not supported";
  if (str(s, '$ref')) return "OpenAPIV3Schema '$ref' is not supported";
  if (nodeMap(s, 'patternProperties').length > 0) return "OpenAPIV3Schema 'patternProperties' is not supported";
  if (nodeMap(s, 'dependencies').length > 0) return "OpenAPIV3Schema 'dependencies' is not supported";
  if (isSet(s, 'additionalItems')) return "OpenAPIV3Schema 'additionalItems' is not supported";
  if (nodeMap(s, 'definitions').length > 0) return "OpenAPIV3Schema 'definitions' is not supported";
  if (s['x-kubernetes-preserve-unknown-fields'] === false) return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined";
  if (Array.isArray(s.items) && s.items.length > 0) return "OpenAPIV3Schema 'items' must be a schema, but is an array";
  const subschemas = [
    ...nodes(s, 'allOf'),
    ...nodes(s, 'anyOf'),
    ...nodes(s, 'oneOf'),
    ...(child(s, 'not') ? [child(s, 'not')!] : []),
    ...(itemsSchema(s) ? [itemsSchema(s)!] : []),
    ...nodeMap(s, 'properties').map(([, p]) => p),
    ...(additionalProperties(s)?.schema ? [additionalProperties(s)!.schema!] : []),
  ];
  for (const sub of subschemas) {
    const err = newStructuralError(sub);
    if (err) return err;
  }
  return undefined;
}

/** ValidateStructural: invariants and completeness, sorted by message as Kubernetes sorts them. */
export function validateStructural(s: SchemaNode, fldPath: string): FieldError[] {
  const errs = [...invariants(s, Level.Root, fldPath), ...completeness(s, s, fldPath, fldPath)];
  const keyed = errs.map((e) => [fieldErrorMessage(e), e] as const);
  keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return keyed.map(([, e]) => e);
}

function onlyType(n: SchemaNode, type: string): boolean {
  const keys = Object.keys(n).filter((k) => isSet(n, k));
  return keys.length === 1 && n.type === type;
}

/** anyOf: [{type: integer}, {type: string}], the first IntOrString shape. */
function isIntOrStringAnyOf(s: SchemaNode): boolean {
  const anyOf = nodes(s, 'anyOf');
  return anyOf.length === 2 && onlyType(anyOf[0]!, 'integer') && onlyType(anyOf[1]!, 'string');
}

/** allOf: [{anyOf: [{type: integer}, {type: string}]}, ...], the second IntOrString shape. */
function isIntOrStringAllOf(s: SchemaNode): boolean {
  const first = nodes(s, 'allOf')[0];
  return first !== undefined && isIntOrStringAnyOf(first);
}

function invariants(s: SchemaNode, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(s, 'type');
  const items = itemsSchema(s);
  if (type === 'array' && !items) errs.push(fieldError.required(childPath(path, 'items'), 'must be specified'));
  if (items) errs.push(...invariants(items, Level.Item, childPath(path, 'items')));
  const properties = nodeMap(s, 'properties');
  for (const [k, p] of properties) errs.push(...invariants(p, Level.Field, keyPath(childPath(path, 'properties'), k)));
  const additional = additionalProperties(s);
  if (additional) {
    if (lvl === Level.Root) errs.push(fieldError.forbidden(childPath(path, 'additionalProperties'), 'must not be used at the root'));
    if (additional.schema) errs.push(...invariants(additional.schema, Level.Field, childPath(path, 'additionalProperties')));
  }

  const intOrString = flag(s, 'x-kubernetes-int-or-string');
  const preserve = flag(s, 'x-kubernetes-preserve-unknown-fields');
  const embedded = flag(s, 'x-kubernetes-embedded-resource');
  if (intOrString && preserve) {
    errs.push(fieldError.invalid(childPath(path, 'x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  if (intOrString && embedded) {
    errs.push(fieldError.invalid(childPath(path, 'x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  errs.push(...valueValidation(s, isIntOrStringAnyOf(s), isIntOrStringAllOf(s), lvl, path));

  const checkMetadata = lvl === Level.Root || embedded;
  if (embedded && type !== 'object') {
    const detail = 'must be object if x-kubernetes-embedded-resource is true';
    errs.push(type ? fieldError.invalid(childPath(path, 'type'), type, detail) : fieldError.required(childPath(path, 'type'), detail));
  } else if (!type && !intOrString && !preserve) {
    const detail = ['must not be empty at the root', 'must not be empty for specified array items', 'must not be empty for specified object fields'][lvl];
    errs.push(fieldError.required(childPath(path, 'type'), detail));
  }
  if (embedded && additional) {
    errs.push(fieldError.forbidden(childPath(path, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (lvl === Level.Root && type && type !== 'object') errs.push(fieldError.invalid(childPath(path, 'type'), type, 'must be object at the root'));

  const propertiesPath = childPath(path, 'properties');
  for (const name of ['kind', 'apiVersion']) {
    const p = properties.find(([k]) => k === name)?.[1];
    if (p && checkMetadata && str(p, 'type') !== 'string') {
      errs.push(fieldError.invalid(childPath(keyPath(propertiesPath, name), 'type'), str(p, 'type'), 'must be string'));
    }
  }
  const metadata = properties.find(([k]) => k === 'metadata')?.[1];
  if (metadata) errs.push(...metadataInvariants(metadata, checkMetadata, lvl, keyPath(propertiesPath, 'metadata')));
  if (embedded && !preserve && properties.length === 0) {
    errs.push(
      fieldError.required(childPath(path, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'),
    );
  }
  return errs;
}

/**
 * The schema of an object's metadata: `type: object` where metadata is an ObjectMeta, and at the
 * root nothing but constraints on name and generateName, because the server owns the rest.
 */
function metadataInvariants(m: SchemaNode, checkMetadata: boolean, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (checkMetadata && str(m, 'type') !== 'object') errs.push(fieldError.invalid(childPath(path, 'type'), str(m, 'type'), 'must be object'));
  if (lvl !== Level.Root) return errs;
  // What may remain once type, default and a name/generateName-only `properties` are set
  // aside. description, title, examples and docs are dropped by the structural conversion.
  const props = nodeMap(m, 'properties').map(([k]) => k);
  const onlyNames = props.length > 0 && props.every((k) => k === 'name' || k === 'generateName');
  const ignored = new Set(['type', 'default', 'example', ...(onlyNames ? ['properties'] : [])]);
  const significant = Object.keys(m).filter((k) => !ignored.has(k) && isSignificant(m, k));
  if (significant.length > 0) {
    errs.push(fieldError.forbidden(path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
  return errs;
}

/** A field with a value Go would not read as its zero value. */
function isSignificant(n: SchemaNode, k: string): boolean {
  const v = n[k];
  if (v === undefined || v === null || v === false || v === '') return false;
  // The structural conversion drops empty lists and maps; numbers count once set (Go pointers).
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** validateValueValidation: the logic junctors of a node, and its pattern. */
function valueValidation(v: SchemaNode, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf) nodes(v, 'anyOf').forEach((n, i) => errs.push(...nested(n, false, lvl, indexPath(childPath(path, 'anyOf'), i))));
  nodes(v, 'allOf').forEach((n, i) => errs.push(...nested(n, skipFirstAllOfAnyOf && i === 0, lvl, indexPath(childPath(path, 'allOf'), i))));
  nodes(v, 'oneOf').forEach((n, i) => errs.push(...nested(n, false, lvl, indexPath(childPath(path, 'oneOf'), i))));
  const not = child(v, 'not');
  if (not) errs.push(...nested(not, false, lvl, childPath(path, 'not')));
  const pattern = str(v, 'pattern');
  if (pattern) {
    const problem = validateGoPattern(pattern);
    if (problem) errs.push(fieldError.invalid(childPath(path, 'pattern'), pattern, `must be a valid regular expression, but isn't: ${problem}`));
  }
  return errs;
}

/** Forbidden inside allOf/anyOf/oneOf/not: anything but value validation. */
const NESTED_FORBIDDEN: readonly [string, (n: SchemaNode) => boolean, string][] = [
  ['type', (n) => str(n, 'type') !== '', 'must be empty to be structural'],
  ['additionalProperties', (n) => additionalProperties(n) !== undefined, 'must be undefined to be structural'],
  ['default', hasDefault, 'must be undefined to be structural'],
  ['title', (n) => str(n, 'title') !== '', 'must be empty to be structural'],
  ['description', (n) => str(n, 'description') !== '', 'must be empty to be structural'],
  ['nullable', (n) => flag(n, 'nullable'), 'must be false to be structural'],
  ['externalDocs', (n) => isSet(n, 'externalDocs'), 'must be undefined to be structural'],
  ['x-kubernetes-preserve-unknown-fields', (n) => flag(n, 'x-kubernetes-preserve-unknown-fields'), 'must be false to be structural'],
  ['x-kubernetes-embedded-resource', (n) => flag(n, 'x-kubernetes-embedded-resource'), 'must be false to be structural'],
  ['x-kubernetes-int-or-string', (n) => flag(n, 'x-kubernetes-int-or-string'), 'must be false to be structural'],
  ['x-kubernetes-list-map-keys', (n) => strings(n, 'x-kubernetes-list-map-keys').length > 0, 'must be empty to be structural'],
  ['x-kubernetes-list-type', (n) => isSet(n, 'x-kubernetes-list-type'), 'must be undefined to be structural'],
  ['x-kubernetes-map-type', (n) => isSet(n, 'x-kubernetes-map-type'), 'must be undefined to be structural'],
  ['x-kubernetes-validations', (n) => xValidations(n).length > 0, 'must be empty to be structural'],
];

/** validateNestedValueValidation: a schema under a logic junctor. */
function nested(v: SchemaNode, skipAnyOf: boolean, lvl: Level, path: string): FieldError[] {
  const errs = valueValidation(v, skipAnyOf, false, lvl, path);
  const items = itemsSchema(v);
  if (items) errs.push(...nested(items, false, lvl, childPath(path, 'items')));
  const properties = nodeMap(v, 'properties');
  for (const [k, p] of properties) errs.push(...nested(p, false, Level.Field, keyPath(childPath(path, 'properties'), k)));
  for (const [name, present, detail] of NESTED_FORBIDDEN) {
    if (present(v)) errs.push(fieldError.forbidden(childPath(path, name), detail));
  }
  if (properties.some(([k]) => k === 'metadata')) {
    errs.push(fieldError.forbidden(keyPath(childPath(path, 'properties'), 'metadata'), 'must not be specified in a nested context'));
  }
  return errs;
}

/**
 * Completeness: every field and array a junctor talks about must also exist in the structure
 * (`sPath`), so that pruning keeps what validation expects.
 */
function completeness(v: SchemaNode, s: SchemaNode | undefined, sPath: string, vPath: string): FieldError[] {
  const junctors: [SchemaNode, string][] = [];
  const not = child(v, 'not');
  if (not) junctors.push([not, childPath(vPath, 'not')]);
  nodes(v, 'allOf').forEach((n, i) => junctors.push([n, indexPath(childPath(vPath, 'allOf'), i)]));
  nodes(v, 'anyOf').forEach((n, i) => junctors.push([n, indexPath(childPath(vPath, 'anyOf'), i)]));
  nodes(v, 'oneOf').forEach((n, i) => junctors.push([n, indexPath(childPath(vPath, 'oneOf'), i)]));
  if (junctors.length === 0) return [];
  if (!s) return [fieldError.required(sPath, `because it is defined in ${vPath}`)];
  return junctors.flatMap(([n, p]) => nestedCompleteness(n, s, sPath, p));
}

function nestedCompleteness(v: SchemaNode, s: SchemaNode | undefined, sPath: string, vPath: string): FieldError[] {
  if (!s) return [fieldError.required(sPath, `because it is defined in ${vPath}`)];
  const errs = completeness(v, s, sPath, vPath);
  const vItems = itemsSchema(v);
  if (vItems) errs.push(...nestedCompleteness(vItems, itemsSchema(s), childPath(sPath, 'items'), childPath(vPath, 'items')));
  const sProps = new Map(nodeMap(s, 'properties'));
  for (const [k, vp] of nodeMap(v, 'properties')) {
    const sp = keyPath(childPath(sPath, 'properties'), k);
    const vpPath = keyPath(childPath(vPath, 'properties'), k);
    const sProp = sProps.get(k);
    if (!sProp) errs.push(fieldError.required(sp, `because it is defined in ${vpPath}`));
    else errs.push(...nestedCompleteness(vp, sProp, sp, vpPath));
  }
  return errs;
}
