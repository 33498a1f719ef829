// The scale subresource (autoscaling/v1 Scale), read from and written to the parent's
// replicas fields as kube-apiserver's scale REST storage does for Deployments,
// ReplicaSets and StatefulSets. A write to Scale is an update of the parent's spec,
// through the same pipeline as any update.
import * as errors from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { isPlainObject } from '../../object.js';
import { applyJSONPatch } from '../../patch/json-patch.js';
import { applyMergePatch } from '../../patch/merge-patch.js';
import type { ScaleSubresource } from '../../registry/strategy.js';
import { labelSelectorFromLabelSelectorSpec, labelSelectorToString, type LabelSelectorSpec } from '../../storage/selectors.js';
import { applyToScale, replicasFieldPath } from '../../fieldmanager/scale.js';
import { decodeManagers, encodeManagers } from '../../fieldmanager/managers.js';
import type { ManagedFieldsEntry } from '../../object.js';
import { formatTimestamp } from '../../registry/context.js';
import { apiVersionOf } from '../../registry/strategy.js';
import { mediaType, parseBody } from '../decode.js';
import { APPLY_PATCH_TYPE, applyManagerOf, asConflictStatus, forceOf } from './apply.js';
import { dryRunOf, fieldManagerOf, type ApiRequest, type ApiResponse } from '../request.js';

function pathParts(jsonPath: string): string[] {
  return jsonPath.replace(/^\./, '').split('.');
}

function readPath(obj: unknown, jsonPath: string): unknown {
  let cur = obj;
  for (const p of pathParts(jsonPath)) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function withPath(obj: KubeObject, jsonPath: string, value: unknown): KubeObject {
  const parts = pathParts(jsonPath);
  const set = (cur: unknown, i: number): unknown => {
    const base = isPlainObject(cur) ? cur : {};
    return { ...base, [parts[i]!]: i === parts.length - 1 ? value : set(base[parts[i]!], i + 1) };
  };
  return set(obj, 0) as KubeObject;
}

function selectorString(obj: KubeObject, spec: ScaleSubresource): string | undefined {
  if (!spec.labelSelectorPath) return undefined;
  const sel = readPath(obj, spec.labelSelectorPath);
  if (typeof sel === 'string') return sel;
  if (isPlainObject(sel)) return labelSelectorToString(labelSelectorFromLabelSelectorSpec(sel as LabelSelectorSpec));
  return undefined;
}

export function scaleOf(obj: KubeObject, spec: ScaleSubresource): KubeObject {
  const m = obj.metadata;
  const status: Record<string, unknown> = { replicas: Number(readPath(obj, spec.statusReplicasPath) ?? 0) };
  const selector = selectorString(obj, spec);
  if (selector !== undefined) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: Number(readPath(obj, spec.specReplicasPath) ?? 0) },
    status,
  };
}

export function scaleHandler(r: ApiRequest): ApiResponse {
  const spec = r.rt.subresources!.scale!;
  const current = r.store.get(r.info.namespace, r.info.name);
  const scale = scaleOf(current, spec);
  if (r.info.verb === 'get') return { code: 200, body: scale };

  const dryRun = dryRunOf(r.query);
  if (r.info.verb === 'patch' && mediaType(r.headers['content-type']) === APPLY_PATCH_TYPE) return applyScale(r, spec, current, dryRun);
  let desired: unknown;
  if (r.info.verb === 'update') {
    desired = parseBody(r.body, r.headers['content-type']);
  } else {
    const type = mediaType(r.headers['content-type']);
    const patch = parseBody(r.body, 'application/json');
    if (type === 'application/json-patch+json') desired = applyJSONPatch(scale, patch);
    else if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') desired = applyMergePatch(scale, patch);
    else throw errors.unsupportedMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', APPLY_PATCH_TYPE]);
  }
  if (!isPlainObject(desired) || !isPlainObject(desired.spec)) throw errors.badRequest('the body of a Scale must be an autoscaling/v1 Scale object');
  if (desired.kind !== undefined && desired.kind !== 'Scale') {
    throw errors.badRequest(`the kind in the data (${String(desired.kind)}) does not match the expected kind (Scale)`);
  }
  const replicas = validReplicas(r, desired.spec.replicas ?? 0);
  const meta = isPlainObject(desired.metadata) ? desired.metadata : {};
  const rv = typeof meta.resourceVersion === 'string' && meta.resourceVersion ? meta.resourceVersion : undefined;
  const next = withPath({ ...current, metadata: { ...current.metadata, resourceVersion: rv } }, spec.specReplicasPath, replicas);
  const { object } = r.store.update(r.info.namespace, r.info.name, next, { dryRun, fieldManager: fieldManagerOf(r), subresource: 'scale' });
  return { code: 200, body: scaleOf(object, spec) };
}

function validReplicas(r: ApiRequest, replicas: unknown): number {
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid({ group: 'autoscaling', kind: 'Scale' }, r.info.name, [
      { type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas, detail: 'must be greater than or equal to 0' },
    ]);
  }
  return replicas;
}

/** Server-side apply of an autoscaling/v1 Scale: ownership of replicas translated to and from the parent. */
function applyScale(r: ApiRequest, spec: ScaleSubresource, current: KubeObject, dryRun: boolean): ApiResponse {
  const manager = applyManagerOf(r);
  const applied = parseBody(r.body, APPLY_PATCH_TYPE, [APPLY_PATCH_TYPE]);
  if (!isPlainObject(applied) || applied.apiVersion !== 'autoscaling/v1' || applied.kind !== 'Scale') {
    throw errors.badRequest(`the applied object must be an autoscaling/v1 Scale, not ${isPlainObject(applied) ? `${String(applied.apiVersion)}, Kind=${String(applied.kind)}` : 'that'}`);
  }
  const appliedSpec = isPlainObject(applied.spec) ? applied.spec : {};
  if (appliedSpec.replicas !== undefined) validReplicas(r, appliedSpec.replicas);
  const entry: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion: apiVersionOf(r.rt), time: formatTimestamp(r.ctx.clock.now()), fieldsType: 'FieldsV1', subresource: 'scale' };
  let settled;
  try {
    settled = applyToScale({
      managers: decodeManagers(current.metadata.managedFields),
      replicasPath: replicasFieldPath(spec.specReplicasPath),
      liveReplicas: Number(readPath(current, spec.specReplicasPath) ?? 0),
      appliedSpec,
      entry,
      force: forceOf(r.query),
    });
  } catch (e) {
    throw asConflictStatus(e);
  }
  const next = withPath(current, spec.specReplicasPath, settled.replicas);
  const { object } = r.store.update(r.info.namespace, r.info.name, next, { dryRun, fieldManager: manager, subresource: 'scale', managedFields: encodeManagers(settled.managers) });
  return { code: 200, body: scaleOf(object, spec) };
}
