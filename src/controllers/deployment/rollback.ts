// Server-side rollback (k8s.io/kubernetes pkg/controller/deployment rollback.go). apps/v1 has no
// rollback subresource — `kubectl rollout undo` patches the template itself — but a Deployment
// carrying the deprecated.deployment.rollback.to annotation (what extensions/v1beta1's
// spec.rollbackTo round-trips as) is still rolled back by the controller: the template and
// annotations of the ReplicaSet with that revision (0: the one before the current) are copied
// back and the annotation cleared.
import type { Client } from '../../clients/interfaces.js';
import type { EventRecorder } from '../runtime/events.js';
import type { KubeObject } from '../runtime/types.js';
import { DEPLOYMENTS } from './reconciler.js';
import { asObj, equalIgnoreHash, POD_TEMPLATE_HASH, revisionOf, ROLLBACK_TO, skipsCopy } from './replicasets.js';

export interface RollbackOptions {
  client: Client;
  recorder: EventRecorder;
  d: KubeObject;
  /** Every ReplicaSet the Deployment owns. */
  rses: KubeObject[];
}

/** getRollbackTo: the revision asked for, or undefined without a (whole-number) annotation, which kube ignores. */
export function rollbackTo(d: KubeObject): number | undefined {
  const text = d.metadata.annotations?.[ROLLBACK_TO];
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
}

/** LastRevision: the second-highest revision, the one a plain undo goes back to. */
export function lastRevision(rses: KubeObject[]): number {
  let max = 0;
  let second = 0;
  for (const v of rses.map(revisionOf)) {
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) second = v;
  }
  return second;
}

/** The Deployment with the ReplicaSet's template (hash label removed) and annotations (SetFromReplicaSetTemplate, SetDeploymentAnnotationsTo). */
export function rolledBackTo(d: KubeObject, rs: KubeObject): KubeObject {
  const template = structuredClone(asObj(asObj(rs.spec).template));
  const meta = asObj(template.metadata);
  const labels = { ...asObj(meta.labels) };
  delete labels[POD_TEMPLATE_HASH];
  template.metadata = { ...meta, labels };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (skipsCopy(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!skipsCopy(k)) annotations[k] = v;
  return { ...d, metadata: { ...d.metadata, annotations }, spec: { ...asObj(d.spec), template } };
}

export async function rollback(opts: RollbackOptions): Promise<void> {
  const { d, rses, recorder } = opts;
  let to = rollbackTo(d) ?? 0;
  if (to === 0) to = lastRevision(rses);
  const rs = to === 0 ? undefined : rses.find((x) => revisionOf(x) === to);
  let next = d;
  if (!rs) {
    const message = to === 0 ? 'Unable to find last revision.' : 'Unable to find the revision to rollback to.';
    void recorder.event(d, 'Warning', 'DeploymentRollbackRevisionNotFound', message);
  } else if (equalIgnoreHash(asObj(rs.spec).template, asObj(d.spec).template)) {
    void recorder.event(d, 'Warning', 'DeploymentRollbackTemplateUnchanged', `The rollback revision contains the same template as current deployment "${d.metadata.name}"`);
  } else {
    next = rolledBackTo(d, rs);
    void recorder.event(d, 'Normal', 'DeploymentRollback', `Rolled back deployment "${d.metadata.name}" to revision ${to}`);
  }
  // updateDeploymentAndClearRollbackTo: one update, resourceVersion-checked like kube's.
  const annotations = { ...(next.metadata.annotations ?? {}) };
  delete annotations[ROLLBACK_TO];
  await opts.client.update(DEPLOYMENTS, { ...next, metadata: { ...next.metadata, annotations } });
}
