// Scaling a Deployment in the middle of a rollout (k8s.io/kubernetes pkg/controller/deployment
// sync.go scale; util GetProportion, getReplicaSetFraction; controller ReplicaSetsBySizeNewer /
// ReplicaSetsBySizeOlder). The change is spread over every active ReplicaSet in proportion to
// its size, measured against the Deployment's size when that ReplicaSet was last scaled (its
// max-replicas annotation), so a rollout resumes from the same mix of old and new pods.
// Pure arithmetic over plain numbers, table-tested.

export interface ActiveReplicaSet {
  name: string;
  replicas: number;
  /** creationTimestamp in ms; ties in size are broken by age. */
  created: number;
  /** The deployment.kubernetes.io/max-replicas annotation, when it parses. */
  maxReplicas?: number;
}

export interface ProportionalScaleInput {
  /** The Deployment's spec.replicas and its resolved maxSurge. */
  replicas: number;
  maxSurge: number;
  /** The Deployment's status.replicas: the fallback when a ReplicaSet lacks max-replicas. */
  statusReplicas: number;
  active: ActiveReplicaSet[];
}

/** getReplicaSetFraction: how many replicas this ReplicaSet gains (or loses) at the new size. */
function fraction(rs: ActiveReplicaSet, input: ProportionalScaleInput): number {
  if (input.replicas === 0) return -rs.replicas;
  const maxNow = input.replicas + input.maxSurge;
  let maxBefore = rs.maxReplicas ?? 0;
  if (maxBefore === 0) {
    maxBefore = input.statusReplicas;
    if (maxBefore === 0) return 0;
  }
  // Go's math.Round: halves away from zero (sizes here are never negative).
  return Math.round((rs.replicas * maxNow) / maxBefore) - rs.replicas;
}

/** GetProportion: the fraction, capped by what is still left to add or remove. */
function proportion(rs: ActiveReplicaSet, input: ProportionalScaleInput, toAdd: number, added: number): number {
  if (rs.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const f = fraction(rs, input);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(f, allowed) : Math.max(f, allowed);
}

/**
 * New sizes for the active ReplicaSets, in the order kube writes them: largest first (newer
 * first when scaling up, older first when scaling down); the leftover of rounding goes to the
 * first. A total already at replicas + maxSurge leaves every size as it is.
 */
export function proportionalSizes(input: ProportionalScaleInput): { name: string; replicas: number }[] {
  const current = input.active.reduce((n, rs) => n + rs.replicas, 0);
  const allowed = input.replicas > 0 ? input.replicas + input.maxSurge : 0;
  const toAdd = allowed - current;
  const sorted = [...input.active].sort((a, b) => b.replicas - a.replicas || (toAdd > 0 ? b.created - a.created : a.created - b.created));
  let added = 0;
  const sizes = sorted.map((rs) => {
    if (toAdd === 0) return { name: rs.name, replicas: rs.replicas };
    const p = proportion(rs, input, toAdd, added);
    added += p;
    return { name: rs.name, replicas: rs.replicas + p };
  });
  if (toAdd !== 0 && sizes.length) sizes[0]!.replicas = Math.max(0, sizes[0]!.replicas + toAdd - added);
  return sizes;
}
