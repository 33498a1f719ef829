// ObjectMeta inside a custom resource. kube-apiserver never applies the CRD schema to metadata:
// it decodes it into metav1.ObjectMeta (apiextensions-apiserver pkg/apiserver/schema/objectmeta
// coerce.go GetObjectMetaWithOptions), so fields ObjectMeta does not have are dropped and reported
// as unknown ("metadata.foo"), a value of the wrong JSON type fails the decoding, and an embedded
// resource's metadata comes back re-encoded (omitempty fields gone, a null creationTimestamp removed).
import { isPlainObject } from '../object.js';
import { builtinDefinitions, SCHEMA_REF_PREFIX, type OpenAPISchema } from '../openapi/definitions.js';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function resolve(schema: unknown): OpenAPISchema | undefined {
  let s = schema as OpenAPISchema | undefined;
  for (let depth = 0; s && depth < 10; depth++) {
    const allOf = s.allOf as OpenAPISchema[] | undefined;
    const ref = (s.$ref ?? allOf?.[0]?.$ref) as string | undefined;
    if (!ref) return s;
    s = builtinDefinitions[ref.slice(SCHEMA_REF_PREFIX.length)];
  }
  return s;
}

/** Deletes what the Go type cannot hold, recording paths as sigs.k8s.io/json's strict decoder names them. */
function dropUnknown(v: unknown, schema: OpenAPISchema | undefined, path: string, out: string[]): void {
  if (!schema) return;
  if (Array.isArray(v)) {
    const items = resolve(schema.items);
    v.forEach((item, i) => dropUnknown(item, items, `${path}[${i}]`, out));
    return;
  }
  const props = schema.properties as Record<string, unknown> | undefined;
  if (!isPlainObject(v) || !props) return; // maps and free-form objects (FieldsV1) keep every key
  for (const k of Object.keys(v)) {
    if (Object.hasOwn(props, k)) dropUnknown(v[k], resolve(props[k]), `${path}.${k}`, out);
    else {
      out.push(`${path}.${k}`);
      delete v[k];
    }
  }
}

/** Removes unknown fields from a metadata value in place; returns their paths under `prefix` ("metadata", "spec.template.metadata"). */
export function pruneObjectMeta(meta: unknown, prefix: string): string[] {
  const out: string[] = [];
  dropUnknown(meta, resolve({ $ref: `${SCHEMA_REF_PREFIX}${OBJECT_META}` }), prefix, out);
  return out.sort();
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

const STRING_FIELDS: Record<string, string> = {
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  selfLink: 'string',
  uid: 'types.UID',
  resourceVersion: 'string',
};
const LIST_FIELDS: Record<string, [string, string]> = {
  finalizers: ['[]string', 'string'],
  ownerReferences: ['[]v1.OwnerReference', 'v1.OwnerReference'],
  managedFields: ['[]v1.ManagedFieldsEntry', 'v1.ManagedFieldsEntry'],
};

/**
 * Whether json.Unmarshal into metav1.ObjectMeta would fail, and with which message; undefined
 * when it decodes. Covers ObjectMeta's own fields and the element types of its maps and lists.
 */
export function objectMetaDecodeError(meta: unknown): string | undefined {
  const cannot = (v: unknown, into: string) => `json: cannot unmarshal ${jsonType(v)} into ${into}`;
  const field = (k: string, type: string) => `Go struct field ObjectMeta.${k} of type ${type}`;
  if (meta === null) return undefined;
  if (!isPlainObject(meta)) return cannot(meta, 'Go value of type v1.ObjectMeta');
  for (const [k, v] of Object.entries(meta)) {
    if (v === null) continue;
    if (k in STRING_FIELDS && typeof v !== 'string') return cannot(v, field(k, STRING_FIELDS[k]!));
    if (k === 'generation' || k === 'deletionGracePeriodSeconds') {
      if (typeof v !== 'number') return cannot(v, field(k, 'int64'));
      if (!Number.isInteger(v)) return `json: cannot unmarshal number ${v} into ${field(k, 'int64')}`;
    }
    if (k === 'labels' || k === 'annotations') {
      if (!isPlainObject(v)) return cannot(v, field(k, 'map[string]string'));
      const bad = Object.values(v).find((x) => typeof x !== 'string' && x !== null);
      if (bad !== undefined) return cannot(bad, field(k, 'string'));
    }
    const list = LIST_FIELDS[k];
    if (list) {
      if (!Array.isArray(v)) return cannot(v, field(k, list[0]));
      const want = list[1] === 'string' ? 'string' : 'object';
      const bad = v.find((x) => x !== null && (want === 'string' ? typeof x !== 'string' : !isPlainObject(x)));
      if (bad !== undefined) return cannot(bad, field(k, list[1]));
    }
  }
  return undefined;
}

/**
 * The effect of SetObjectMeta's re-encoding on an embedded resource's metadata: fields the Go
 * type omits when empty disappear, and a zero creationTimestamp is removed (objectmeta Coerce).
 */
export function normalizeEmbeddedObjectMeta(meta: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(meta)) {
    const empty =
      v === null ||
      v === '' ||
      (k === 'generation' && v === 0) ||
      (Array.isArray(v) && v.length === 0) ||
      (isPlainObject(v) && Object.keys(v).length === 0);
    if (empty) delete meta[k];
  }
}
