// ValidateCustomResourceDefinition and ValidateCustomResourceDefinitionUpdate
// (k8s.io/apiextensions-apiserver pkg/apis/apiextensions/validation), on the v1 object as a
// client sent it. Kubernetes validates the internal form, where per-version settings that all
// versions share are moved to spec.validation / spec.subresources / spec.additionalPrinterColumns;
// errors are reported at those paths too (see sharedSettings), so a single-version CRD's schema
// errors read `spec.validation.openAPIV3Schema...` exactly as on a real cluster.
import type { KubeObject } from '../../../object.js';
import { isPlainObject } from '../../../object.js';
import { validateStructuralSchema } from '../../../schema/structural.js';
import type { JSONSchemaProps } from '../../../schema/types.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { isDNS1123Subdomain } from '../../../validation/names.js';
import { asArray, asObj, objects, str, validateImmutable, type Obj } from '../fields.js';
import { isEstablished, sharedSettings, subresourcesFor, type SharedSettings } from './crd-helpers.js';
import {
  hasRecognizedReviewVersionOrEmpty,
  isDNS1035Label,
  validateConversion,
  validateDeprecationWarning,
  validateEnum,
  validatePrinterColumn,
  validateSelectableFields,
  validateSubresources,
} from './crd-parts.js';

/** Shown with the missing-storage-version error: the usual cause is a pre-v1 (v1beta1) manifest. */
export const VERSIONS_HINT =
  'hint: apiextensions.k8s.io/v1 lists versions under spec.versions, each with its own schema (spec.versions[].schema.openAPIV3Schema)';

const API_APPROVAL_ANNOTATION = 'api-approved.kubernetes.io';

/** The rules an update relaxes when the stored CRD already broke them (Kubernetes' ratcheting). */
interface SpecOptions {
  requireRecognizedConversionReviewVersion: boolean;
  requireOpenAPISchema: boolean;
}

function versionList(spec: Obj): Obj[] {
  // Entries that are not objects read as empty versions, as Go would zero them.
  return asArray(spec.versions).map((v) => asObj(v) ?? {});
}

function openAPISchemaOf(version: Obj | undefined): Obj | undefined {
  return asObj(asObj(version?.schema)?.openAPIV3Schema);
}

const hasStatus = (sub: Obj | undefined): boolean => isPlainObject(sub?.status);

/** SchemaHas: whether any node of the schema, at any depth, satisfies `pred`. */
function schemaHas(s: unknown, pred: (n: Obj) => boolean): boolean {
  const n = asObj(s);
  if (!n) return false;
  if (pred(n)) return true;
  const children: unknown[] = [n.items, n.not, n.additionalProperties, n.additionalItems, ...asArray(n.items), ...asArray(n.allOf), ...asArray(n.anyOf), ...asArray(n.oneOf)];
  for (const key of ['properties', 'patternProperties', 'definitions', 'dependencies']) children.push(...Object.values(asObj(n[key]) ?? {}));
  return children.some((c) => schemaHas(c, pred));
}

/** ValidateCustomResourceDefinitionNames, for spec.names and status.acceptedNames. */
export function validateNames(names: Obj | undefined, path: string): FieldError[] {
  const n = names ?? {};
  const errs: FieldError[] = [];
  const label = (key: string, lower: boolean, prefix = ''): void => {
    const v = str(n[key]);
    const problems = v ? isDNS1035Label(lower ? v.toLowerCase() : v) : [];
    if (problems.length) errs.push(fieldError.invalid(`${path}.${key}`, v, prefix + problems.join(',')));
  };
  label('plural', false);
  label('singular', false);
  label('kind', true, 'may have mixed case, but should otherwise match: ');
  label('listKind', true, 'may have mixed case, but should otherwise match: ');
  asArray(n.shortNames).forEach((s, i) => {
    const problems = isDNS1035Label(str(s));
    if (problems.length) errs.push(fieldError.invalid(`${path}.shortNames[${i}]`, s, problems.join(',')));
  });
  // kind and listKind may not be the same, or parsing a list would be ambiguous.
  if (str(n.kind) && n.kind === n.listKind) errs.push(fieldError.invalid(`${path}.listKind`, n.listKind, 'kind and listKind may not be the same'));
  asArray(n.categories).forEach((c, i) => {
    const problems = isDNS1035Label(str(c));
    if (problems.length) errs.push(fieldError.invalid(`${path}.categories[${i}]`, c, problems.join(',')));
  });
  return errs;
}

function validateGroup(group: unknown): FieldError[] {
  const g = str(group);
  if (!g) return [fieldError.required('spec.group', '')];
  const problems = isDNS1123Subdomain(g);
  if (problems.length) return [fieldError.invalid('spec.group', g, problems.join(','))];
  if (g.split('.').length < 2) return [fieldError.invalid('spec.group', g, 'should be a domain with at least one dot')];
  return [];
}

/** validateCustomResourceDefinitionVersion: the settings a version has of its own. */
function validateVersion(versions: Obj[], shared: SharedSettings, i: number): FieldError[] {
  const v = versions[i]!;
  const path = `spec.versions[${i}]`;
  const errs = validateDeprecationWarning(v, path);
  const schema = shared.schema ? undefined : openAPISchemaOf(v);
  if (schema) {
    const statusSubresource = hasStatus(subresourcesFor(versions, shared, i));
    errs.push(...validateStructuralSchema(schema as JSONSchemaProps, `${path}.schema.openAPIV3Schema`, { statusSubresource }));
  }
  if (!shared.subresources) errs.push(...validateSubresources(asObj(v.subresources), `${path}.subresources`));
  if (!shared.additionalPrinterColumns) {
    objects(v.additionalPrinterColumns).forEach((c, j) => errs.push(...validatePrinterColumn(c, `${path}.additionalPrinterColumns[${j}]`)));
  }
  const selectable = objects(v.selectableFields);
  if (!shared.selectableFields && selectable.length > 0) {
    // Checked against the schema the version is served with, shared or its own.
    errs.push(...validateSelectableFields(selectable, openAPISchemaOf(shared.schema ? versions[0] : v), `${path}.selectableFields`));
  }
  return errs;
}

function validateSpec(spec: Obj, opts: SpecOptions): FieldError[] {
  const errs = [...validateGroup(spec.group), ...validateEnum('spec.scope', spec.scope, ['Cluster', 'Namespaced'])];
  const versions = versionList(spec);
  const shared = sharedSettings(versions);
  const sharedSchema = shared.schema ? openAPISchemaOf(versions[0]) : undefined;
  const preserveUnknownFields = spec.preserveUnknownFields === true;

  if (!sharedSchema && (opts.requireOpenAPISchema || !preserveUnknownFields)) {
    versions.forEach((v, i) => {
      if (openAPISchemaOf(v)) return;
      const path = `spec.versions[${i}].schema.openAPIV3Schema`;
      if (opts.requireOpenAPISchema) errs.push(fieldError.required(path, 'schemas are required'));
      else if (v.served === true) errs.push(fieldError.required(path, 'because otherwise all fields are pruned'));
    });
  }
  if (preserveUnknownFields && versions.some((v) => schemaHas(openAPISchemaOf(v), (n) => n.default !== undefined && n.default !== null))) {
    errs.push(fieldError.invalid('spec.preserveUnknownFields', true, 'must be false in order to use defaults in the schema'));
  }

  let storageCount = 0;
  const names = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    if (v.storage === true) storageCount++;
    const name = str(v.name);
    if (names.has(name)) unique = false;
    names.add(name);
    const problems = isDNS1035Label(name);
    if (problems.length) errs.push(fieldError.invalid(`spec.versions[${i}].name`, name, problems.join(',')));
    errs.push(...validateVersion(versions, shared, i));
  });
  const versionsValue = spec.versions ?? null;
  if (!unique) errs.push(fieldError.invalid('spec.versions', versionsValue, 'must contain unique version names'));
  if (storageCount !== 1) {
    const detail = 'must have exactly one version marked as storage version';
    errs.push(fieldError.invalid('spec.versions', versionsValue, versions.length === 0 ? `${detail}\n${VERSIONS_HINT}` : detail));
  }
  // The internal form's spec.version is the first version's name, and is checked again there.
  const first = str(versions[0]?.name);
  if (first) {
    const problems = isDNS1035Label(first);
    if (problems.length) errs.push(fieldError.invalid('spec.version', first, problems.join(',')));
  }

  const specNames = asObj(spec.names) ?? {};
  for (const key of ['plural', 'singular', 'kind', 'listKind']) if (!str(specNames[key])) errs.push(fieldError.required(`spec.names.${key}`, ''));
  errs.push(...validateNames(specNames, 'spec.names'));

  if (sharedSchema) {
    const statusSubresource = versions.some((_, i) => hasStatus(subresourcesFor(versions, shared, i)));
    errs.push(...validateStructuralSchema(sharedSchema as JSONSchemaProps, 'spec.validation.openAPIV3Schema', { statusSubresource }));
  }
  if (shared.subresources) errs.push(...validateSubresources(asObj(versions[0]?.subresources), 'spec.subresources'));
  if (shared.additionalPrinterColumns) {
    objects(versions[0]?.additionalPrinterColumns).forEach((c, j) => errs.push(...validatePrinterColumn(c, `spec.additionalPrinterColumns[${j}]`)));
  }
  const sharedSelectable = shared.selectableFields ? objects(versions[0]?.selectableFields) : [];
  if (sharedSelectable.length > 0) {
    if (!openAPISchemaOf(versions[0])) errs.push(fieldError.invalid('spec.selectableFields', '', 'selectableFields may only be set when validations.schema is included'));
    else errs.push(...validateSelectableFields(sharedSelectable, openAPISchemaOf(versions[0]), 'spec.selectableFields'));
  }

  const conversion = asObj(spec.conversion);
  if (conversion && conversion.strategy !== 'None' && preserveUnknownFields) {
    errs.push(fieldError.invalid('spec.conversion.strategy', conversion.strategy ?? null, 'must be None if spec.preserveUnknownFields is true'));
  }
  errs.push(...validateConversion(conversion, opts.requireRecognizedConversionReviewVersion));
  return errs;
}

/** ValidateCustomResourceDefinitionStoredVersions: every version ever stored stays served until migrated away. */
function validateStoredVersions(status: Obj, versions: Obj[]): FieldError[] {
  const path = 'status.storedVersions';
  const stored = asArray(status.storedVersions).map((v) => str(v));
  if (stored.length === 0) return [fieldError.invalid(path, status.storedVersions ?? null, 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const remaining = new Map(stored.map((v, i) => [v, i]));
  for (const v of versions) {
    const name = str(v.name);
    if (v.storage === true && !remaining.has(name)) errs.push(fieldError.invalid(path, stored, `must have the storage version ${name}`));
    remaining.delete(name);
  }
  for (const [v, i] of remaining) {
    errs.push(
      fieldError.invalid(
        `${path}[${i}]`,
        v,
        `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`,
      ),
    );
  }
  return errs;
}

function isProtectedGroup(group: string): boolean {
  return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

type Approval = 'missing' | 'bypassed' | 'approved' | 'invalid';

function approvalState(crd: Obj): Approval {
  const annotations = asObj(asObj(crd.metadata)?.annotations);
  const value = str(annotations?.[API_APPROVAL_ANNOTATION]);
  if (!value) return 'missing';
  if (value.startsWith('unapproved')) return 'bypassed';
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]+/.test(value) ? 'approved' : 'invalid';
}

/** validateAPIApproval: groups under k8s.io and kubernetes.io need the API review's approval annotation. */
function validateAPIApproval(crd: Obj, old: Obj | undefined): FieldError[] {
  if (!isProtectedGroup(str(asObj(crd.spec)?.group))) return [];
  const state = approvalState(crd);
  // An update that leaves the approval as it was is never refused for it.
  if (old && approvalState(old) === state) return [];
  const path = `metadata.annotations[${API_APPROVAL_ANNOTATION}]`;
  const see = 'see https://github.com/kubernetes/enhancements/pull/1111';
  if (state === 'missing') return [fieldError.required(path, `protected groups must have approval annotation "${API_APPROVAL_ANNOTATION}", ${see}`)];
  if (state === 'invalid') {
    const value = str(asObj(asObj(crd.metadata)?.annotations)?.[API_APPROVAL_ANNOTATION]);
    return [fieldError.invalid(path, value, `protected groups must have approval annotation "${API_APPROVAL_ANNOTATION}" with either a URL or a reason starting with "unapproved", ${see}`)];
  }
  return [];
}

function validatePreserveUnknownFields(crd: Obj, old: Obj | undefined): FieldError[] {
  if (asObj(old?.spec)?.preserveUnknownFields === true) return [];
  if (asObj(crd.spec)?.preserveUnknownFields !== true) return [];
  return [fieldError.invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead')];
}

/** ValidateCustomResourceDefinition (metadata is validated by the pipeline; the name rule is CRD-specific). */
export function validateCRD(crd: KubeObject): FieldError[] {
  const spec = asObj(crd.spec) ?? {};
  const status = asObj(crd.status) ?? {};
  const errs: FieldError[] = [];
  const name = crd.metadata.name;
  const names = asObj(spec.names) ?? {};
  if (name && name !== `${str(names.plural)}.${str(spec.group)}`) {
    errs.push(fieldError.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  errs.push(...validateSpec(spec, { requireRecognizedConversionReviewVersion: true, requireOpenAPISchema: true }));
  errs.push(...validateNames(asObj(status.acceptedNames), 'status.acceptedNames'));
  errs.push(...validateStoredVersions(status, versionList(spec)));
  errs.push(...validateAPIApproval(crd, undefined), ...validatePreserveUnknownFields(crd, undefined));
  return errs;
}

/** ValidateCustomResourceDefinitionUpdate: the create rules, relaxed where the stored CRD broke them, plus what may not change. */
export function validateCRDUpdate(crd: KubeObject, old: KubeObject): FieldError[] {
  const spec = asObj(crd.spec) ?? {};
  const oldSpec = asObj(old.spec) ?? {};
  const status = asObj(crd.status) ?? {};
  const oldVersions = versionList(oldSpec);
  const opts: SpecOptions = {
    requireRecognizedConversionReviewVersion: hasRecognizedReviewVersionOrEmpty(asObj(oldSpec.conversion)),
    requireOpenAPISchema: oldVersions.every((v) => !!openAPISchemaOf(v)),
  };
  const errs = validateSpec(spec, opts);
  const names = asObj(spec.names) ?? {};
  const oldNames = asObj(oldSpec.names) ?? {};
  // Scope and kind shape storage and clients once the CRD is served.
  if (isEstablished(old)) {
    errs.push(...validateImmutable(spec.scope, oldSpec.scope, 'spec.scope'), ...validateImmutable(names.kind, oldNames.kind, 'spec.names.kind'));
  }
  // Group and plural make up the CRD's name, which never changes.
  errs.push(...validateImmutable(spec.group, oldSpec.group, 'spec.group'), ...validateImmutable(names.plural, oldNames.plural, 'spec.names.plural'));
  errs.push(...validateNames(asObj(status.acceptedNames), 'status.acceptedNames'));
  errs.push(...validateStoredVersions(status, versionList(spec)));
  errs.push(...validateAPIApproval(crd, old), ...validatePreserveUnknownFields(crd, old));
  return errs;
}

/** ValidateUpdateCustomResourceDefinitionStatus (metadata is validated by the pipeline). */
export function validateCRDStatus(crd: KubeObject): FieldError[] {
  return validateNames(asObj(asObj(crd.status)?.acceptedNames), 'status.acceptedNames');
}
