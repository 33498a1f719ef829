// The status conditions the namespace controller keeps on a terminating namespace
// (kube-controller-manager pkg/controller/namespace/deletion/status_condition_utils.go): all
// five are always present, True with the failure's reason and message while it holds, else
// False with the "ok" reason, so a user reading `kubectl get ns x -o yaml` sees what it waits on.

export const ConditionType = {
  DiscoveryFailure: 'NamespaceDeletionDiscoveryFailure',
  GroupVersionParsingFailure: 'NamespaceDeletionGroupVersionParsingFailure',
  ContentFailure: 'NamespaceDeletionContentFailure',
  ContentRemaining: 'NamespaceContentRemaining',
  FinalizersRemaining: 'NamespaceFinalizersRemaining',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

const ORDER: ConditionType[] = Object.values(ConditionType);

const OK: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
};

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False' | string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** What one pass over a namespace's content found: the inputs of the conditions. */
export interface DeletionReport {
  /** Discovery failed (or failed for some groups): its message. */
  discoveryError?: string;
  /** One message per resource whose content could not be deleted or listed. */
  contentErrors: string[];
  /** Resource instances left, keyed "resource.group" (group empty for core: "configmaps."). */
  remaining: Map<string, number>;
  /** Instances left per finalizer they carry. */
  finalizers: Map<string, number>;
}

/** The failing conditions a report implies, with kube's reasons and wording; the rest are "ok". */
export function failingConditions(report: DeletionReport): Map<ConditionType, { reason: string; message: string }> {
  const out = new Map<ConditionType, { reason: string; message: string }>();
  if (report.discoveryError !== undefined) out.set(ConditionType.DiscoveryFailure, { reason: 'DiscoveryFailed', message: report.discoveryError });
  if (report.contentErrors.length) {
    const msgs = [...report.contentErrors].sort();
    out.set(ConditionType.ContentFailure, { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}` });
  }
  const remaining = [...report.remaining].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`);
  if (remaining.length) {
    out.set(ConditionType.ContentRemaining, { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.sort().join(', ')}` });
  }
  const byFinalizer = [...report.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`);
  if (byFinalizer.length) {
    out.set(ConditionType.FinalizersRemaining, { reason: 'SomeFinalizerRemain', message: `Some finalizers are remaining: ${byFinalizer.sort().join(', ')}` });
  }
  return out;
}

/**
 * updateConditions: the namespace's conditions with each of the five set from the report.
 * A condition keeps its lastTransitionTime unless its status flips; conditions of other types
 * are left as they are. `changed` tells whether a status update is needed.
 */
export function updateConditions(current: NamespaceCondition[], report: DeletionReport, now: string): { conditions: NamespaceCondition[]; changed: boolean } {
  const failing = failingConditions(report);
  const conditions = current.map((c) => ({ ...c }));
  let changed = false;
  for (const type of ORDER) {
    const f = failing.get(type);
    const next = { type, status: f ? 'True' : 'False', ...(f ?? OK[type]) };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ type, status: next.status, lastTransitionTime: now, reason: next.reason, message: next.message });
      changed = true;
    } else if (old.status !== next.status || old.reason !== next.reason || old.message !== next.message) {
      if (old.status !== next.status) old.lastTransitionTime = now;
      old.status = next.status;
      old.reason = next.reason;
      old.message = next.message;
      changed = true;
    }
  }
  return { conditions, changed };
}
