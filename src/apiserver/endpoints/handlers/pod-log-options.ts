// The query of GET pods/{name}/log decoded into PodLogOptions, and checked as kube-apiserver
// checks it (pkg/apis/core/validation ValidatePodLogOptions, called from
// pkg/registry/core/pod/rest/log.go): a parameter that does not parse is 400 BadRequest, a
// value out of range 422 Invalid on kind PodLogOptions.
import * as errors from '../../errors.js';
import type { FieldError } from '../../validation/field-errors.js';
import { parseQueryBool } from '../request-info.js';

export interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** sinceTime in ms since the epoch. */
  sinceTime?: number;
  limitBytes?: number;
}

function boolParam(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  const b = parseQueryBool(v);
  if (b === undefined && v !== null) throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
  return b ?? false;
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** metav1.Time in a query: RFC 3339, read to whole seconds as metav1.Time keeps it. */
function timeParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw errors.badRequest(`parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"`);
  return Math.floor(ms / 1000) * 1000;
}

export function podLogOptionsOf(query: URLSearchParams, podName: string): PodLogOptions {
  const opts: PodLogOptions = {
    container: query.get('container') ?? '',
    follow: boolParam(query, 'follow'),
    previous: boolParam(query, 'previous'),
    timestamps: boolParam(query, 'timestamps'),
    tailLines: intParam(query, 'tailLines'),
    sinceSeconds: intParam(query, 'sinceSeconds'),
    sinceTime: timeParam(query, 'sinceTime'),
    limitBytes: intParam(query, 'limitBytes'),
  };
  boolParam(query, 'insecureSkipTLSVerifyBackend');
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'tailLines', badValue: opts.tailLines, detail: 'must be greater than or equal to 0' });
  }
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) {
    errs.push({ type: 'FieldValueInvalid', field: 'limitBytes', badValue: opts.limitBytes, detail: 'must be greater than 0' });
  }
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) {
    errs.push({ type: 'FieldValueForbidden', field: '', detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  } else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) {
    errs.push({ type: 'FieldValueInvalid', field: 'sinceSeconds', badValue: opts.sinceSeconds, detail: 'must be greater than 0' });
  }
  if (errs.length) throw errors.invalid({ group: '', kind: 'PodLogOptions' }, podName, errs);
  return opts;
}
