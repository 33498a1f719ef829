// Parsing DeleteOptions from a DELETE: the body when there is one (JSON, any DeleteOptions
// apiVersion), else the query; then ValidateDeleteOptions. Errors carry kube-apiserver's code
// and message.
import { describe, expect, it } from 'vitest';
import { deleteOptionsOf } from '../../../src/apiserver/endpoints/handlers/delete.js';
import type { ApiRequest } from '../../../src/apiserver/endpoints/request.js';
import { isStatusError } from '../../../src/apiserver/errors.js';

function request(query: string, body?: unknown): ApiRequest {
  const raw = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { query: new URLSearchParams(query), headers: raw ? { 'content-type': 'application/json' } : {}, body: raw } as unknown as ApiRequest;
}

function failure(query: string, body?: unknown): { code: number; message: string } {
  try {
    deleteOptionsOf(request(query, body));
  } catch (e) {
    if (isStatusError(e)) return { code: e.code, message: e.status.message ?? '' };
    throw e;
  }
  throw new Error('expected a failure');
}

describe('deleteOptionsOf', () => {
  it.each([
    ['nothing', '', undefined, { dryRun: false }],
    ['query policy and grace', 'propagationPolicy=Foreground&gracePeriodSeconds=5', undefined, { dryRun: false, propagationPolicy: 'Foreground', gracePeriodSeconds: 5 }],
    ['query orphanDependents as strconv.ParseBool reads it', 'orphanDependents=T', undefined, { dryRun: false, orphanDependents: true }],
    ['query orphanDependents=0', 'orphanDependents=0', undefined, { dryRun: false, orphanDependents: false }],
    ['query dryRun', 'dryRun=All', undefined, { dryRun: true }],
    ['an empty query policy is no policy', 'propagationPolicy=', undefined, { dryRun: false }],
    [
      'kubectl\'s body',
      '',
      { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
      { dryRun: false, propagationPolicy: 'Background' },
    ],
    [
      'a typed client\'s body under its own group version',
      '',
      { kind: 'DeleteOptions', apiVersion: 'apps/v1', orphanDependents: false, gracePeriodSeconds: 0, preconditions: { uid: 'u', resourceVersion: '7' }, dryRun: ['All'] },
      { dryRun: true, orphanDependents: false, gracePeriodSeconds: 0, preconditions: { uid: 'u', resourceVersion: '7' } },
    ],
    ['the body replaces the query entirely', 'propagationPolicy=Orphan&dryRun=All&gracePeriodSeconds=3', { propagationPolicy: 'Foreground' }, { dryRun: false, propagationPolicy: 'Foreground' }],
    ['null fields are absent', '', { propagationPolicy: null, orphanDependents: null, gracePeriodSeconds: null }, { dryRun: false }],
  ])('%s', (_name, query, body, want) => {
    expect(deleteOptionsOf(request(query, body))).toEqual(want);
  });

  it.each([
    [
      'both set',
      'orphanDependents=true&propagationPolicy=Orphan',
      undefined,
      422,
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set',
    ],
    [
      'both set in the body',
      '',
      { orphanDependents: false, propagationPolicy: 'Foreground' },
      422,
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Foreground": orphanDependents and deletionPropagation cannot be both set',
    ],
    [
      'an unknown policy',
      'propagationPolicy=background',
      undefined,
      422,
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "background": supported values: "Foreground", "Background", "Orphan", "nil"',
    ],
    ['a query bool that is none', 'orphanDependents=yes', undefined, 400, 'strconv.ParseBool: parsing "yes": invalid syntax'],
    ['a body bool of the wrong type', '', { orphanDependents: 'true' }, 400, 'json: cannot unmarshal string into Go struct field DeleteOptions.orphanDependents of type bool'],
    ['another kind in the body', '', { kind: 'Pod' }, 400, 'the kind in the data (Pod) does not match the expected kind (DeleteOptions)'],
    ['a grace period that is no integer', 'gracePeriodSeconds=1.5', undefined, 400, 'gracePeriodSeconds: invalid value "1.5": must be an integer'],
  ])('refuses %s', (_name, query, body, code, message) => {
    expect(failure(query, body)).toEqual({ code, message });
  });
});
