// Query options of list and watch: selectors turned into a storage predicate, and the
// resourceVersion / resourceVersionMatch / sendInitialEvents rules of
// k8s.io/apimachinery pkg/apis/meta/internalversion/validation.
import * as errors from '../../errors.js';
import { parseQueryBool } from '../request-info.js';
import type { KubeObject } from '../../object.js';
import type { ResourceType } from '../../registry/strategy.js';
import type { Predicate, SelectorRequirements } from '../../storage/interface.js';
import { isEverything, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../../storage/selectors.js';
import type { FieldError } from '../../validation/field-errors.js';

export interface SelectionPredicate {
  predicate?: Predicate;
  /** The parsed requirements behind the predicate, for the store's indexes. */
  selector?: SelectorRequirements;
  everything: boolean;
}

/** Builds the predicate for labelSelector and fieldSelector; unsupported fields answer 400. */
export function selectionOf(rt: ResourceType, query: URLSearchParams): SelectionPredicate {
  const ls = query.get('labelSelector');
  const fs = query.get('fieldSelector');
  const labelSel = ls ? parseLabelSelector(ls) : undefined;
  const fieldSel = fs ? parseFieldSelector(fs) : undefined;
  if (fieldSel) {
    for (const r of fieldSel.requirements) {
      if (r.field !== 'metadata.name' && r.field !== 'metadata.namespace' && !rt.fieldSelectors?.[r.field]) {
        throw errors.badRequest(`field label not supported: ${r.field}`);
      }
    }
  }
  const labelsAll = !labelSel || isEverything(labelSel);
  const fieldsAll = !fieldSel || fieldSel.requirements.length === 0;
  if (labelsAll && fieldsAll) return { everything: true };
  const getters = rt.fieldSelectors ?? {};
  const predicate = (obj: KubeObject): boolean => {
    if (!labelsAll && !matchesLabels(labelSel!, obj.metadata.labels)) return false;
    if (!fieldsAll) {
      return matchesFields(fieldSel!, (field) => {
        if (field === 'metadata.name') return obj.metadata.name ?? '';
        if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
        return getters[field]?.(obj) ?? '';
      });
    }
    return true;
  };
  const selector: SelectorRequirements = {
    ...(labelsAll ? {} : { labels: labelSel!.requirements }),
    ...(fieldsAll ? {} : { fields: fieldSel!.requirements }),
  };
  return { predicate, selector, everything: false };
}

export interface ListParams {
  resourceVersion?: string;
  resourceVersionMatch?: string;
  limit?: number;
  continueToken?: string;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

function parseBool(v: string | null): boolean | undefined {
  if (v === null) return undefined;
  const b = parseQueryBool(v);
  if (b === undefined) throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
  return b;
}

export function listParamsOf(query: URLSearchParams, isWatch: boolean): ListParams {
  const p: ListParams = { allowWatchBookmarks: parseBool(query.get('allowWatchBookmarks')) ?? false };
  const rv = query.get('resourceVersion');
  if (rv !== null && rv !== '') p.resourceVersion = rv;
  const rvm = query.get('resourceVersionMatch');
  if (rvm !== null && rvm !== '') p.resourceVersionMatch = rvm;
  const limit = query.get('limit');
  if (limit !== null && limit !== '') {
    const n = Number(limit);
    if (!Number.isInteger(n)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(limit)}: invalid syntax`);
    if (n > 0) p.limit = n;
  }
  const cont = query.get('continue');
  if (cont !== null && cont !== '') p.continueToken = cont;
  const sie = parseBool(query.get('sendInitialEvents'));
  if (sie !== undefined) p.sendInitialEvents = sie;
  const ts = query.get('timeoutSeconds');
  if (ts !== null && ts !== '') {
    const n = Number(ts);
    if (!Number.isInteger(n)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(ts)}: invalid syntax`);
    p.timeoutSeconds = n;
  }
  validateListParams(p, isWatch);
  return p;
}

/** ValidateListOptions: the combinations kube-apiserver refuses, as 422 ListOptions.meta.k8s.io. */
function validateListParams(p: ListParams, isWatch: boolean): void {
  const errs: FieldError[] = [];
  if (p.sendInitialEvents !== undefined) {
    if (!isWatch) errs.push({ type: 'FieldValueForbidden', field: 'sendInitialEvents', detail: 'sendInitialEvents is forbidden for list' });
    if (p.resourceVersionMatch !== 'NotOlderThan') {
      errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' });
    }
    if (!p.allowWatchBookmarks) {
      errs.push({ type: 'FieldValueForbidden', field: 'allowWatchBookmarks', detail: 'sendInitialEvents requires setting allowWatchBookmarks to true' });
    }
  } else if (p.resourceVersionMatch !== undefined) {
    if (isWatch) {
      errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided' });
    } else {
      if (p.resourceVersion === undefined) {
        errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided' });
      }
      if (p.continueToken !== undefined) {
        errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden when continue is provided' });
      }
      if (p.resourceVersionMatch === 'Exact' && p.resourceVersion === '0') {
        errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"' });
      }
      if (p.resourceVersionMatch !== 'Exact' && p.resourceVersionMatch !== 'NotOlderThan') {
        errs.push({ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', badValue: p.resourceVersionMatch, detail: 'supported values: "Exact", "NotOlderThan", ""' });
      }
    }
  }
  if (errs.length) throw errors.invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
}

/** A resourceVersion query value as a number; kube answers 400 for one that isn't. */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw errors.badRequest(`invalid resource version "${rv}": strconv.ParseUint: parsing "${rv}": invalid syntax`);
  return Number(rv);
}
