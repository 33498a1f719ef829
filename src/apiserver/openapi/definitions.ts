// The OpenAPI v3 component schemas of the built-in kinds, keyed by Kubernetes definition name
// ("io.k8s.api.core.v1.Pod"). Generated from @kubernetes/client-node's models plus
// ./patch-metadata.ts by `npm run gen:openapi`; the JSON is committed so the server needs no
// client-node at run time.
import definitions from './definitions.json' with { type: 'json' };

/** An OpenAPI v3 schema object, as JSON. */
export type OpenAPISchema = Readonly<Record<string, unknown>>;

export const builtinDefinitions: Readonly<Record<string, OpenAPISchema>> = definitions as Record<string, OpenAPISchema>;

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

/** The definition names a schema refers to directly ($ref anywhere inside it). */
export function directRefs(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) directRefs(item, out);
  } else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_REF_PREFIX)) out.add(value.slice(SCHEMA_REF_PREFIX.length));
      else directRefs(value, out);
    }
  }
  return out;
}
