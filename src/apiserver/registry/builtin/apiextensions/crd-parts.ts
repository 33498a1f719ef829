// Validation of the smaller parts of a CustomResourceDefinition, worded as
// k8s.io/apiextensions-apiserver pkg/apis/apiextensions/validation words them: printer columns,
// scale subresource paths, deprecation warnings, conversion (with k8s.io/apiserver's webhook
// URL and service rules) and selectable fields. Paths are those of the internal form Kubernetes
// validates, e.g. `spec.conversion.webhookClientConfig` for v1's spec.conversion.webhook.clientConfig.
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { isDNS1123Subdomain, maxLenError, regexError } from '../../../validation/names.js';
import { validFieldPath } from '../../../schema/cel/field-path.js';
import type { JSONSchemaProps } from '../../../schema/types.js';
import { asArray, asObj, num, str, type Obj } from '../fields.js';

const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);

/** validation.IsDNS1035Label: version names, plural/singular names, short names, categories. */
export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(v, 'utf8') > 63) errs.push(maxLenError(63));
  if (!DNS1035_LABEL_RE.test(v)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errs;
}

/** validateEnumStrings: Required when empty, NotSupported when not one of `accepted`. */
export function validateEnum(path: string, value: unknown, accepted: string[]): FieldError[] {
  if (value === undefined || value === null || value === '') return [fieldError.required(path, '')];
  return accepted.includes(value as string) ? [] : [fieldError.notSupported(path, value, accepted)];
}

const PRINTER_COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

function validateSimpleJSONPath(s: string, path: string): FieldError[] {
  if (s.length === 0) return [fieldError.invalid(path, s, 'must not be empty')];
  if (s[0] !== '.') return [fieldError.invalid(path, s, 'must be a simple json path starting with .')];
  return [];
}

/** ValidateCustomResourceColumnDefinition (its jsonPath is reported under the Go field name, JSONPath). */
export function validatePrinterColumn(col: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(col.name)) errs.push(fieldError.required(`${path}.name`, ''));
  const typeDetail = `must be one of ${PRINTER_COLUMN_TYPES.join(',')}`;
  if (!str(col.type)) errs.push(fieldError.required(`${path}.type`, typeDetail));
  else if (!PRINTER_COLUMN_TYPES.includes(str(col.type))) errs.push(fieldError.invalid(`${path}.type`, col.type, typeDetail));
  if (str(col.format) && !PRINTER_COLUMN_FORMATS.includes(str(col.format))) {
    errs.push(fieldError.invalid(`${path}.format`, col.format, `must be one of ${PRINTER_COLUMN_FORMATS.join(',')}`));
  }
  if (!str(col.jsonPath)) errs.push(fieldError.required(`${path}.JSONPath`, ''));
  else errs.push(...validateSimpleJSONPath(str(col.jsonPath), `${path}.JSONPath`));
  return errs;
}

/** ValidateCustomResourceDefinitionSubresources: scale paths must point into spec and status. */
export function validateSubresources(sub: Obj | undefined, path: string): FieldError[] {
  const scale = asObj(sub?.scale);
  if (!scale) return [];
  const errs: FieldError[] = [];
  const under = (key: string, prefix: string, detail: string): void => {
    const p = `${path}.scale.${key}`;
    const value = str(scale[key]);
    if (!value) return void errs.push(fieldError.required(p, ''));
    const bad = validateSimpleJSONPath(value, p);
    if (bad.length) errs.push(...bad);
    else if (!value.startsWith(prefix)) errs.push(fieldError.invalid(p, value, detail));
  };
  under('specReplicasPath', '.spec.', 'should be a json path under .spec');
  under('statusReplicasPath', '.status.', 'should be a json path under .status');
  const selector = str(scale.labelSelectorPath);
  if (selector) {
    const p = `${path}.scale.labelSelectorPath`;
    const bad = validateSimpleJSONPath(selector, p);
    if (bad.length) errs.push(...bad);
    else if (!selector.startsWith('.spec.') && !selector.startsWith('.status.')) {
      errs.push(fieldError.invalid(p, selector, 'should be a json path under either .spec or .status'));
    }
  }
  return errs;
}

/** validateDeprecationWarning: only on deprecated versions, short, printable. Indexes are byte offsets, as in Go. */
export function validateDeprecationWarning(version: Obj, path: string): FieldError[] {
  const warning = version.deprecationWarning;
  if (warning === undefined || warning === null) return [];
  const p = `${path}.deprecationWarning`;
  if (version.deprecated !== true) return [fieldError.invalid(p, warning, 'can only be set for deprecated versions')];
  const text = str(warning);
  const errs: string[] = [];
  if (Buffer.byteLength(text, 'utf8') > 256) errs.push('must be <= 256 characters long');
  if (text.length === 0) errs.push('must not be an empty string');
  let offset = 0;
  for (const ch of text) {
    if (/\p{Cc}/u.test(ch)) {
      errs.push(`must only contain printable UTF-8 characters; non-printable character found at index ${offset}`);
      break;
    }
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) {
      errs.push(`must only contain printable UTF-8 characters; non-printable character found at index ${offset}`);
      break;
    }
    offset += Buffer.byteLength(ch, 'utf8');
  }
  return errs.map((d) => fieldError.invalid(p, text, d));
}

/** The parts of a URL webhook.ValidateWebhookURL looks at, split as Go's url.Parse splits them. */
function splitURL(raw: string): { scheme: string; user?: string; host: string; query: string; fragment: string } {
  let rest = raw;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) [rest, fragment] = [rest.slice(0, hash), rest.slice(hash + 1)];
  let scheme = '';
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (m) [scheme, rest] = [m[1]!.toLowerCase(), rest.slice(m[0].length)];
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) [rest, query] = [rest.slice(0, q), rest.slice(q + 1)];
  let host = '';
  let user: string | undefined;
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) user = authority.slice(0, at);
    host = at >= 0 ? authority.slice(at + 1) : authority;
  }
  return { scheme, ...(user !== undefined ? { user } : {}), host, query, fragment };
}

function validateWebhookURL(url: string, path: string): FieldError[] {
  const form = '; desired format: https://host[/path]';
  const u = splitURL(url);
  const errs: FieldError[] = [];
  if (u.scheme !== 'https') errs.push(fieldError.invalid(path, u.scheme, `'https' is the only allowed URL scheme${form}`));
  if (!u.host) errs.push(fieldError.invalid(path, u.host, `host must be specified${form}`));
  if (u.user !== undefined) errs.push(fieldError.invalid(path, u.user, 'user information is not permitted in the URL'));
  if (u.fragment) errs.push(fieldError.invalid(path, u.fragment, 'fragments are not permitted in the URL'));
  if (u.query) errs.push(fieldError.invalid(path, u.query, 'query parameters are not permitted in the URL'));
  return errs;
}

function validateWebhookService(svc: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(svc.name)) errs.push(fieldError.required(`${path}.name`, 'service name is required'));
  if (!str(svc.namespace)) errs.push(fieldError.required(`${path}.namespace`, 'service namespace is required'));
  const port = num(svc.port) ?? 443;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    errs.push(fieldError.invalid(`${path}.port`, port, 'port is not valid: must be between 1 and 65535, inclusive'));
  }
  const urlPath = typeof svc.path === 'string' ? svc.path : undefined;
  if (urlPath === undefined || urlPath === '/' || urlPath === '') return errs;
  const p = `${path}.path`;
  if (urlPath === '//') return [...errs, fieldError.invalid(p, urlPath, 'segment[0] may not be empty')];
  if (!urlPath.startsWith('/')) errs.push(fieldError.invalid(p, urlPath, "must start with a '/'"));
  let check = urlPath.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (!step) return void errs.push(fieldError.invalid(p, urlPath, `segment[${i}] may not be empty`));
    for (const failure of isDNS1123Subdomain(step)) errs.push(fieldError.invalid(p, urlPath, `segment[${i}]: ${failure}`));
  });
  return errs;
}

const ACCEPTED_REVIEW_VERSIONS = ['v1', 'v1beta1'];

function validateReviewVersions(versions: unknown, requireRecognized: boolean, path: string): FieldError[] {
  const list = asArray(versions).map((v) => str(v));
  if (list.length === 0) return [fieldError.required(path, '')];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  list.forEach((v, i) => {
    if (seen.has(v)) return void errs.push(fieldError.invalid(`${path}[${i}]`, v, 'duplicate version'));
    seen.add(v);
    for (const msg of isDNS1035Label(v)) errs.push(fieldError.invalid(`${path}[${i}]`, v, msg));
  });
  if (requireRecognized && !list.some((v) => ACCEPTED_REVIEW_VERSIONS.includes(v))) {
    errs.push(fieldError.invalid(path, list, `must include at least one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`));
  }
  return errs;
}

/** Whether conversionReviewVersions is empty or names one the server understands (update ratchet). */
export function hasRecognizedReviewVersionOrEmpty(conversion: Obj | undefined): boolean {
  const list = asArray(asObj(conversion?.webhook)?.conversionReviewVersions).map((v) => str(v));
  return list.length === 0 || list.some((v) => ACCEPTED_REVIEW_VERSIONS.includes(v));
}

/** validateCustomResourceConversion, on v1's spec.conversion. */
export function validateConversion(conversion: Obj | undefined, requireRecognized: boolean): FieldError[] {
  if (!conversion) return [];
  const path = 'spec.conversion';
  const errs = validateEnum(`${path}.strategy`, conversion.strategy, ['None', 'Webhook']);
  const webhook = asObj(conversion.webhook);
  const clientConfig = asObj(webhook?.clientConfig);
  const reviewVersions = webhook?.conversionReviewVersions;
  const ccPath = `${path}.webhookClientConfig`;
  if (conversion.strategy === 'Webhook') {
    if (!clientConfig) {
      errs.push(fieldError.required(ccPath, 'required when strategy is set to Webhook'));
    } else {
      const hasURL = typeof clientConfig.url === 'string';
      const service = asObj(clientConfig.service);
      if (hasURL === Boolean(service)) errs.push(fieldError.required(ccPath, 'exactly one of url or service is required'));
      else if (hasURL) errs.push(...validateWebhookURL(str(clientConfig.url), `${ccPath}.url`));
      else errs.push(...validateWebhookService(service!, `${ccPath}.service`));
    }
    errs.push(...validateReviewVersions(reviewVersions, requireRecognized, `${path}.conversionReviewVersions`));
  } else {
    const detail = 'should not be set when strategy is not set to Webhook';
    if (clientConfig) errs.push(fieldError.forbidden(ccPath, detail));
    if (asArray(reviewVersions).length > 0) errs.push(fieldError.forbidden(`${path}.conversionReviewVersions`, detail));
  }
  return errs;
}

/** ValidateCustomResourceSelectableFields: at most 8 distinct scalar fields outside metadata. */
export function validateSelectableFields(fields: Obj[], schema: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const p = `${path}[${i}].jsonPath`;
    const jsonPath = str(f.jsonPath);
    if (!jsonPath) return void errs.push(fieldError.required(p, ''));
    const resolved = schema ? validFieldPath(jsonPath, schema as JSONSchemaProps) : { error: 'does not refer to a valid field' };
    if ('error' in resolved) return void errs.push(fieldError.invalid(p, jsonPath, `is an invalid path: ${resolved.error}`));
    if (/^metadata\b/.test(resolved.path)) errs.push(fieldError.invalid(p, jsonPath, 'must not point to fields in metadata'));
    const target = fieldSchema(schema!, jsonPath);
    if (!['string', 'boolean', 'integer'].includes(str(target?.type))) {
      errs.push(fieldError.invalid(p, jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    if (seen.has(resolved.path)) errs.push(fieldError.duplicate(p, jsonPath));
    else seen.add(resolved.path);
  });
  if (seen.size > 8) errs.push({ type: 'FieldValueTooMany', field: path, badValue: seen.size, detail: 'must have at most 8 items' });
  return errs;
}

/** The schema a path points at (validFieldPath has already accepted it). */
function fieldSchema(schema: Obj, jsonPath: string): Obj | undefined {
  let node: Obj | undefined = schema;
  for (const m of jsonPath.matchAll(/\.([^.[\]]+)|\[\s*['"]((?:[^'"\\]|\\.)*)['"]\s*\]/g)) {
    const name = m[1] ?? m[2] ?? '';
    const props = asObj(node?.properties);
    node = asObj(props?.[name]) ?? asObj(node?.additionalProperties);
  }
  return node;
}
