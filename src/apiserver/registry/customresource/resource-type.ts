// One ResourceType per served version of a CRD: the generic store configured with the
// version's structural schema (defaulting, pruning, validation, CEL rules), its subresources
// and printer columns, and conversion to and from the storage version (strategy None:
// only apiVersion changes, as apiextensions' nopConverter does).
import { current, freeze, isDraft, produce, type Draft } from 'immer';
import * as errors from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { celValidatorFor } from '../../schema/cel.js';
import { compileSchema, type CompiledSchema } from '../../schema/compile.js';
import { clonePlain, writeChanges } from '../../schema/plain-copy.js';
import type { JSONSchemaProps } from '../../schema/types.js';
import type { FieldError } from '../../validation/field-errors.js';
import { ALL_VERBS, type ResourceType, type Strategy } from '../strategy.js';
import type { CRD, CRDVersion } from './crd.js';
import { customResourcePrinter } from './printer.js';

const EMPTY_SCHEMA: JSONSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/** What serving a version needs from its schema; compiled once per CRD generation. */
interface VersionSchema {
  schema: JSONSchemaProps;
  compiled: CompiledSchema;
  cel?: { validate(obj: unknown, old?: unknown): FieldError[] };
}

function versionSchema(v: CRDVersion): VersionSchema {
  const schema = v.schema?.openAPIV3Schema ?? EMPTY_SCHEMA;
  const compiled = compileSchema(schema);
  const cel = celValidatorFor(schema);
  return { schema, compiled, cel };
}

/**
 * Defaults `obj` (an immer draft in the write pipeline) as applyDefaults would, reading the plain
 * state first: nothing to do is the common case, and otherwise a plain copy is defaulted and
 * the changed top-level fields written back (see schema/plain-copy.ts).
 */
function applyDefaults(s: VersionSchema, obj: KubeObject): void {
  const plain = isDraft(obj) ? current(obj) : obj;
  if (!s.compiled.needsDefaults(plain)) return;
  if (!isDraft(obj)) return s.compiled.applyDefaults(obj);
  const copy = clonePlain(plain);
  s.compiled.applyDefaults(copy);
  writeChanges(obj as Record<string, unknown>, plain as Record<string, unknown>, copy as Record<string, unknown>);
}

/** A stored object as version `apiVersion` serves it, with the current defaults; the same object when nothing changes. */
function servedObject(s: VersionSchema, obj: KubeObject, apiVersion: string): KubeObject {
  // produce() deep-freezes even an unchanged result; so does this.
  if (obj.apiVersion === apiVersion && !s.compiled.needsDefaults(obj)) return freeze(obj, true);
  return produce(obj, (d: Draft<KubeObject>) => {
    d.apiVersion = apiVersion;
    applyDefaults(s, d as KubeObject);
  });
}

/**
 * servedObject, remembered per stored object: a stored object is frozen and read again and again
 * (gets, lists, the response to the write, the old object of the next update, every watcher).
 */
function servedObjects(s: VersionSchema, apiVersion: string): (obj: KubeObject) => KubeObject {
  const served = new WeakMap<KubeObject, KubeObject>();
  return (obj) => {
    if (!Object.isFrozen(obj)) return servedObject(s, obj, apiVersion);
    let out = served.get(obj);
    if (!out) served.set(obj, (out = servedObject(s, obj, apiVersion)));
    return out;
  };
}

/** Prunes on a plain copy; the draft is only written when something was dropped (or an embedded ObjectMeta re-encoded). */
function pruned(s: VersionSchema, obj: KubeObject): { object: KubeObject; unknown: string[] } {
  const { copy, unknown, changed } = s.compiled.pruneCopy(obj);
  if (!changed) return { object: freeze(obj, true), unknown };
  const object = produce(obj, (d: Draft<KubeObject>) => writeChanges(d as Record<string, unknown>, obj as Record<string, unknown>, copy as Record<string, unknown>));
  return { object, unknown };
}

function strategyFor(v: CRDVersion, s: VersionSchema, isTerminating: () => boolean): Strategy {
  const hasStatus = Boolean(v.subresources?.status);
  const validate = (obj: KubeObject, old?: KubeObject): FieldError[] => [
    ...s.compiled.validate(obj),
    ...(s.cel?.validate(obj, old) ?? []),
  ];
  return {
    defaults: (obj) => applyDefaults(s, obj),
    prepareForCreate(obj) {
      // apiextensions' crdHandler refuses creates once the CRD is being deleted.
      if (isTerminating()) throw errors.methodNotAllowed('create not allowed while custom resource definition is terminating');
      // With a status subresource, status is written only through /status.
      if (hasStatus) delete obj.status;
    },
    prepareForUpdate(obj, old) {
      if (!hasStatus) return;
      if (old.status === undefined) delete obj.status;
      else obj.status = old.status;
    },
    validate: (obj) => validate(obj),
    validateUpdate: (obj, old) => validate(obj, old),
    validateStatusUpdate: (obj, old) => validate(obj, old),
    allowUnconditionalUpdate: false,
  };
}

export function customResourceTypes(crd: CRD, isTerminating: () => boolean = () => false): ResourceType[] {
  const { group, names, scope, versions } = crd.spec;
  const storage = versions.find((v) => v.storage) ?? versions[0]!;
  const storageApiVersion = `${group}/${storage.name}`;
  const out: ResourceType[] = [];
  const webhook = crd.spec.conversion?.strategy === 'Webhook';
  for (const v of versions) {
    if (!v.served) continue;
    // Webhook conversion is not implemented: objects that would need it answer a clear error.
    const noWebhook = (obj: KubeObject): never => {
      throw errors.internalError(
        new Error(
          `conversion webhook for ${obj.apiVersion}, Kind=${names.kind} failed: kubesim does not call conversion webhooks; use conversion strategy None, or read and write ${storageApiVersion} only`,
        ),
      );
    };
    const s = versionSchema(v);
    const apiVersion = `${group}/${v.name}`;
    const serve = servedObjects(s, apiVersion);
    const rt: ResourceType = {
      group,
      version: v.name,
      resource: names.plural,
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      singularName: names.singular ?? names.kind.toLowerCase(),
      shortNames: names.shortNames,
      categories: names.categories,
      namespaced: scope === 'Namespaced',
      verbs: ALL_VERBS,
      subresources: { status: Boolean(v.subresources?.status), scale: v.subresources?.scale },
      strategy: strategyFor(v, s, isTerminating),
      printer: customResourcePrinter(v.additionalPrinterColumns),
      isCustomResource: true,
      tracksGeneration: true,
      conversion: {
        toStorage: (obj) =>
          obj.apiVersion === storageApiVersion ? obj : webhook ? noWebhook(obj) : produce(obj, (d: Draft<KubeObject>) => void (d.apiVersion = storageApiVersion)),
        // Reads apply the current defaults too, so objects stored before a default was added get it.
        fromStorage: (obj) =>
          webhook && obj.apiVersion !== apiVersion
            ? noWebhook(obj)
            : serve(obj),
      },
      pruneUnknownFields: (obj) => pruned(s, obj),
      deprecationWarning: v.deprecated ? (v.deprecationWarning ?? `${apiVersion} ${names.kind} is deprecated`) : undefined,
      openAPISchema: s.schema as Record<string, unknown>,
    };
    out.push(rt);
  }
  return out;
}
