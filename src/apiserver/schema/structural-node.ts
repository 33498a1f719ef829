// Reading an openAPIV3Schema as it arrives in a CustomResourceDefinition: decoded JSON that
// nothing has type-checked yet, so every accessor treats a value of the wrong type as unset
// (bad input must never crash the process). Also the field.Path rendering apiextensions'
// errors use: `a.b`, `properties[name]`, `allOf[0]`.
import { isPlainObject } from '../object.js';

/** One schema node, loosely typed: the JSONSchemaProps shape, or whatever a client sent. */
export type SchemaNode = Record<string, unknown>;

export function asNode(v: unknown): SchemaNode | undefined {
  return isPlainObject(v) ? v : undefined;
}

export function str(node: SchemaNode, key: string): string {
  const v = node[key];
  return typeof v === 'string' ? v : '';
}

/** A plain Go bool field: only `true` counts. */
export function flag(node: SchemaNode, key: string): boolean {
  return node[key] === true;
}

/** Whether the field is set at all (Go: a non-nil pointer, slice or map; JSON null reads as unset). */
export function isSet(node: SchemaNode, key: string): boolean {
  return node[key] !== undefined && node[key] !== null;
}

export function strings(node: SchemaNode, key: string): string[] {
  const v = node[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A list of subschemas (allOf, anyOf, oneOf); non-object entries read as empty schemas, as Go would zero them. */
export function nodes(node: SchemaNode, key: string): SchemaNode[] {
  const v = node[key];
  return Array.isArray(v) ? v.map((x) => asNode(x) ?? {}) : [];
}

/** A map of subschemas (properties, patternProperties, definitions), in the order the client wrote them. */
export function nodeMap(node: SchemaNode, key: string): [string, SchemaNode][] {
  const v = asNode(node[key]);
  return v ? Object.entries(v).map(([k, x]) => [k, asNode(x) ?? {}]) : [];
}

export function child(node: SchemaNode, key: string): SchemaNode | undefined {
  return asNode(node[key]);
}

/** `items` when it is one schema (JSONSchemaPropsOrArray.Schema). */
export function itemsSchema(node: SchemaNode): SchemaNode | undefined {
  return asNode(node.items);
}

/** `items` when it is a list of schemas (JSONSchemaPropsOrArray.JSONSchemas), which Kubernetes refuses. */
export function itemsArray(node: SchemaNode): SchemaNode[] | undefined {
  return Array.isArray(node.items) && node.items.length > 0 ? node.items.map((x) => asNode(x) ?? {}) : undefined;
}

/** `additionalProperties` as JSONSchemaPropsOrBool: a schema, a boolean, or unset. */
export function additionalProperties(node: SchemaNode): { schema?: SchemaNode; allows: boolean } | undefined {
  const v = node.additionalProperties;
  if (typeof v === 'boolean') return { allows: v };
  const schema = asNode(v);
  return schema ? { schema, allows: true } : undefined;
}

/** The `x-kubernetes-validations` rules, each as the object the client wrote. */
export function xValidations(node: SchemaNode): SchemaNode[] {
  return nodes(node, 'x-kubernetes-validations');
}

/** `default` is set unless missing or JSON null (v1 reads a literal null default as no default). */
export function hasDefault(node: SchemaNode): boolean {
  return isSet(node, 'default');
}

// ---------------------------------------------------------------- field paths

/** field.Path.Child: `a.b`, or just `b` at an empty root. */
export function childPath(path: string, ...names: string[]): string {
  return names.reduce((p, n) => (p ? `${p}.${n}` : n), path);
}

/** field.Path.Key: `a[k]`. */
export function keyPath(path: string, key: string): string {
  return `${path}[${key}]`;
}

/** field.Path.Index: `a[0]`. */
export function indexPath(path: string, i: number): string {
  return `${path}[${i}]`;
}

