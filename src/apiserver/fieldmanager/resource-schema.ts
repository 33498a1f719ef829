// The TypeNode of a resource: its built-in OpenAPI definition, or a custom resource's
// structural schema with metadata typed as ObjectMeta (as apiextensions' typeconverter does).
import { builtinDefinitions } from '../openapi/definitions.js';
import type { ResourceType } from '../registry/strategy.js';
import { DEDUCED, typeFromSchema, type TypeNode } from './schema.js';

const OBJECT_META = { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };

/** Per custom resource schema: the schema with metadata replaced by ObjectMeta. */
const wrapped = new WeakMap<object, Record<string, unknown>>();

export function typeOfResource(rt: Pick<ResourceType, 'openAPIDefinition' | 'openAPISchema' | 'isCustomResource'>): TypeNode {
  if (!rt.isCustomResource && rt.openAPIDefinition && builtinDefinitions[rt.openAPIDefinition]) {
    return typeFromSchema(builtinDefinitions[rt.openAPIDefinition]!, { definitions: builtinDefinitions, builtin: true });
  }
  const schema = rt.openAPISchema;
  if (!schema) return DEDUCED;
  let w = wrapped.get(schema);
  if (!w) {
    const properties = typeof schema.properties === 'object' && schema.properties !== null ? schema.properties : {};
    w = { ...schema, type: 'object', properties: { ...properties, metadata: OBJECT_META } };
    wrapped.set(schema, w);
  }
  return typeFromSchema(w, { definitions: builtinDefinitions, builtin: false });
}
