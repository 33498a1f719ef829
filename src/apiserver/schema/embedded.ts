// Resources embedded in a custom resource (x-kubernetes-embedded-resource: true), checked as
// apiextensions-apiserver's objectmeta.Validate does for everything below the root
// (pkg/apiserver/schema/objectmeta/validation.go): apiVersion and kind are required, apiVersion
// must parse as a group/version, kind must be a DNS-1035 label once lowercased, and metadata
// must decode as ObjectMeta and pass ValidateObjectMeta (an empty name counts as "fakename").
// Paths are field.Path's: spec.template.metadata.name, map values spec.templates[web].kind.
import { isPlainObject, type ObjectMeta } from '../object.js';
import { fieldError, type FieldError } from '../validation/field-errors.js';
import { maxLenError, regexError } from '../validation/names.js';
import { validateObjectMeta } from '../validation/object-meta.js';
import { objectMetaDecodeError } from './object-meta.js';
import { holdsAtOrBelow, isEmbeddedResource } from './schema-facts.js';
import { additionalPropertiesSchema, type JSONSchemaProps } from './types.js';

const child = (path: string, name: string) => (path ? `${path}.${name}` : name);

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

/** validation.IsDNS1035Label. */
function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(v, 'utf8') > 63) errs.push(maxLenError(63));
  if (!new RegExp(`^${dns1035LabelFmt}$`).test(v)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

/** schema.ParseGroupVersion's error, if any: more than one "/" is not a group/version. */
function groupVersionError(gv: string): string | undefined {
  if (gv === '' || gv === '/') return undefined;
  return gv.split('/').length > 2 ? `unexpected GroupVersion string: ${gv}` : undefined;
}

function validateEmbeddedResource(path: string, x: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (!Object.hasOwn(x, 'apiVersion')) errs.push(fieldError.required(child(path, 'apiVersion')));
  if (!Object.hasOwn(x, 'kind')) errs.push(fieldError.required(child(path, 'kind')));
  for (const [k, v] of Object.entries(x)) {
    const p = child(path, k);
    if (k === 'apiVersion') {
      if (typeof v !== 'string') errs.push(fieldError.invalid(p, v, 'must be a string'));
      else if (v === '') errs.push(fieldError.invalid(p, v, 'must not be empty'));
      else {
        const msg = groupVersionError(v);
        if (msg) errs.push(fieldError.invalid(p, v, msg));
      }
    } else if (k === 'kind') {
      if (typeof v !== 'string') errs.push(fieldError.invalid(p, v, 'must be a string'));
      else if (v === '') errs.push(fieldError.invalid(p, v, 'must not be empty'));
      else {
        const msgs = isDNS1035Label(v.toLowerCase());
        if (msgs.length > 0) errs.push(fieldError.invalid(p, v, `may have mixed case, but should otherwise match: ${msgs.join(',')}`));
      }
    } else if (k === 'metadata') {
      const decodeError = objectMetaDecodeError(v);
      if (decodeError) {
        errs.push(fieldError.invalid(p, v, decodeError));
        continue;
      }
      const meta = { ...((v as ObjectMeta | null) ?? {}) };
      if (!meta.name) meta.name = 'fakename'; // upstream sets something to avoid an error
      const namespaced = typeof meta.namespace === 'string' && meta.namespace !== '';
      const metaErrs = validateObjectMeta(meta, { namespaced, nameValidation: 'path', requireQualifiedFinalizers: false });
      // validateObjectMeta reports under "metadata.*"; re-root those paths at this resource.
      for (const e of metaErrs) errs.push({ ...e, field: path ? `${path}.${e.field}` : e.field });
    }
  }
  return errs;
}

/** Every embedded-resource error below `x`; the root itself is validated by the generic metadata checks. */
export function validateEmbeddedResources(s: JSONSchemaProps | undefined, x: unknown, path = '', isRoot = true): FieldError[] {
  // Nothing to check where no embedded resource can be.
  if (!s || !holdsAtOrBelow(s, isEmbeddedResource)) return [];
  const errs: FieldError[] = [];
  if (isPlainObject(x)) {
    if (s['x-kubernetes-embedded-resource'] && !isRoot) errs.push(...validateEmbeddedResource(path, x));
    const ap = s.additionalProperties !== undefined;
    for (const [k, v] of Object.entries(x)) {
      const prop = s.properties?.[k];
      if (prop) errs.push(...validateEmbeddedResources(prop, v, child(path, k), false));
      else if (ap) errs.push(...validateEmbeddedResources(additionalPropertiesSchema(s), v, `${path}[${k}]`, false));
    }
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => errs.push(...validateEmbeddedResources(s.items, v, `${path}[${i}]`, false)));
  }
  return errs;
}
