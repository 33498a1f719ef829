// Defaults in a CRD schema must be usable as they are (apiextensions'
// pkg/apiserver/schema/defaulting ValidateDefaults): a default may not carry fields pruning
// would drop (the server would store something other than what the schema says), and it must
// validate against the schema it sits in. Run only on a schema already known to be structural.
import { isPlainObject } from '../object.js';
import type { FieldError } from '../validation/field-errors.js';
import { fieldError } from '../validation/field-errors.js';
import { compileCelRules } from './cel.js';
import { compileSchema } from './compile.js';
import type { JSONSchemaProps } from './types.js';
import { additionalProperties, childPath, flag, hasDefault, itemsSchema, keyPath, nodeMap, type SchemaNode } from './structural-node.js';

const RESOURCE_META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** Whether pruning `value` with schema `s` would remove anything (pruning.Prune, reduced to a yes/no). */
export function hasUnknownFields(value: unknown, s: SchemaNode, isResourceRoot: boolean): boolean {
  if (Array.isArray(value)) {
    const items = itemsSchema(s);
    return items ? value.some((v) => hasUnknownFields(v, items, flag(items, 'x-kubernetes-embedded-resource'))) : false;
  }
  if (!isPlainObject(value)) return false;
  const props = new Map(nodeMap(s, 'properties'));
  const additional = additionalProperties(s);
  const preserve = flag(s, 'x-kubernetes-preserve-unknown-fields');
  for (const [k, v] of Object.entries(value)) {
    // An embedded object always keeps its TypeMeta and ObjectMeta.
    if (isResourceRoot && RESOURCE_META_FIELDS.has(k) && !props.has(k)) continue;
    const p = props.get(k) ?? additional?.schema;
    if (p) {
      if (hasUnknownFields(v, p, flag(p, 'x-kubernetes-embedded-resource'))) return true;
    } else if (!preserve && !additional?.allows) {
      return true;
    }
  }
  return false;
}

/** `field` of a validator error, re-rooted under `base`; the validator names its root `<nil>`. */
function under(base: string, field: string): string {
  if (!field || field === '<nil>') return base;
  return field.startsWith('[') ? `${base}${field}` : `${base}.${field}`;
}

/**
 * The default checked as a value of its own schema: the OpenAPI validator first, then, when
 * that passes, the schema's CEL rules (kube-apiserver evaluates them on defaults as well).
 */
function defaultErrors(s: SchemaNode, value: unknown, path: string): FieldError[] {
  const defaultPath = childPath(path, 'default');
  const reroot = (errs: FieldError[]): FieldError[] => errs.map((e) => ({ ...e, field: under(defaultPath, e.field) }));
  try {
    const schemaErrors = compileSchema(s as JSONSchemaProps).validate(value);
    if (schemaErrors.length > 0) return reroot(schemaErrors);
    // Rules that do not compile are reported by the CEL step of CRD validation instead.
    return reroot(compileCelRules(s as JSONSchemaProps).validator?.validate(value) ?? []);
  } catch (e) {
    // A schema the validator cannot build is reported where the default is, never thrown.
    return [fieldError.invalid(defaultPath, value, e instanceof Error ? e.message : String(e))];
  }
}

function walk(s: SchemaNode, path: string, insideMeta: boolean, isRoot: boolean): FieldError[] {
  // The root is validated as the resource it describes (ValidateDefaults' isResourceRoot).
  const embedded = isRoot || flag(s, 'x-kubernetes-embedded-resource');
  if (embedded) insideMeta = false;
  const errs: FieldError[] = [];
  if (hasDefault(s)) {
    const value = s.default;
    // Inside metadata the default is checked as part of an object, never pruned on its own.
    if (!insideMeta && hasUnknownFields(value, s, embedded)) {
      errs.push(fieldError.invalid(childPath(path, 'default'), value, 'must not have unknown fields'));
    }
    errs.push(...defaultErrors(s, value, path));
  }
  // additionalProperties is not followed: defaults are forbidden there.
  const items = itemsSchema(s);
  if (items) errs.push(...walk(items, childPath(path, 'items'), insideMeta, false));
  for (const [k, p] of nodeMap(s, 'properties')) {
    const sub = insideMeta || (embedded && RESOURCE_META_FIELDS.has(k));
    errs.push(...walk(p, keyPath(childPath(path, 'properties'), k), sub, false));
  }
  return errs;
}

/** ValidateDefaults: every default in the schema is pruned and valid. */
export function validateDefaults(schema: SchemaNode, fldPath: string): FieldError[] {
  return walk(schema, fldPath, false, true);
}
