// PUT (k8s.io/apiserver pkg/endpoints/handlers/update.go), on the object or its status.
import * as errors from '../../errors.js';
import { decodeObject, parseBody } from '../decode.js';
import { checkFields } from '../field-validation.js';
import { dryRunOf, fieldManagerOf, fieldValidationOf, type ApiRequest, type ApiResponse } from '../request.js';
import { outputObject } from './output.js';

export function updateHandler(r: ApiRequest): ApiResponse {
  const dryRun = dryRunOf(r.query);
  const validation = fieldValidationOf(r.query, 'UpdateOptions');
  const parsed = parseBody(r.body, r.headers['content-type']);
  const decoded = decodeObject(r.rt, parsed);
  const { object: obj, warnings } = checkFields(r.rt, decoded, r.body, r.headers['content-type'], validation);
  if (obj.metadata.name !== undefined && obj.metadata.name !== r.info.name) {
    throw errors.badRequest(`the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${r.info.name})`);
  }
  if (r.rt.namespaced && obj.metadata.namespace && obj.metadata.namespace !== r.info.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const body = { ...obj, metadata: { ...obj.metadata, name: r.info.name } };
  const { object, created } = r.store.update(r.info.namespace, r.info.name, body, {
    dryRun,
    fieldManager: fieldManagerOf(r),
    subresource: r.info.subresource,
  });
  return { code: created ? 201 : 200, body: outputObject(r, object), warnings };
}
