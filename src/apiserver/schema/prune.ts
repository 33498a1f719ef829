// Pruning of unknown fields, as kube-apiserver decodes a custom resource
// (apiextensions-apiserver customresource_handler.go unstructuredSchemaCoercer.apply):
//   1. root metadata is decoded as ObjectMeta, dropping what ObjectMeta lacks ("metadata.foo");
//   2. pruning/algorithm.go PruneWithOptions removes every field the schema does not declare,
//      keeping apiVersion, kind and metadata at the root and in x-kubernetes-embedded-resource
//      objects, and keeping undeclared fields under x-kubernetes-preserve-unknown-fields (while
//      still pruning inside the properties declared there);
//   3. objectmeta.Coerce re-decodes each embedded resource's metadata the same way as step 1.
// The paths come back as kube-apiserver words `unknown field "<path>"` for fieldValidation:
// "spec.foo", "spec.items[0].foo", "spec.labels.key.foo" (each step's list sorted, as upstream).
import { isPlainObject } from '../object.js';
import { normalizeEmbeddedObjectMeta, objectMetaDecodeError, pruneObjectMeta } from './object-meta.js';
import { additionalPropertiesSchema, type JSONSchemaProps } from './types.js';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

const appendKey = (path: string, k: string) => (path ? `${path}.${k}` : k);

/** `s` with x-kubernetes-embedded-resource set, as PruneWithOptions treats the resource root. */
function asResourceRoot(s: JSONSchemaProps | undefined): JSONSchemaProps {
  return s?.['x-kubernetes-embedded-resource'] ? s : { ...s, 'x-kubernetes-embedded-resource': true };
}

function prune(x: unknown, s: JSONSchemaProps | undefined, path: string, out: string[]): void {
  if (s?.['x-kubernetes-preserve-unknown-fields']) {
    skipPrune(x, s, path, out);
    return;
  }
  if (isPlainObject(x)) {
    if (!s) {
      // No schema here (additionalProperties: true/false, or items missing): every key goes.
      for (const k of Object.keys(x)) {
        out.push(appendKey(path, k));
        delete x[k];
      }
      return;
    }
    for (const k of Object.keys(x)) {
      if (s['x-kubernetes-embedded-resource'] && META_FIELDS.has(k)) continue;
      const prop = s.properties?.[k];
      if (prop) prune(x[k], prop, appendKey(path, k), out);
      else if (s.additionalProperties !== undefined) prune(x[k], additionalPropertiesSchema(s), appendKey(path, k), out);
      else {
        if (!META_FIELDS.has(k) || path !== '') out.push(appendKey(path, k));
        delete x[k];
      }
    }
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => prune(v, s?.items, `${path}[${i}]`, out));
  }
}

/** Under x-kubernetes-preserve-unknown-fields: undeclared fields stay, declared ones are pruned inside. */
function skipPrune(x: unknown, s: JSONSchemaProps | undefined, path: string, out: string[]): void {
  if (!s) return;
  if (isPlainObject(x)) {
    for (const k of Object.keys(x)) {
      if (s['x-kubernetes-embedded-resource'] && META_FIELDS.has(k)) continue;
      const prop = s.properties?.[k];
      if (prop) prune(x[k], prop, appendKey(path, k), out);
      else if (s.additionalProperties !== undefined) prune(x[k], additionalPropertiesSchema(s), appendKey(path, k), out);
    }
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => skipPrune(v, s.items, `${path}[${i}]`, out));
  }
}

/**
 * objectmeta.Coerce below the root: each embedded resource's metadata loses unknown fields and
 * is re-encoded. Its paths are field.Path's ("spec.templates[web].metadata.foo").
 */
function coerceEmbedded(x: unknown, s: JSONSchemaProps | undefined, path: string, out: string[], isRoot: boolean): void {
  if (!s) return;
  if (isPlainObject(x)) {
    if (s['x-kubernetes-embedded-resource'] && !isRoot && isPlainObject(x.metadata) && !objectMetaDecodeError(x.metadata)) {
      out.push(...pruneObjectMeta(x.metadata, appendKey(path, 'metadata')));
      normalizeEmbeddedObjectMeta(x.metadata);
    }
    for (const k of Object.keys(x)) {
      const prop = s.properties?.[k];
      if (prop) coerceEmbedded(x[k], prop, appendKey(path, k), out, false);
      else if (s.additionalProperties !== undefined) coerceEmbedded(x[k], additionalPropertiesSchema(s), `${path}[${k}]`, out, false);
    }
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => coerceEmbedded(v, s.items, `${path}[${i}]`, out, false));
  }
}

/** Prunes a custom resource in place (a plain object or an immer draft); returns the unknown field paths. */
export function pruneCustomResource(obj: unknown, schema: JSONSchemaProps): string[] {
  if (!isPlainObject(obj)) return [];
  const metadata = isPlainObject(obj.metadata) && !objectMetaDecodeError(obj.metadata) ? pruneObjectMeta(obj.metadata, 'metadata') : [];
  const pruned: string[] = [];
  prune(obj, asResourceRoot(schema), '', pruned);
  const embedded: string[] = [];
  coerceEmbedded(obj, schema, '', embedded, true);
  return [...metadata, ...pruned.sort(), ...embedded.sort()];
}
