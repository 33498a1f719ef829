// PATCH with application/apply-patch+yaml: server-side apply (k8s.io/apiserver
// pkg/endpoints/handlers/patch.go applyPatcher + fieldmanager). The body is the applier's whole
// intent, YAML or JSON; it is merged into the live object by the schema, ownership is settled
// by ../../fieldmanager/apply.ts, and the result runs the ordinary create or update pipeline
// with the managedFields the apply computed. Applying to a missing object creates it.
import { ApplyConflictError, applyManagers, describeManager } from '../../fieldmanager/apply.js';
import { pathToString } from '../../fieldmanager/fieldpath.js';
import { decodeManagers, encodeManagers } from '../../fieldmanager/managers.js';
import { typeOfResource } from '../../fieldmanager/resource-schema.js';
import { undeclaredFields } from '../../fieldmanager/typed.js';
import * as errors from '../../errors.js';
import type { KubeObject, ManagedFieldsEntry } from '../../object.js';
import { isPlainObject } from '../../object.js';
import { objectFields } from '../../registry/managed-fields.js';
import { apiVersionOf } from '../../registry/strategy.js';
import { formatTimestamp } from '../../registry/context.js';
import { parseBody } from '../decode.js';
import { checkFields } from '../field-validation.js';
import { dryRunOf, fieldValidationOf, type ApiRequest, type ApiResponse } from '../request.js';
import { outputObject } from './output.js';

export const APPLY_PATCH_TYPE = 'application/apply-patch+yaml';

/** ValidatePatchOptions: an apply must name its manager. */
export function applyManagerOf(r: ApiRequest): string {
  const fm = r.query.get('fieldManager') ?? '';
  const errs = [];
  if (fm === '') errs.push({ type: 'FieldValueRequired' as const, field: 'fieldManager', detail: 'is required for apply patch' });
  else if (fm.length > 128) errs.push({ type: 'FieldValueTooLong' as const, field: 'fieldManager', omitValue: true, detail: 'must have at most 128 bytes' });
  if (errs.length) throw errors.invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', errs);
  return fm;
}

export function forceOf(query: URLSearchParams): boolean {
  const v = query.get('force');
  return v === 'true' || v === '1';
}

/** The applied configuration as an object of this endpoint's kind and name. */
function appliedObject(r: ApiRequest): KubeObject {
  const parsed = parseBody(r.body, APPLY_PATCH_TYPE, [APPLY_PATCH_TYPE]);
  if (!isPlainObject(parsed)) throw errors.badRequest('error decoding YAML: the applied configuration is not an object');
  if (!parsed.apiVersion || !parsed.kind) throw errors.badRequest(`invalid object type: ${JSON.stringify(`${parsed.apiVersion ?? ''}, Kind=${parsed.kind ?? ''}`)}`);
  if (parsed.apiVersion !== apiVersionOf(r.rt) || parsed.kind !== r.rt.kind) {
    throw errors.badRequest(`the apiVersion and kind of the applied object (${String(parsed.apiVersion)}, Kind=${String(parsed.kind)}) do not match the request (${apiVersionOf(r.rt)}, Kind=${r.rt.kind})`);
  }
  const metadata = isPlainObject(parsed.metadata) ? parsed.metadata : {};
  if (metadata.name !== undefined && metadata.name !== r.info.name) {
    throw errors.badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${r.info.name})`);
  }
  if (r.rt.namespaced && metadata.namespace !== undefined && metadata.namespace !== r.info.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  return { ...parsed, metadata: { ...metadata, name: r.info.name } } as KubeObject;
}

/** The object to write: the merged fields this endpoint covers over everything else from `current`. */
function assemble(r: ApiRequest, current: KubeObject | undefined, merged: Record<string, unknown>): KubeObject {
  const base: KubeObject = current ?? { apiVersion: apiVersionOf(r.rt), kind: r.rt.kind, metadata: { name: r.info.name } };
  if (r.info.subresource === 'status') return { ...base, status: merged.status } as KubeObject;
  const { metadata: mergedMeta, ...rest } = merged;
  const system: Record<string, unknown> = {};
  const own = objectFields(base, '').metadata as Record<string, unknown>;
  for (const [k, v] of Object.entries(base.metadata)) if (!(k in own)) system[k] = v;
  const out: Record<string, unknown> = { apiVersion: base.apiVersion, kind: base.kind, metadata: { ...system, ...(mergedMeta as object) }, ...rest };
  if (base.status !== undefined) out.status = base.status;
  return out as KubeObject;
}

export function applyHandler(r: ApiRequest): ApiResponse {
  const manager = applyManagerOf(r);
  const dryRun = dryRunOf(r.query);
  const validation = fieldValidationOf(r.query, 'PatchOptions');
  const config = appliedObject(r);
  if (config.metadata.managedFields !== undefined) throw errors.badRequest('metadata.managedFields must be nil');
  const undeclared = undeclaredFields(objectFields(config, r.info.subresource), typeOfResource(r.rt));
  if (undeclared.length) {
    // The fieldmanager's typed conversion error, which the handler returns unwrapped.
    const gvknn = `${r.info.namespace ?? ''}/${r.info.name}; ${r.rt.group}/${r.rt.version}, Kind=${r.rt.kind}`;
    const lines = undeclared.map((p) => `${pathToString(p)}: field not declared in schema`);
    const detail = lines.length === 1 ? lines[0] : `errors:\n${lines.map((l) => `  ${l}`).join('\n')}`;
    throw errors.unwrappedError(`failed to create typed patch object (${gvknn}): ${detail}`);
  }
  const { object: applied, warnings } = checkFields(r.rt, config, undefined, undefined, validation);
  let current: KubeObject | undefined;
  try {
    current = r.store.get(r.info.namespace, r.info.name);
  } catch (e) {
    if (!(errors.isStatusError(e) && e.code === 404) || r.info.subresource) throw e;
  }
  const subresource = r.info.subresource;
  const entry: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion: apiVersionOf(r.rt), time: formatTimestamp(r.ctx.clock.now()), fieldsType: 'FieldsV1' };
  if (subresource) entry.subresource = subresource;
  let result;
  try {
    result = applyManagers({
      live: current ? objectFields(current, subresource) : undefined,
      applied: objectFields(applied, subresource),
      type: typeOfResource(r.rt),
      managers: decodeManagers(current?.metadata.managedFields),
      entry,
      force: forceOf(r.query),
    });
  } catch (e) {
    throw asConflictStatus(e);
  }
  const obj = assemble(r, current, result.object);
  const opts = { dryRun, fieldManager: manager, subresource, managedFields: encodeManagers(result.managers) };
  if (!current) return { code: 201, body: outputObject(r, r.store.create(r.info.namespace, obj, opts)), warnings };
  const { object } = r.store.update(r.info.namespace, r.info.name, { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } }, { ...opts, allowCreate: false });
  return { code: 200, body: outputObject(r, object), warnings };
}

/** An ApplyConflictError as the 409 Status kube answers, one FieldManagerConflict cause per field; anything else as it is. */
export function asConflictStatus(e: unknown): unknown {
  if (!(e instanceof ApplyConflictError)) return e;
  return errors.applyConflict(
    e.message,
    e.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(c.manager)}`, field: pathToString(c.path) })),
  );
}
