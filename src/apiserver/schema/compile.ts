// A CRD version's schema, compiled once into the three algorithms the custom resource strategy
// runs on every write (and defaulting on every read): prune, default, validate. The caller caches
// per CRD uid + generation + version; compileSchema also memoises on the schema object itself.
import type { FieldError } from '../validation/field-errors.js';
import { applyDefaultsTo, defaultsWouldChange } from './default.js';
import { validateEmbeddedResources } from './embedded.js';
import { validateListSetsAndMaps } from './listtype.js';
import { unstructuredEqual } from './cel/values.js';
import { clonePlain } from './plain-copy.js';
import { pruneCustomResource } from './prune.js';
import { holdsAtOrBelow, isEmbeddedResource } from './schema-facts.js';
import type { JSONSchemaProps } from './types.js';
import { compileValidator } from './validate.js';

export interface CompiledSchema {
  /**
   * Every violation of `obj` at once, in the order kube-apiserver's custom resource strategy
   * reports them: the OpenAPI schema (ValidateCustomResource), embedded resources' apiVersion,
   * kind and metadata (objectmeta.Validate), then x-kubernetes-list-type set/map uniqueness.
   * CEL rules (x-kubernetes-validations) and the root's metadata are checked elsewhere.
   */
  validate(obj: unknown): FieldError[];
  /** Fills defaults in place (obj is a mutable plain object or an immer draft), as defaulting/algorithm.go. */
  applyDefaults(obj: unknown): void;
  /** Whether applyDefaults would change `obj`, found by reading it only. */
  needsDefaults(obj: unknown): boolean;
  /** Removes fields the schema does not declare, in place; returns their paths as `unknown field "<path>"` names them. */
  prune(obj: unknown): string[];
  /** prune() on a copy of `obj`, which is left alone; `changed` says whether the copy differs from it. */
  pruneCopy<T>(obj: T): { copy: T; unknown: string[]; changed: boolean };
}

const compiled = new WeakMap<JSONSchemaProps, CompiledSchema>();

export function compileSchema(schema: JSONSchemaProps): CompiledSchema {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const validateSchema = compileValidator(schema);
  const result: CompiledSchema = {
    validate: (obj) => [...validateSchema(obj), ...validateEmbeddedResources(schema, obj), ...validateListSetsAndMaps(schema, obj)],
    applyDefaults: (obj) => applyDefaultsTo(obj, schema),
    needsDefaults: (obj) => defaultsWouldChange(obj, schema),
    prune: (obj) => pruneCustomResource(obj, schema),
    pruneCopy: (obj) => {
      const copy = clonePlain(obj);
      const unknown = pruneCustomResource(copy, schema);
      // Every field pruning drops is reported; only an embedded resource's metadata is re-encoded
      // silently (objectmeta.Coerce), so only a schema with one needs the comparison.
      const changed = unknown.length > 0 || (holdsAtOrBelow(schema, isEmbeddedResource) && !unstructuredEqual(copy, obj));
      return { copy, unknown, changed };
    },
  };
  compiled.set(schema, result);
  return result;
}
