// The arithmetic of a rolling update (k8s.io/kubernetes pkg/controller/deployment/util
// deployment_util.go ResolveFenceposts, NewRSNewReplicas, MaxUnavailable; rolling.go
// reconcileOldReplicaSets). Pure functions over plain numbers, table-tested.

/** An IntOrString such as 3 or "25%". */
export type IntOrPercent = number | string | undefined;

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, a percentage of total rounded up or
 * down. Anything else is an error, as kube's is.
 */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid value "${v}"`);
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both zero would stall a
 * rollout, so maxUnavailable becomes 1.
 */
export function resolveFenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** MaxUnavailable for a RollingUpdate deployment, never above replicas. */
export function maxUnavailable(maxSurge: IntOrPercent, maxUnavail: IntOrPercent, replicas: number): number {
  if (replicas === 0) return 0;
  return Math.min(resolveFenceposts(maxSurge, maxUnavail, replicas).unavailable, replicas);
}

/**
 * NewRSNewReplicas under RollingUpdate: grow the new ReplicaSet while the total stays within
 * replicas + maxSurge, and never past replicas.
 */
export function newRSReplicasRolling(opts: { replicas: number; maxSurge: IntOrPercent; maxUnavailable: IntOrPercent; newRSReplicas: number; totalReplicas: number }): number {
  const { surge } = resolveFenceposts(opts.maxSurge, opts.maxUnavailable, opts.replicas);
  if (opts.newRSReplicas >= opts.replicas) return opts.replicas;
  const maxTotal = opts.replicas + surge;
  if (opts.totalReplicas >= maxTotal) return opts.newRSReplicas;
  const scaleUp = Math.min(maxTotal - opts.totalReplicas, opts.replicas - opts.newRSReplicas);
  return opts.newRSReplicas + scaleUp;
}

export interface RSCounts {
  name: string;
  replicas: number;
  available: number;
}

/**
 * reconcileOldReplicaSets: how far each old ReplicaSet (oldest first) may shrink now. First
 * unhealthy replicas go (cleanupUnhealthyReplicas), then healthy ones while minAvailable
 * holds (scaleDownOldReplicaSetsForRollingUpdate). Returns new sizes by name, changed only.
 */
export function scaleDownOld(opts: {
  replicas: number;
  maxUnavailable: number;
  old: RSCounts[];
  newRS?: RSCounts;
}): Map<string, number> {
  const out = new Map<string, number>();
  const old = opts.old.map((r) => ({ ...r }));
  const oldPods = old.reduce((n, r) => n + r.replicas, 0);
  if (oldPods === 0) return out;
  const newReplicas = opts.newRS?.replicas ?? 0;
  const allPods = oldPods + newReplicas;
  const minAvailable = opts.replicas - opts.maxUnavailable;
  const newUnavailable = newReplicas - (opts.newRS?.available ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return out;

  let cleaned = 0;
  for (const r of old) {
    if (cleaned >= maxScaledDown) break;
    if (r.replicas === 0) continue;
    const unhealthy = r.replicas - r.available;
    if (unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    r.replicas -= down;
    cleaned += down;
    out.set(r.name, r.replicas);
  }

  // Unhealthy replicas were not available, so removing them leaves this count as it was.
  const available = old.reduce((n, r) => n + r.available, 0) + (opts.newRS?.available ?? 0);
  let budget = available - minAvailable;
  for (const r of old) {
    if (budget <= 0) break;
    if (r.replicas === 0) continue;
    const down = Math.min(r.replicas, budget);
    r.replicas -= down;
    budget -= down;
    out.set(r.name, r.replicas);
  }
  return out;
}
