// PATCH (k8s.io/apiserver pkg/endpoints/handlers/patch.go): the patch is a transform of the
// current object, and its result runs the same update pipeline as a PUT.
import * as errors from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { isPlainObject } from '../../object.js';
import { builtinPatchMeta } from '../../openapi/patch-meta-lookup.js';
import { applyJSONPatch } from '../../patch/json-patch.js';
import { applyMergePatch } from '../../patch/merge-patch.js';
import { NO_PATCH_META } from '../../patch/patch-meta.js';
import { applyStrategicMergePatch } from '../../patch/strategic-merge.js';
import { mediaType, parseBody } from '../decode.js';
import { checkFields } from '../field-validation.js';
import { dryRunOf, fieldManagerOf, fieldValidationOf, type ApiRequest, type ApiResponse } from '../request.js';
import { applyHandler, APPLY_PATCH_TYPE } from './apply.js';
import { outputObject } from './output.js';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
] as const;

export function patchHandler(r: ApiRequest): ApiResponse {
  if (mediaType(r.headers['content-type']) === APPLY_PATCH_TYPE) return applyHandler(r);
  if (r.query.has('force')) {
    throw errors.invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [{ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' }]);
  }
  const dryRun = dryRunOf(r.query);
  const validation = fieldValidationOf(r.query, 'PatchOptions');
  const type = mediaType(r.headers['content-type']);
  // Custom resources have no patch strategies: strategic merge patch is 415, as on a real server.
  const strategicAllowed = Boolean(r.rt.openAPIDefinition) && !r.rt.isCustomResource;
  if (!(PATCH_TYPES as readonly string[]).includes(type) || (type === 'application/strategic-merge-patch+json' && !strategicAllowed)) {
    const accepted = [...PATCH_TYPES, APPLY_PATCH_TYPE];
    throw errors.unsupportedMediaType(strategicAllowed ? accepted : accepted.filter((t) => !t.startsWith('application/strategic')));
  }
  const patch = parseBody(r.body, 'application/json');
  const current = r.store.get(r.info.namespace, r.info.name);
  let patched: unknown;
  switch (type) {
    case 'application/json-patch+json':
      patched = applyJSONPatch(current, patch);
      break;
    case 'application/merge-patch+json':
      if (!isPlainObject(patch)) throw errors.badRequest('json: cannot unmarshal into Go value of type map[string]interface {}');
      patched = applyMergePatch(current, patch);
      break;
    default: {
      if (!isPlainObject(patch)) throw errors.badRequest('json: cannot unmarshal into Go value of type map[string]interface {}');
      const meta = builtinPatchMeta(r.rt.openAPIDefinition!) ?? NO_PATCH_META;
      patched = applyStrategicMergePatch(current, patch, meta);
    }
  }
  if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) {
    throw errors.badRequest('the patch produced an object without metadata');
  }
  const { object: obj, warnings } = checkFields(r.rt, patched as KubeObject, undefined, undefined, validation);
  if (obj.metadata.name !== r.info.name) {
    throw errors.badRequest(`the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${r.info.name})`);
  }
  const { object } = r.store.update(r.info.namespace, r.info.name, obj, {
    dryRun,
    fieldManager: fieldManagerOf(r),
    subresource: r.info.subresource,
    allowCreate: false,
  });
  return { code: 200, body: outputObject(r, object), warnings };
}
