// Validation of a CRD version's openAPIV3Schema, in the order and words of
// apiextensions-apiserver's validateCustomResourceDefinitionValidation: the root restrictions
// a status subresource imposes, structurality (./structural-invariants.ts), defaults
// (./structural-defaults.ts), the per-node OpenAPI checks (./structural-openapi.ts), then the
// x-kubernetes-validations rules compiled as CEL (./cel.ts) where the schema around them is
// sound. `fldPath` is the schema's own path: `spec.validation.openAPIV3Schema` when every
// version shares one schema (the internal form Kubernetes validates), otherwise
// `spec.versions[i].schema.openAPIV3Schema`.
import { fieldError, type FieldError } from '../validation/field-errors.js';
import { compileCelRules } from './cel.js';
import { validateDefaults } from './structural-defaults.js';
import { newStructuralError, validateStructural } from './structural-invariants.js';
import { asNode, childPath, flag, type SchemaNode } from './structural-node.js';
import { walkOpenAPISchema, type RuleSite } from './structural-openapi.js';
import type { JSONSchemaProps } from './types.js';

export interface StructuralSchemaOptions {
  /** The version serves a status subresource: status is validated as properties.status, so the root may only hold some keywords. */
  statusSubresource?: boolean;
}

/**
 * JSONSchemaProps' Go field order with each field's JSON name: the status-subresource root
 * check reports the first set field that is not allowed, in this order.
 */
const ROOT_FIELDS: readonly [json: string, go: string][] = [
  ['id', 'ID'], ['$schema', 'Schema'], ['$ref', 'Ref'], ['description', 'Description'], ['type', 'Type'],
  ['nullable', 'Nullable'], ['format', 'Format'], ['title', 'Title'], ['default', 'Default'], ['maximum', 'Maximum'],
  ['exclusiveMaximum', 'ExclusiveMaximum'], ['minimum', 'Minimum'], ['exclusiveMinimum', 'ExclusiveMinimum'],
  ['maxLength', 'MaxLength'], ['minLength', 'MinLength'], ['pattern', 'Pattern'], ['maxItems', 'MaxItems'],
  ['minItems', 'MinItems'], ['uniqueItems', 'UniqueItems'], ['multipleOf', 'MultipleOf'], ['enum', 'Enum'],
  ['maxProperties', 'MaxProperties'], ['minProperties', 'MinProperties'], ['required', 'Required'], ['items', 'Items'],
  ['allOf', 'AllOf'], ['oneOf', 'OneOf'], ['anyOf', 'AnyOf'], ['not', 'Not'], ['properties', 'Properties'],
  ['additionalProperties', 'AdditionalProperties'], ['patternProperties', 'PatternProperties'], ['dependencies', 'Dependencies'],
  ['additionalItems', 'AdditionalItems'], ['definitions', 'Definitions'], ['externalDocs', 'ExternalDocs'], ['example', 'Example'],
  ['x-kubernetes-preserve-unknown-fields', 'XPreserveUnknownFields'], ['x-kubernetes-embedded-resource', 'XEmbeddedResource'],
  ['x-kubernetes-int-or-string', 'XIntOrString'], ['x-kubernetes-list-map-keys', 'XListMapKeys'], ['x-kubernetes-list-type', 'XListType'],
  ['x-kubernetes-map-type', 'XMapType'], ['x-kubernetes-validations', 'XValidations'],
];

const ALLOWED_AT_ROOT_WITH_STATUS = [
  'Description', 'Type', 'Format', 'Title', 'Maximum', 'ExclusiveMaximum', 'Minimum', 'ExclusiveMinimum', 'MaxLength',
  'MinLength', 'Pattern', 'MaxItems', 'MinItems', 'UniqueItems', 'MultipleOf', 'Required', 'Items', 'Properties',
  'ExternalDocs', 'Example', 'XPreserveUnknownFields', 'XValidations',
];

/** Go's zero value test for the root check: plain bools and strings are unset when false or "". */
function isZero(v: unknown): boolean {
  return v === undefined || v === null || v === false || v === '';
}

/** With a status subresource, status is validated as properties.status: the root must be a plain object schema. */
function statusRootChecks(s: SchemaNode, path: string): FieldError[] {
  for (const [json, go] of ROOT_FIELDS) {
    if (isZero(s[json])) continue;
    if (go === 'Type') {
      if (s.type !== 'object') {
        return [fieldError.invalid(childPath(path, 'type'), s.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled')];
      }
      continue;
    }
    if (!ALLOWED_AT_ROOT_WITH_STATUS.includes(go)) {
      return [fieldError.invalid(path, s, `only [${ALLOWED_AT_ROOT_WITH_STATUS.join(' ')}] fields are allowed at the root of the schema if the status subresource is enabled`)];
    }
  }
  return [];
}

/** The rule site a CEL error belongs to: its path up to `x-kubernetes-validations`. */
function sitePathOf(errPath: string): string | undefined {
  const m = /^(?:(.*)\.)?x-kubernetes-validations(?:\[\d+\].*)?$/.exec(errPath);
  return m ? (m[1] ?? '') : undefined;
}

/**
 * Compile errors of the schema's CEL rules (./cel.ts words them as Kubernetes does, oldSelf
 * checks included), kept only where neither the rule's node nor anything below it has a schema
 * error: Kubernetes does not compile rules against a schema it could not make sense of.
 */
function celErrors(s: SchemaNode, path: string, sites: RuleSite[], schemaErrors: FieldError[]): FieldError[] {
  const below = (p: string, field: string): boolean => p === '' || field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`);
  const sound = new Set(sites.map((site) => site.path).filter((p) => !schemaErrors.some((e) => below(p, e.field))));
  if (sound.size === 0) return [];
  let compiled: ReturnType<typeof compileCelRules>;
  try {
    compiled = compileCelRules(s as JSONSchemaProps, { basePath: path });
  } catch (e) {
    return [fieldError.internal(childPath(path, 'x-kubernetes-validations'), e instanceof Error ? e.message : String(e))];
  }
  return compiled.errors.filter((e) => sound.has(sitePathOf(e.path) ?? '\0')).map((e) => e.error);
}

/** Every error Kubernetes reports for this openAPIV3Schema, in its order. */
export function validateStructuralSchema(schema: JSONSchemaProps, fldPath: string, opts: StructuralSchemaOptions = {}): FieldError[] {
  const s = asNode(schema) ?? {};
  const errs: FieldError[] = [];
  if (opts.statusSubresource) errs.push(...statusRootChecks(s, fldPath));
  if (flag(s, 'nullable')) errs.push(fieldError.forbidden(childPath(fldPath, 'nullable'), 'nullable cannot be true at the root'));

  // Structurality first, then defaults, then CEL: each needs the one before to have passed.
  let initErrors: FieldError[] = [];
  let celReady = false;
  const initError = newStructuralError(s);
  if (initError) {
    initErrors = [fieldError.invalid(fldPath, '', initError)];
  } else {
    const structural = validateStructural(s, fldPath);
    const defaults = structural.length === 0 ? validateDefaults(s, fldPath) : [];
    errs.push(...structural, ...defaults);
    celReady = structural.length === 0 && defaults.length === 0;
  }
  const walk = walkOpenAPISchema(s, fldPath);
  errs.push(...walk.errors);
  if (celReady) errs.push(...celErrors(s, fldPath, walk.ruleSites, walk.errors));
  // NewStructural's refusals overlap with the OpenAPI checks: shown only when nothing else is.
  if (errs.length === 0) errs.push(...initErrors);
  return errs;
}
