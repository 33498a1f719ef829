// Facts about a schema subtree, so the walks run on every object skip the parts of it where
// they cannot find anything (most schemas have no embedded resource, few have list types).
// Worked out once per schema node when the schema is frozen (a stored CRD's always is), else
// every time: an unfrozen schema might change between calls.
import { additionalPropertiesSchema, type JSONSchemaProps } from './types.js';

export type SchemaFact = (s: JSONSchemaProps) => boolean;

const known = new Map<SchemaFact, WeakMap<JSONSchemaProps, boolean>>();

/**
 * Whether `fact` holds for `s` or a node below it that the per-object walks follow: properties,
 * an additionalProperties schema, items.
 */
export function holdsAtOrBelow(s: JSONSchemaProps | undefined, fact: SchemaFact): boolean {
  if (!s) return false;
  const frozen = Object.isFrozen(s);
  let cache = known.get(fact);
  if (frozen) {
    if (!cache) known.set(fact, (cache = new WeakMap()));
    const v = cache.get(s);
    if (v !== undefined) return v;
  }
  const items = s.items && typeof s.items === 'object' && !Array.isArray(s.items) ? s.items : undefined;
  const v =
    fact(s) ||
    Object.values(s.properties ?? {}).some((p) => holdsAtOrBelow(p, fact)) ||
    holdsAtOrBelow(additionalPropertiesSchema(s), fact) ||
    holdsAtOrBelow(items, fact);
  if (frozen) cache!.set(s, v);
  return v;
}

export const isEmbeddedResource: SchemaFact = (s) => s['x-kubernetes-embedded-resource'] === true;
export const hasListType: SchemaFact = (s) => s['x-kubernetes-list-type'] === 'set' || s['x-kubernetes-list-type'] === 'map';
