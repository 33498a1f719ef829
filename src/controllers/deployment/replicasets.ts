// How a Deployment finds and stamps out its ReplicaSets (k8s.io/kubernetes
// pkg/controller/deployment/util deployment_util.go FindNewReplicaSet, EqualIgnoreHash,
// Revision, SetNewReplicaSetAnnotations, copyDeploymentAnnotationsToReplicaSet; sync.go
// getNewReplicaSet).
import type { KubeObject } from '../runtime/types.js';
import { newControllerRef } from '../runtime/meta.js';
import { canonicalJSON } from './hash.js';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
/** The annotation of the extensions/v1beta1 rollback subresource, still honoured (apps.DeprecatedRollbackTo). */
export const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** Annotations a Deployment keeps to itself (annotationsToSkip). */
const SKIP = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);
/** skipCopyAnnotation: annotations that stay on the Deployment and never go to a ReplicaSet. */
export const skipsCopy = (key: string): boolean => SKIP.has(key);
/** How long revision-history may grow (sync.go maxRevHistoryLengthInChars). */
const MAX_REVISION_HISTORY_CHARS = 2000;

type Obj = Record<string, unknown>;
export const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
export const num = (v: unknown, dflt = 0): number => (typeof v === 'number' ? v : dflt);

export const specReplicas = (o: KubeObject): number => num(asObj(o.spec).replicas, 1);
export const statusNum = (o: KubeObject, k: string): number => num(asObj(o.status)[k]);

/** The template with the pod-template-hash label removed, rendered canonically. */
function templateKey(template: unknown): string {
  const t = structuredClone(asObj(template));
  const meta = asObj(t.metadata);
  const labels = asObj(meta.labels);
  delete labels[POD_TEMPLATE_HASH];
  if (meta.labels && Object.keys(labels).length === 0) delete meta.labels;
  return canonicalJSON(t);
}

/** EqualIgnoreHash: templates equal but for the pod-template-hash label. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return templateKey(a) === templateKey(b);
}

export function byCreation(a: KubeObject, b: KubeObject): number {
  const d = Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '');
  return d || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: KubeObject, rses: KubeObject[]): KubeObject | undefined {
  const template = asObj(d.spec).template;
  return [...rses].sort(byCreation).find((rs) => equalIgnoreHash(asObj(rs.spec).template, template));
}

/** An annotation holding a whole number (the replica annotations), undefined when absent or not one. */
export function intAnnotation(o: KubeObject, key: string): number | undefined {
  const v = o.metadata.annotations?.[key];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

export function revisionOf(rs: KubeObject): number {
  const v = Number(rs.metadata.annotations?.[REVISION] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

export function maxRevision(rses: KubeObject[]): number {
  return rses.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/**
 * SetNewReplicaSetAnnotations: the new ReplicaSet's annotations, or undefined when they are
 * already right. The Deployment's own annotations are copied (so kubernetes.io/change-cause
 * shows in `kubectl rollout history`); the revision only ever rises, and a ReplicaSet that
 * moves to a higher revision (a rollback re-using it) keeps its old ones in revision-history.
 * The replica annotations are stamped only on a ReplicaSet about to be created; afterwards
 * scaling keeps them.
 */
export function newReplicaSetAnnotations(
  d: KubeObject,
  rs: KubeObject,
  opts: { newRevision: number; exists: boolean; maxReplicas: number },
): Record<string, string> | undefined {
  const out: Record<string, string> = { ...(rs.metadata.annotations ?? {}) };
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipsCopy(k) || out[k] === v) continue;
    out[k] = v;
    changed = true;
  }
  const oldText = out[REVISION];
  const old = oldText === undefined ? 0 : Number(oldText);
  if (oldText !== undefined && !/^\d+$/.test(oldText)) return changed ? out : undefined;
  if (old < opts.newRevision) {
    out[REVISION] = String(opts.newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = out[REVISION_HISTORY] ? out[REVISION_HISTORY].split(',') : [];
      let len = history.join(',').length + oldText.length + 1;
      while (len > MAX_REVISION_HISTORY_CHARS && history.length) len -= history.shift()!.length + 1;
      if (len <= MAX_REVISION_HISTORY_CHARS) out[REVISION_HISTORY] = [...history, oldText].join(',');
    }
  }
  if (!opts.exists) {
    out[DESIRED_REPLICAS] = String(specReplicas(d));
    out[MAX_REPLICAS] = String(opts.maxReplicas);
    changed = true;
  }
  return changed ? out : undefined;
}

/** A new ReplicaSet for the Deployment's current template (getNewReplicaSet's newRS). */
export function newReplicaSetFor(d: KubeObject, opts: { hash: string; replicas: number; revision: number; maxReplicas: number }): KubeObject {
  const spec = asObj(d.spec);
  const template = structuredClone(asObj(spec.template));
  const tmeta = (template.metadata = { ...asObj(template.metadata) });
  tmeta.labels = { ...asObj(tmeta.labels), [POD_TEMPLATE_HASH]: opts.hash };
  const selector = structuredClone(asObj(spec.selector));
  selector.matchLabels = { ...asObj(selector.matchLabels), [POD_TEMPLATE_HASH]: opts.hash };
  const rsSpec: Obj = { replicas: opts.replicas, minReadySeconds: num(spec.minReadySeconds), selector, template };
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${opts.hash}`,
      namespace: d.metadata.namespace,
      labels: tmeta.labels as Record<string, string>,
      ownerReferences: [newControllerRef(d)],
    },
    spec: rsSpec,
  };
  rs.metadata.annotations = newReplicaSetAnnotations(d, rs, { newRevision: opts.revision, exists: false, maxReplicas: opts.maxReplicas });
  return rs;
}
