// POST pods/{name}/binding: how a scheduler assigns a pod to a node (kube's BindingREST in
// pkg/registry/core/pod/storage). Sets spec.nodeName once, and the PodScheduled condition;
// a pod already bound, or being deleted, answers 409 Conflict.
import { produce, type Draft } from 'immer';
import * as errors from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { isPlainObject } from '../../object.js';
import { formatTimestamp } from '../../registry/context.js';
import { parseBody } from '../decode.js';
import { dryRunOf, type ApiRequest, type ApiResponse } from '../request.js';

export function bindingHandler(r: ApiRequest): ApiResponse {
  if (r.info.verb !== 'create') throw errors.methodNotSupported({ group: '', resource: 'pods/binding' }, r.info.verb);
  const body = parseBody(r.body, r.headers['content-type']);
  if (!isPlainObject(body) || (body.kind !== undefined && body.kind !== 'Binding')) {
    throw errors.badRequest('the body of pods/binding must be a v1 Binding');
  }
  const target = isPlainObject(body.target) ? body.target : {};
  const node = typeof target.name === 'string' ? target.name : '';
  const fail = (detail: string) => errors.invalid({ group: '', kind: 'Binding' }, r.info.name, [{ type: 'FieldValueRequired', field: 'target.name', detail }]);
  if (!node) throw fail('');
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') {
    throw errors.invalid({ group: '', kind: 'Binding' }, r.info.name, [{ type: 'FieldValueNotSupported', field: 'target.kind', badValue: target.kind, detail: 'supported values: "Node", ""' }]);
  }
  const gr = { group: '', resource: 'pods' };
  const now = formatTimestamp(r.ctx.clock.now());
  r.store.guaranteedUpdate(
    r.info.namespace,
    r.info.name,
    (pod) => {
      if (pod.metadata.deletionTimestamp) throw errors.conflict(gr, r.info.name, `pod ${r.info.name} is being deleted, cannot be assigned to a host`);
      const spec = (pod.spec ?? {}) as Record<string, unknown>;
      if (spec.nodeName) throw errors.conflict(gr, r.info.name, `pod ${r.info.name} is already assigned to node "${String(spec.nodeName)}"`);
      return produce(pod, (d: Draft<KubeObject>) => {
        (d.spec as Record<string, unknown>).nodeName = node;
        const status = (d.status ??= {}) as Record<string, unknown>;
        const conditions = ((status.conditions as Record<string, unknown>[] | undefined) ?? []).filter((c) => c.type !== 'PodScheduled');
        conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
        status.conditions = conditions;
      });
    },
    { dryRun: dryRunOf(r.query) },
  );
  return { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
}
