// Reading a CustomResourceDefinition as stored (apiextensions.k8s.io/v1), for the CRD strategy
// and for the side that serves custom resources. Every reader tolerates a malformed object:
// validation reports what is wrong, these never throw.
import { isPlainObject } from '../../../object.js';
import { asArray, asObj, deepEqual, objects, type Obj } from '../fields.js';

/** The fields of spec.versions[] the serving side needs; anything else passes through. */
export interface CRDVersionLike {
  name?: unknown;
  served?: unknown;
  storage?: unknown;
}

/** Any object that may be a CRD: a typed one, or decoded JSON nothing has checked yet. */
type LooseCRD = { spec?: unknown; metadata?: unknown };

function versionsOf(crd: LooseCRD): Obj[] {
  return asArray(asObj(crd.spec)?.versions).filter(isPlainObject);
}

/** The version objects are persisted in: the one marked `storage: true` (validation allows exactly one). */
export function storageVersionOf<V extends CRDVersionLike>(crd: { spec: { versions: readonly V[] } }): V | undefined;
export function storageVersionOf(crd: LooseCRD): Obj | undefined;
export function storageVersionOf(crd: LooseCRD): Obj | undefined {
  return versionsOf(crd).find((v) => v.storage === true);
}

/** The versions served over REST (`served: true`), in spec order. */
export function servedVersions<V extends CRDVersionLike>(crd: { spec: { versions: readonly V[] } }): V[];
export function servedVersions(crd: LooseCRD): Obj[];
export function servedVersions(crd: LooseCRD): Obj[] {
  return versionsOf(crd).filter((v) => v.served === true);
}

export const CUSTOM_RESOURCE_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** Whether the CRD's Established condition is True (its names are in use and may not change kind or scope). */
export function isEstablished(crd: Obj): boolean {
  const status = asObj(crd.status);
  return objects(status?.conditions).some((c) => c.type === 'Established' && c.status === 'True');
}

/**
 * Semantic.DeepEqual on decoded JSON: null and a missing field are both unset, and so is an
 * empty list (Go's nil and empty slices compare equal). An empty object stays set: it may be a
 * struct pointer such as `subresources.status: {}`.
 */
function semanticEqual(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (v === null || v === undefined) return undefined;
    if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(norm);
    if (isPlainObject(v)) {
      const out: Obj = {};
      for (const [k, x] of Object.entries(v)) {
        const n = norm(x);
        if (n !== undefined) out[k] = n;
      }
      return out;
    }
    return v;
  };
  return deepEqual(norm(a), norm(b));
}

/**
 * Which per-version settings Kubernetes validates as shared: converting v1 to its internal
 * form moves a schema, subresources, printer columns or selectable fields that every version
 * has identically up to spec.validation / spec.subresources / ... and reports errors there.
 * A single-version CRD therefore reports `spec.validation.openAPIV3Schema...`.
 */
export interface SharedSettings {
  schema: boolean;
  subresources: boolean;
  additionalPrinterColumns: boolean;
  selectableFields: boolean;
}

export function sharedSettings(versions: Obj[]): SharedSettings {
  const same = (key: string): boolean => versions.length > 0 && versions.every((v) => semanticEqual(v[key], versions[0]![key]));
  return {
    schema: same('schema'),
    subresources: same('subresources'),
    additionalPrinterColumns: same('additionalPrinterColumns'),
    selectableFields: same('selectableFields'),
  };
}

/** The subresources that apply to a version: its own, or the shared ones. */
export function subresourcesFor(versions: Obj[], shared: SharedSettings, i: number): Obj | undefined {
  return asObj(shared.subresources ? versions[0]?.subresources : versions[i]?.subresources);
}
