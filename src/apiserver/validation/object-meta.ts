// metadata validation every write runs: ValidateObjectMeta / ValidateObjectMetaUpdate
// (k8s.io/apimachinery pkg/api/validation/objectmeta.go, plus the finalizer rule
// pkg/apis/core/validation adds for built-in kinds), labels, annotations and LabelSelector
// objects (pkg/apis/meta/v1/validation). Field paths and details are the ones kube-apiserver
// puts in an Invalid Status. Inputs arrive as decoded JSON, so values are checked for type too.
import { isPlainObject, type ObjectMeta } from '../object.js';
import { fieldError, type FieldError } from './field-errors.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
} from './names.js';

export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
/** TotalAnnotationSizeLimitB: keys plus values, in bytes. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

/** Finalizers that may be written without a domain (core validation's standardFinalizers). */
export const STANDARD_FINALIZERS: ReadonlySet<string> = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** A name rule as apimachinery's ValidateNameFunc: `prefix` is true for generateName. */
export type NameValidation = 'dns1123Subdomain' | 'dns1123Label' | 'path';

export interface ObjectMetaValidationOptions {
  namespaced: boolean;
  nameValidation: NameValidation;
  /**
   * Reject finalizers that are neither domain-qualified nor standard, as built-in kinds do
   * (default true). Custom resources pass false: kube-apiserver only warns about those.
   */
  requireQualifiedFinalizers?: boolean;
}

// maskTrailingDash mirrors apimachinery's helper, quirk included: when a generateName prefix
// of more than one character ends in '-', its last TWO characters are replaced by "a", so a
// prefix like "web-" validates as the name "wea" would.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

function validateName(rule: NameValidation, name: string, prefix: boolean): string[] {
  switch (rule) {
    case 'dns1123Subdomain':
      return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
    case 'dns1123Label':
      return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
    case 'path':
      return prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
  }
}

function typeError(fldPath: string, value: unknown, type: string): FieldError {
  return fieldError.typeInvalid(fldPath, value, `must be of type ${type}`);
}

/** A string map from JSON, or the type errors that stop further checks on it. */
function stringMap(v: unknown, fldPath: string): { entries: [string, string][]; errs: FieldError[] } {
  if (v === undefined || v === null) return { entries: [], errs: [] };
  if (!isPlainObject(v)) return { entries: [], errs: [typeError(fldPath, v, 'object')] };
  const entries: [string, string][] = [];
  const errs: FieldError[] = [];
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') entries.push([k, val]);
    else errs.push(typeError(`${fldPath}[${k}]`, val, 'string'));
  }
  return { entries, errs };
}

/** v1validation.ValidateLabels: every error sits at the labels path itself, not at the key. */
export function validateLabels(labels: unknown, fldPath: string): FieldError[] {
  const { entries, errs } = stringMap(labels, fldPath);
  for (const [k, v] of entries) {
    for (const msg of isQualifiedName(k)) errs.push(fieldError.invalid(fldPath, k, msg));
    for (const msg of isValidLabelValue(v)) errs.push(fieldError.invalid(fldPath, v, msg));
  }
  return errs;
}

/** ValidateAnnotations: keys are qualified names once lowercased; the whole map is at most 256 KiB. */
export function validateAnnotations(annotations: unknown, fldPath: string): FieldError[] {
  const { entries, errs } = stringMap(annotations, fldPath);
  let total = 0;
  for (const [k, v] of entries) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldError.invalid(fldPath, k, msg));
    total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(fieldError.tooLong(fldPath, '', TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

/**
 * v1validation.ValidateLabelSelector (label values checked strictly, as for new objects):
 * matchLabels as labels; each matchExpressions entry needs a known operator, values for
 * In/NotIn and none for Exists/DoesNotExist, a qualified-name key and valid label values.
 */
export function validateLabelSelectorSpec(sel: unknown, fldPath: string): FieldError[] {
  if (sel === undefined || sel === null) return [];
  if (!isPlainObject(sel)) return [typeError(fldPath, sel, 'object')];
  const errs = validateLabels(sel.matchLabels, `${fldPath}.matchLabels`);
  const exprs = sel.matchExpressions;
  if (exprs === undefined || exprs === null) return errs;
  if (!Array.isArray(exprs)) return [...errs, typeError(`${fldPath}.matchExpressions`, exprs, 'array')];
  exprs.forEach((expr: unknown, i) => {
    const path = `${fldPath}.matchExpressions[${i}]`;
    if (!isPlainObject(expr)) {
      errs.push(typeError(path, expr, 'object'));
      return;
    }
    const values = Array.isArray(expr.values) ? (expr.values as unknown[]) : [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldError.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(fieldError.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        break;
      default:
        errs.push(fieldError.invalid(`${path}.operator`, expr.operator ?? '', 'not a valid selector operator'));
    }
    const key = typeof expr.key === 'string' ? expr.key : '';
    for (const msg of isQualifiedName(key)) errs.push(fieldError.invalid(`${path}.key`, key, msg));
    values.forEach((v, j) => {
      if (typeof v !== 'string') errs.push(typeError(`${path}.values[${j}]`, v, 'string'));
      else for (const msg of isValidLabelValue(v)) errs.push(fieldError.invalid(`${path}.values[${j}]`, v, msg));
    });
  });
  return errs;
}

/** schema.ParseGroupVersion: "v1", "apps/v1"; "" and "/" are empty; more slashes fail. */
function parseGroupVersion(gv: string): { group: string; version: string } | undefined {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: gv };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** An owner reference as Go serialises it (field order, omitted nil pointers), for messages. */
function ownerReferenceValue(ref: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { apiVersion: str(ref.apiVersion), kind: str(ref.kind), name: str(ref.name), uid: str(ref.uid) };
  if (typeof ref.controller === 'boolean') out.controller = ref.controller;
  if (typeof ref.blockOwnerDeletion === 'boolean') out.blockOwnerDeletion = ref.blockOwnerDeletion;
  return out;
}

/**
 * ValidateOwnerReferences. Paths carry no index (metadata.ownerReferences.uid), as in
 * Kubernetes; an empty field is Invalid "must not be empty", and v1 Event may not own anything.
 */
export function validateOwnerReferences(refs: unknown, fldPath: string): FieldError[] {
  if (refs === undefined || refs === null) return [];
  if (!Array.isArray(refs)) return [typeError(fldPath, refs, 'array')];
  const errs: FieldError[] = [];
  let firstController = '';
  for (const item of refs as unknown[]) {
    if (!isPlainObject(item)) {
      errs.push(typeError(fldPath, item, 'object'));
      continue;
    }
    const gv = parseGroupVersion(str(item.apiVersion)) ?? { group: '', version: '' };
    const kind = str(item.kind);
    if (!gv.version) errs.push(fieldError.invalid(`${fldPath}.apiVersion`, str(item.apiVersion), 'version must not be empty'));
    if (!kind) errs.push(fieldError.invalid(`${fldPath}.kind`, kind, 'must not be empty'));
    if (!str(item.name)) errs.push(fieldError.invalid(`${fldPath}.name`, str(item.name), 'must not be empty'));
    if (!str(item.uid)) errs.push(fieldError.invalid(`${fldPath}.uid`, str(item.uid), 'must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && kind === 'Event') {
      errs.push(fieldError.invalid(fldPath, ownerReferenceValue(item), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (item.controller === true) {
      const current = `${kind}/${str(item.name)}`;
      if (firstController) {
        const all = (refs as unknown[]).map((r) => (isPlainObject(r) ? ownerReferenceValue(r) : r));
        errs.push(
          fieldError.invalid(
            fldPath,
            all,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

function stringList(v: unknown, fldPath: string): { items: string[]; errs: FieldError[] } {
  if (v === undefined || v === null) return { items: [], errs: [] };
  if (!Array.isArray(v)) return { items: [], errs: [typeError(fldPath, v, 'array')] };
  const items: string[] = [];
  const errs: FieldError[] = [];
  (v as unknown[]).forEach((item, i) => {
    if (typeof item === 'string') items.push(item);
    else errs.push(typeError(`${fldPath}[${i}]`, item, 'string'));
  });
  return { items, errs };
}

/**
 * ValidateFinalizers (qualified names, reported at the list's path; not both orphan and
 * foregroundDeletion), then core validation's rule for built-in kinds, reported per index:
 * a finalizer without a '/' must be one of STANDARD_FINALIZERS.
 */
export function validateFinalizers(finalizers: unknown, fldPath: string, requireQualified = true): FieldError[] {
  const { items, errs } = stringList(finalizers, fldPath);
  for (const f of items) for (const msg of isQualifiedName(f)) errs.push(fieldError.invalid(fldPath, f, msg));
  if (items.includes('orphan') && items.includes('foregroundDeletion')) {
    errs.push(fieldError.invalid(fldPath, items, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  if (requireQualified) {
    items.forEach((f, i) => {
      if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
        errs.push(fieldError.invalid(`${fldPath}[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
      }
    });
  }
  return errs;
}

/** Checks both create and update share (validateObjectMetaAccessorWithOptsCommon's tail). */
function validateMetaCollections(meta: ObjectMeta): FieldError[] {
  return [
    ...validateLabels(meta.labels, 'metadata.labels'),
    ...validateAnnotations(meta.annotations, 'metadata.annotations'),
    ...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'),
  ];
}

/**
 * ValidateObjectMeta on create. Kubernetes generates the name before validating, so it reports
 * a missing name whenever name is empty; here a generateName alone is enough, which gives the
 * same answers whether or not the caller generated the name first.
 */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(meta.name);
  const generateName = str(meta.generateName);
  if (generateName) {
    for (const msg of validateName(opts.nameValidation, generateName, true)) {
      errs.push(fieldError.invalid('metadata.generateName', generateName, msg));
    }
  }
  if (name) {
    for (const msg of validateName(opts.nameValidation, name, false)) errs.push(fieldError.invalid('metadata.name', name, msg));
  } else if (!generateName) {
    errs.push(fieldError.required('metadata.name', 'name or generateName is required'));
  }

  const namespace = str(meta.namespace);
  if (opts.namespaced) {
    if (!namespace) errs.push(fieldError.required('metadata.namespace'));
    else for (const msg of isDNS1123Label(namespace)) errs.push(fieldError.invalid('metadata.namespace', namespace, msg));
  } else if (namespace) {
    errs.push(fieldError.forbidden('metadata.namespace', 'not allowed on this type'));
  }

  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(fieldError.invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateMetaCollections(meta));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers', opts.requireQualifiedFinalizers ?? true));
  return errs;
}

/** Go's %#v of a []string: []string{"a", "b"}. */
function goStringSlice(items: string[]): string {
  return `[]string{${items.map((s) => JSON.stringify(s)).join(', ')}}`;
}

/**
 * ValidateObjectMetaUpdate: name and namespace may not change; nor may uid, creationTimestamp,
 * deletionTimestamp or deletionGracePeriodSeconds, though leaving one of those out counts as
 * keeping it (rest.BeforeUpdate copies them from the old object before validating). Once the
 * object is being deleted no finalizer may be added. Then the create rules for labels,
 * annotations, ownerReferences and finalizers.
 */
export function validateObjectMetaUpdate(
  meta: ObjectMeta,
  old: ObjectMeta,
  opts: Pick<ObjectMetaValidationOptions, 'requireQualifiedFinalizers'> = {},
): FieldError[] {
  const errs: FieldError[] = [];
  if (old.deletionTimestamp) {
    const before = new Set(stringList(old.finalizers, 'metadata.finalizers').items);
    const added = [...new Set(stringList(meta.finalizers, 'metadata.finalizers').items)].filter((f) => !before.has(f)).sort();
    if (added.length) {
      errs.push(
        fieldError.forbidden(
          'metadata.finalizers',
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`,
        ),
      );
    }
  }

  // JSON null and an absent field are the same thing (a nil pointer or zero value in Go).
  const immutable = (field: string, now: unknown, before: unknown): void => {
    if ((now ?? null) !== (before ?? null)) errs.push(fieldError.invalid(`metadata.${field}`, now ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  };
  const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
  immutable('name', str(meta.name), str(old.name));
  immutable('namespace', str(meta.namespace), str(old.namespace));
  if (given(meta.uid)) immutable('uid', meta.uid, old.uid);
  if (given(meta.creationTimestamp)) immutable('creationTimestamp', meta.creationTimestamp, old.creationTimestamp);
  if (given(meta.deletionTimestamp)) immutable('deletionTimestamp', meta.deletionTimestamp, old.deletionTimestamp);
  if (given(meta.deletionGracePeriodSeconds)) {
    immutable('deletionGracePeriodSeconds', meta.deletionGracePeriodSeconds, old.deletionGracePeriodSeconds);
  }

  errs.push(...validateMetaCollections(meta));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers', opts.requireQualifiedFinalizers ?? true));
  return errs;
}
