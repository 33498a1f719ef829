// POST (k8s.io/apiserver pkg/endpoints/handlers/create.go).
import * as errors from '../../errors.js';
import { decodeObject, parseBody } from '../decode.js';
import { checkFields } from '../field-validation.js';
import { dryRunOf, fieldManagerOf, fieldValidationOf, type ApiRequest, type ApiResponse } from '../request.js';
import { outputObject } from './output.js';

export function createHandler(r: ApiRequest): ApiResponse {
  if (r.info.name && !r.info.subresource) throw errors.methodNotSupported({ group: r.rt.group, resource: r.rt.resource }, 'create');
  const dryRun = dryRunOf(r.query);
  const validation = fieldValidationOf(r.query, 'CreateOptions');
  const parsed = parseBody(r.body, r.headers['content-type']);
  const decoded = decodeObject(r.rt, parsed);
  const { object: obj, warnings } = checkFields(r.rt, decoded, r.body, r.headers['content-type'], validation);
  const ns = r.info.namespace;
  if (r.rt.namespaced && obj.metadata.namespace && obj.metadata.namespace !== ns) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const created = r.store.create(ns, obj, { dryRun, fieldManager: fieldManagerOf(r), subresource: '' });
  return { code: 201, body: outputObject(r, created), warnings };
}
