// The Swagger 2.0 document as protobuf: gnostic's `openapi.v2.Document` message
// (github.com/google/gnostic-models openapiv2/OpenAPIv2.proto), which client-go requests with
// `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf` and decodes only as
// protobuf (k8s.io/client-go discovery OpenAPISchema). kube-apiserver produces it by parsing its
// JSON spec with gnostic (k8s.io/kube-openapi pkg/handler ToProtoBinary); this file maps the
// same JSON onto the same messages by hand. Field numbers are those of OpenAPIv2.proto.
//
// Values gnostic has no typed field for (vendor extensions, `default`, `enum`, `example`) are
// `Any` messages whose `yaml` string holds the value as YAML text, which kubectl parses back
// with yaml.v2 (kube-openapi pkg/util/proto VendorExtensionToMap). YAML 1.1 quoting is used so
// strings such as "yes" or "on" stay strings for that YAML 1.1 parser.
import { stringify } from 'yaml';
import { ProtoWriter } from './proto-writer.js';

type JSONObject = Record<string, unknown>;

/**
 * The Content-Type of the protobuf answer. kube-openapi (pkg/handler) answers with this
 * spelling even when asked for the deprecated `@v1.0` one that client-go sends; the `@` is not
 * a valid media-type character, and client-go's REST client fails on a Content-Type that Go's
 * mime.ParseMediaType rejects ("unexpected content after media subtype").
 */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
export const OPENAPI_V2_JSON_CONTENT_TYPE = 'application/json';

const PROTOBUF_SUBTYPES = new Set(['com.github.proto-openapi.spec.v2@v1.0+protobuf', 'com.github.proto-openapi.spec.v2.v1.0+protobuf']);

/**
 * Content negotiation of GET /openapi/v2, as kube-openapi's handler does it: the Accept
 * clauses by preference (q, then specificity), the first that matches JSON or protobuf wins;
 * wildcards pick JSON, and so does a missing Accept. `undefined` means 406 Not Acceptable.
 */
export function negotiateOpenAPIV2(accept: string | undefined): 'json' | 'protobuf' | undefined {
  const clauses = (accept?.trim() ? accept : '*/*').split(',').map((raw, position) => {
    const [mediaType = '', ...params] = raw.split(';').map((p) => p.trim());
    const [type = '', subType = ''] = mediaType.toLowerCase().split('/');
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    const specificity = (type === '*' ? 0 : 1) + (subType === '*' ? 0 : 1);
    return { type, subType, q: Number.isNaN(q) ? 0 : q, specificity, position };
  }).filter((c) => c.q > 0)
    .sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.position - b.position);
  for (const { type, subType } of clauses) {
    if (type !== 'application' && type !== '*') continue;
    if (subType === 'json' || subType === '*') return 'json';
    if (PROTOBUF_SUBTYPES.has(subType)) return 'protobuf';
  }
  return undefined;
}

/** Encoded bytes per document object: the Swagger document is memoised, so is its encoding. */
const encoded = new WeakMap<object, Buffer>();

/** The document as `openapi.v2.Document` bytes; the same Buffer for the same document object (do not mutate it). */
export function encodeOpenAPIV2(doc: object): Buffer {
  let bytes = encoded.get(doc);
  if (!bytes) {
    const w = new ProtoWriter(1 << 20);
    writeDocument(w, doc as JSONObject);
    bytes = Buffer.from(w.finish());
    encoded.set(doc, bytes);
  }
  return bytes;
}

// ---------------------------------------------------------------- Document and friends

function writeDocument(w: ProtoWriter, d: JSONObject): void {
  w.string(1, str(d.swagger));
  if (isObject(d.info)) w.message(2, (m) => writeInfo(m, d.info as JSONObject));
  w.string(3, str(d.host)).string(4, str(d.basePath))
    .strings(5, strs(d.schemes)).strings(6, strs(d.consumes)).strings(7, strs(d.produces));
  if (isObject(d.paths)) w.message(8, (m) => writePaths(m, d.paths as JSONObject));
  if (isObject(d.definitions)) w.message(9, (m) => writeNamedSchemas(m, d.definitions as JSONObject));
  if (isObject(d.parameters)) {
    // ParameterDefinitions { repeated NamedParameter additional_properties = 1 }
    w.message(10, (m) => eachEntry(d.parameters, (name, p) => m.message(1, (n) => n.string(1, name, true).message(2, (v) => writeParameter(v, p)))));
  }
  if (isObject(d.responses)) {
    // ResponseDefinitions { repeated NamedResponse additional_properties = 1 }
    w.message(11, (m) => eachEntry(d.responses, (name, r) => m.message(1, (n) => n.string(1, name, true).message(2, (v) => writeResponse(v, r)))));
  }
  writeSecurity(w, 12, d.security);
  if (isObject(d.securityDefinitions)) w.message(13, (m) => writeSecurityDefinitions(m, d.securityDefinitions as JSONObject));
  for (const tag of objs(d.tags)) {
    w.message(14, (m) => {
      m.string(1, str(tag.name)).string(2, str(tag.description));
      if (isObject(tag.externalDocs)) m.message(3, (e) => writeExternalDocs(e, tag.externalDocs as JSONObject));
      writeExtensions(m, 4, tag);
    });
  }
  if (isObject(d.externalDocs)) w.message(15, (m) => writeExternalDocs(m, d.externalDocs as JSONObject));
  writeExtensions(w, 16, d);
}

function writeInfo(w: ProtoWriter, info: JSONObject): void {
  w.string(1, str(info.title)).string(2, str(info.version)).string(3, str(info.description)).string(4, str(info.termsOfService));
  if (isObject(info.contact)) {
    const c = info.contact as JSONObject;
    w.message(5, (m) => writeExtensions(m.string(1, str(c.name)).string(2, str(c.url)).string(3, str(c.email)), 4, c));
  }
  if (isObject(info.license)) {
    const l = info.license as JSONObject;
    w.message(6, (m) => writeExtensions(m.string(1, str(l.name)).string(2, str(l.url)), 3, l));
  }
  writeExtensions(w, 7, info);
}

function writeExternalDocs(w: ProtoWriter, e: JSONObject): void {
  writeExtensions(w.string(1, str(e.description)).string(2, str(e.url)), 3, e);
}

/** SecurityRequirement { repeated NamedStringArray additional_properties = 1 }, NamedStringArray { name = 1; StringArray value = 2 }. */
function writeSecurity(w: ProtoWriter, field: number, security: unknown): void {
  for (const requirement of objs(security)) {
    w.message(field, (m) => eachEntry(requirement, (name, scopes) => m.message(1, (n) => n.string(1, name, true).message(2, (v) => v.strings(1, strs(scopes))))));
  }
}

/** SecurityDefinitionsItem is a oneof: basic (1), apiKey (2), oauth2 flows (3-6). */
function writeSecurityDefinitions(w: ProtoWriter, defs: JSONObject): void {
  eachEntry(defs, (name, def) => w.message(1, (n) => n.string(1, name, true).message(2, (item) => {
    if (def.type === 'basic') {
      item.message(1, (m) => writeExtensions(m.string(1, 'basic').string(2, str(def.description)), 3, def));
    } else if (def.type === 'apiKey') {
      item.message(2, (m) => writeExtensions(m.string(1, 'apiKey').string(2, str(def.name)).string(3, str(def.in)).string(4, str(def.description)), 5, def));
    }
    // OAuth2 flows: Kubernetes publishes none.
  })));
}

// ---------------------------------------------------------------- paths and operations

/** Paths { repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2 }. */
function writePaths(w: ProtoWriter, paths: JSONObject): void {
  writeExtensions(w, 1, paths);
  eachEntry(paths, (name, item) => {
    if (name.startsWith('x-')) return;
    w.message(2, (n) => n.string(1, name, true).message(2, (m) => writePathItem(m, item)));
  });
}

const PATH_ITEM_OPERATIONS: ReadonlyArray<[string, number]> = [['get', 2], ['put', 3], ['post', 4], ['delete', 5], ['options', 6], ['head', 7], ['patch', 8]];

function writePathItem(w: ProtoWriter, item: JSONObject): void {
  w.string(1, str(item.$ref));
  for (const [verb, field] of PATH_ITEM_OPERATIONS) {
    if (isObject(item[verb])) w.message(field, (m) => writeOperation(m, item[verb] as JSONObject));
  }
  for (const p of objs(item.parameters)) w.message(9, (m) => writeParametersItem(m, p));
  writeExtensions(w, 10, item);
}

function writeOperation(w: ProtoWriter, op: JSONObject): void {
  w.strings(1, strs(op.tags)).string(2, str(op.summary)).string(3, str(op.description));
  if (isObject(op.externalDocs)) w.message(4, (m) => writeExternalDocs(m, op.externalDocs as JSONObject));
  w.string(5, str(op.operationId)).strings(6, strs(op.produces)).strings(7, strs(op.consumes));
  for (const p of objs(op.parameters)) w.message(8, (m) => writeParametersItem(m, p));
  if (isObject(op.responses)) w.message(9, (m) => writeResponses(m, op.responses as JSONObject));
  w.strings(10, strs(op.schemes)).bool(11, bool(op.deprecated));
  writeSecurity(w, 12, op.security);
  writeExtensions(w, 13, op);
}

/** ParametersItem is a oneof: Parameter (1) or JsonReference (2). */
function writeParametersItem(w: ProtoWriter, p: JSONObject): void {
  if (typeof p.$ref === 'string') w.message(2, (m) => writeJsonReference(m, p));
  else w.message(1, (m) => writeParameter(m, p));
}

function writeJsonReference(w: ProtoWriter, r: JSONObject): void {
  w.string(1, str(r.$ref)).string(2, str(r.description));
}

/**
 * Parameter is a oneof: BodyParameter (1) or NonBodyParameter (2); NonBodyParameter is a
 * oneof by `in`: header (1), formData (2), query (3), path (4). The four sub-schemas share
 * their fields, except that query and formData have `allow_empty_value` at 5, which moves
 * every later field up by one.
 */
function writeParameter(w: ProtoWriter, p: JSONObject): void {
  if (p.in === 'body') {
    w.message(1, (m) => {
      m.string(1, str(p.description)).string(2, str(p.name)).string(3, 'body').bool(4, bool(p.required));
      if (isObject(p.schema)) m.message(5, (s) => writeSchema(s, p.schema as JSONObject));
      writeExtensions(m, 6, p);
    });
    return;
  }
  const oneof = { header: 1, formData: 2, query: 3, path: 4 }[String(p.in)];
  if (oneof === undefined) return;
  const shift = oneof === 2 || oneof === 3 ? 1 : 0;
  w.message(2, (nb) => nb.message(oneof, (m) => {
    m.bool(1, bool(p.required)).string(2, str(p.in)).string(3, str(p.description)).string(4, str(p.name));
    if (shift) m.bool(5, bool(p.allowEmptyValue));
    writePrimitiveFields(m, p, 5 + shift);
  }));
}

/**
 * The run of fields that parameter sub-schemas, PrimitivesItems and Header share, in their
 * order: type, format, items, collectionFormat, default, maximum, exclusiveMaximum, minimum,
 * exclusiveMinimum, maxLength, minLength, pattern, maxItems, minItems, uniqueItems, enum,
 * multipleOf, numbered from `first`, then vendor_extension at `extensions` (Header puts its
 * description between them).
 */
function writePrimitiveFields(w: ProtoWriter, p: JSONObject, first: number, extensions = first + 17): void {
  w.string(first, str(p.type)).string(first + 1, str(p.format));
  if (isObject(p.items)) w.message(first + 2, (m) => writePrimitiveFields(m, p.items as JSONObject, 1));
  w.string(first + 3, str(p.collectionFormat));
  if (p.default !== undefined) w.message(first + 4, (m) => writeAny(m, p.default));
  w.double(first + 5, num(p.maximum)).bool(first + 6, bool(p.exclusiveMaximum))
    .double(first + 7, num(p.minimum)).bool(first + 8, bool(p.exclusiveMinimum))
    .int64(first + 9, num(p.maxLength)).int64(first + 10, num(p.minLength)).string(first + 11, str(p.pattern))
    .int64(first + 12, num(p.maxItems)).int64(first + 13, num(p.minItems)).bool(first + 14, bool(p.uniqueItems));
  for (const value of Array.isArray(p.enum) ? p.enum : []) w.message(first + 15, (m) => writeAny(m, value));
  w.double(first + 16, num(p.multipleOf));
  writeExtensions(w, extensions, p);
}

/** Responses { repeated NamedResponseValue response_code = 1; vendor_extension = 2 }; ResponseValue is a oneof: Response (1) or JsonReference (2). */
function writeResponses(w: ProtoWriter, responses: JSONObject): void {
  eachEntry(responses, (code, r) => {
    if (code.startsWith('x-')) return;
    w.message(1, (n) => n.string(1, code, true).message(2, (v) => {
      if (typeof r.$ref === 'string') v.message(2, (m) => writeJsonReference(m, r));
      else v.message(1, (m) => writeResponse(m, r));
    }));
  });
  writeExtensions(w, 2, responses);
}

function writeResponse(w: ProtoWriter, r: JSONObject): void {
  w.string(1, str(r.description));
  // SchemaItem is a oneof: Schema (1) or FileSchema (2, for `type: file`).
  if (isObject(r.schema)) w.message(2, (item) => item.message(1, (s) => writeSchema(s, r.schema as JSONObject)));
  if (isObject(r.headers)) {
    w.message(3, (h) => eachEntry(r.headers, (name, header) => h.message(1, (n) => n.string(1, name, true).message(2, (m) => {
      // Header: the shared run at 1-17, description 18, vendor_extension 19.
      writePrimitiveFields(m, header, 1, 19);
      m.string(18, str(header.description));
    }))));
  }
  if (isObject(r.examples)) w.message(4, (m) => writeNamedAnys(m, 1, r.examples as JSONObject));
  writeExtensions(w, 5, r);
}

// ---------------------------------------------------------------- schemas

/** Definitions and Properties are both `{ repeated NamedSchema additional_properties = 1 }`. */
function writeNamedSchemas(w: ProtoWriter, schemas: JSONObject): void {
  eachEntry(schemas, (name, schema) => w.message(1, (n) => n.string(1, name, true).message(2, (m) => writeSchema(m, schema))));
}

function writeSchema(w: ProtoWriter, s: JSONObject): void {
  w.string(1, str(s.$ref)).string(2, str(s.format)).string(3, str(s.title)).string(4, str(s.description));
  if (s.default !== undefined) w.message(5, (m) => writeAny(m, s.default));
  w.double(6, num(s.multipleOf)).double(7, num(s.maximum)).bool(8, bool(s.exclusiveMaximum))
    .double(9, num(s.minimum)).bool(10, bool(s.exclusiveMinimum))
    .int64(11, num(s.maxLength)).int64(12, num(s.minLength)).string(13, str(s.pattern))
    .int64(14, num(s.maxItems)).int64(15, num(s.minItems)).bool(16, bool(s.uniqueItems))
    .int64(17, num(s.maxProperties)).int64(18, num(s.minProperties)).strings(19, strs(s.required));
  for (const value of Array.isArray(s.enum) ? s.enum : []) w.message(20, (m) => writeAny(m, value));
  // AdditionalPropertiesItem is a oneof: Schema (1) or bool (2); `false` must still be written.
  if (isObject(s.additionalProperties)) w.message(21, (m) => m.message(1, (sub) => writeSchema(sub, s.additionalProperties as JSONObject)));
  else if (typeof s.additionalProperties === 'boolean') w.message(21, (m) => m.bool(2, s.additionalProperties as boolean, true));
  // TypeItem { repeated string value = 1 }: `type` may be one name or a list.
  if (s.type !== undefined) w.message(22, (m) => m.strings(1, Array.isArray(s.type) ? strs(s.type) : strs([s.type])));
  // ItemsItem { repeated Schema schema = 1 }: one schema or a tuple of them.
  if (s.items !== undefined) w.message(23, (m) => { for (const item of Array.isArray(s.items) ? objs(s.items) : objs([s.items])) m.message(1, (sub) => writeSchema(sub, item)); });
  for (const sub of objs(s.allOf)) w.message(24, (m) => writeSchema(m, sub));
  if (isObject(s.properties)) w.message(25, (m) => writeNamedSchemas(m, s.properties as JSONObject));
  w.string(26, str(s.discriminator)).bool(27, bool(s.readOnly));
  if (isObject(s.xml)) {
    const x = s.xml as JSONObject;
    w.message(28, (m) => writeExtensions(m.string(1, str(x.name)).string(2, str(x.namespace)).string(3, str(x.prefix)).bool(4, bool(x.attribute)).bool(5, bool(x.wrapped)), 6, x));
  }
  if (isObject(s.externalDocs)) w.message(29, (m) => writeExternalDocs(m, s.externalDocs as JSONObject));
  if (s.example !== undefined) w.message(30, (m) => writeAny(m, s.example));
  writeExtensions(w, 31, s);
}

// ---------------------------------------------------------------- Any and vendor extensions

/** The `x-` keys of an object as `repeated NamedAny` at `field`. */
function writeExtensions(w: ProtoWriter, field: number, obj: JSONObject): void {
  for (const [name, value] of Object.entries(obj)) {
    if (name.startsWith('x-') && value !== undefined) w.message(field, (n) => n.string(1, name, true).message(2, (m) => writeAny(m, value)));
  }
}

function writeNamedAnys(w: ProtoWriter, field: number, obj: JSONObject): void {
  for (const [name, value] of Object.entries(obj)) w.message(field, (n) => n.string(1, name, true).message(2, (m) => writeAny(m, value)));
}

/** Any { google.protobuf.Any value = 1; string yaml = 2 }: gnostic fills only `yaml`. */
function writeAny(w: ProtoWriter, value: unknown): void {
  w.string(2, yamlText(value), true);
}

const yamlCache = new Map<string, string>();

/** YAML of a JSON value (memoised: the same few extension values recur thousands of times). */
function yamlText(value: unknown): string {
  const key = JSON.stringify(value);
  let text = yamlCache.get(key);
  if (text === undefined) {
    text = stringify(value, { version: '1.1', lineWidth: 0 });
    if (yamlCache.size < 10_000) yamlCache.set(key, text);
  }
  return text;
}

// ---------------------------------------------------------------- JSON accessors

function isObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function eachEntry(obj: unknown, fn: (name: string, value: JSONObject) => void): void {
  if (!isObject(obj)) return;
  for (const [name, value] of Object.entries(obj)) if (isObject(value) || Array.isArray(value)) fn(name, value as JSONObject);
}

function objs(value: unknown): JSONObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strs(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
