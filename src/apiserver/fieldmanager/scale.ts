// Server-side apply to the scale subresource (k8s.io/apiserver fieldmanager ScaleHandler): the
// Scale is a view of its parent, so ownership is translated both ways. Whoever owns the
// parent's replicas field (.spec.replicas of a Deployment, or a CRD's specReplicasPath) owns the
// Scale's .spec.replicas; the apply runs on that view, and what it settles is written back to
// the parent's managedFields, the applier's entry marked with subresource "scale".
import { applyManagers } from './apply.js';
import { sameManager, type Manager } from './managers.js';
import { typeFromSchema } from './schema.js';
import { FieldSet } from './set.js';
import type { ManagedFieldsEntry } from '../object.js';

const SCALE_REPLICAS = ['f:spec', 'f:replicas'];

const SCALE_TYPE = typeFromSchema(
  { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', format: 'int32' } } } } },
  { definitions: {}, builtin: true },
);

/** A JSON path such as `.spec.replicas` as field path elements. */
export function replicasFieldPath(jsonPath: string): string[] {
  return jsonPath
    .replace(/^\./, '')
    .split('.')
    .map((name) => `f:${name}`);
}

export interface ScaleApplyRequest {
  /** The parent's managers (decodeManagers of its managedFields). */
  managers: readonly Manager[];
  /** The parent's replicas field, e.g. ['f:spec', 'f:replicas']. */
  replicasPath: readonly string[];
  liveReplicas: number;
  /** The applied Scale's spec. */
  appliedSpec: Record<string, unknown>;
  entry: ManagedFieldsEntry;
  force: boolean;
}

/** The replicas the apply settles on and the parent's managers after it; throws apply.ts's ApplyConflictError. */
export function applyToScale(req: ScaleApplyRequest): { replicas: number; managers: Manager[] } {
  const parentReplicas = FieldSet.fromPaths([req.replicasPath]);
  const scaleReplicas = FieldSet.fromPaths([SCALE_REPLICAS]);
  const view: Manager[] = req.managers.map((m) => ({ entry: m.entry, set: m.set.has(req.replicasPath) ? scaleReplicas : new FieldSet() }));
  const result = applyManagers({
    live: { spec: { replicas: req.liveReplicas } },
    applied: { spec: req.appliedSpec },
    type: SCALE_TYPE,
    managers: view,
    entry: req.entry,
    force: req.force,
  });
  const ownsReplicas = (entry: ManagedFieldsEntry) => result.managers.some((m) => sameManager(m.entry, entry) && m.set.has(SCALE_REPLICAS));
  const managers: Manager[] = req.managers.map((m) => {
    const rest = m.set.difference(parentReplicas);
    return { entry: m.entry, set: ownsReplicas(m.entry) ? rest.union(parentReplicas) : rest };
  });
  for (const m of result.managers) {
    if (!req.managers.some((p) => sameManager(p.entry, m.entry))) managers.push({ entry: m.entry, set: m.set.has(SCALE_REPLICAS) ? parentReplicas : new FieldSet() });
  }
  const spec = (result.object as { spec?: { replicas?: unknown } }).spec;
  return { replicas: typeof spec?.replicas === 'number' ? spec.replicas : req.liveReplicas, managers: managers.filter((m) => !m.set.empty()) };
}
