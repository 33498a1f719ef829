// Mirrors the registry's write pipeline with immer, so a kind's hooks can be tested alone:
// system fields -> defaults -> prepareForCreate -> validate -> canonicalize (create), and
// defaults -> prepareForUpdate -> validateUpdate -> canonicalize (update).
import { produce, type Draft } from 'immer';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import type { ResourceType } from '../../../../src/apiserver/registry/strategy.js';
import { fieldErrorMessage, type FieldError } from '../../../../src/apiserver/validation/field-errors.js';
import { builtinResources } from '../../../../src/apiserver/registry/builtin/index.js';

export const NOW = Date.parse('2024-05-01T12:00:00Z');

export function resources(): ResourceType[] {
  return builtinResources({ now: () => new Date(NOW) });
}

export function find(rts: ResourceType[], group: string, resource: string): ResourceType {
  const rt = rts.find((r) => r.group === group && r.resource === resource);
  if (!rt) throw new Error(`no ${group}/${resource}`);
  return rt;
}

let uidCounter = 0;

export interface Result {
  object: KubeObject;
  errors: FieldError[];
  /** The errors as kube-apiserver words them: "field: Type: value: detail". */
  messages: string[];
}

export function create(rt: ResourceType, body: KubeObject, opts: { uid?: string; namespace?: string } = {}): Result {
  const s = rt.strategy;
  const obj = produce(body, (d: Draft<KubeObject>) => {
    d.metadata.uid = opts.uid ?? `uid-${++uidCounter}`;
    d.metadata.creationTimestamp = new Date(NOW).toISOString().replace(/\.\d{3}Z$/, 'Z');
    d.metadata.generation = 1;
    d.metadata.resourceVersion = '1';
    if (rt.namespaced) d.metadata.namespace = opts.namespace ?? d.metadata.namespace ?? 'default';
    s.defaults?.(d as KubeObject);
    s.prepareForCreate?.(d as KubeObject);
  });
  const errors = s.validate?.(obj) ?? [];
  const object = errors.length ? obj : produce(obj, (d: Draft<KubeObject>) => void s.canonicalize?.(d as KubeObject));
  return { object, errors, messages: errors.map(fieldErrorMessage) };
}

export function update(rt: ResourceType, old: KubeObject, body: KubeObject): Result {
  const s = rt.strategy;
  const obj = produce(body, (d: Draft<KubeObject>) => {
    d.metadata.uid = old.metadata.uid;
    d.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.namespace) d.metadata.namespace = old.metadata.namespace;
    s.defaults?.(d as KubeObject);
    s.prepareForUpdate?.(d as KubeObject, old);
  });
  const errors = s.validateUpdate?.(obj, old) ?? [];
  const object = errors.length ? obj : produce(obj, (d: Draft<KubeObject>) => void s.canonicalize?.(d as KubeObject));
  return { object, errors, messages: errors.map(fieldErrorMessage) };
}

export function updateStatus(rt: ResourceType, old: KubeObject, body: KubeObject): Result {
  const s = rt.strategy;
  const obj = produce(body, (d: Draft<KubeObject>) => void s.prepareForStatusUpdate?.(d as KubeObject, old));
  const errors = s.validateStatusUpdate?.(obj, old) ?? [];
  return { object: obj, errors, messages: errors.map(fieldErrorMessage) };
}

/** A minimal valid pod template with the given labels. */
export function template(labels: Record<string, string>, containers: unknown[] = [{ name: 'app', image: 'nginx:1.25' }]): Record<string, unknown> {
  return { metadata: { labels }, spec: { containers } };
}
