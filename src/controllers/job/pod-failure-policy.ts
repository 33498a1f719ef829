// Which failed pods count, and which fail the whole Job (pod_failure_policy.go
// matchPodFailurePolicy; job_controller.go isPodFailed / onlyReplaceFailedPods). Rules are
// tried in order and the first that matches decides.
import type { KubeObject } from '../runtime/types.js';

export const PodFailurePolicyAction = { FailJob: 'FailJob', FailIndex: 'FailIndex', Ignore: 'Ignore', Count: 'Count' } as const;
export type PodFailurePolicyAction = (typeof PodFailurePolicyAction)[keyof typeof PodFailurePolicyAction];

export interface PodFailurePolicyRule {
  action: PodFailurePolicyAction;
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status?: string }[];
}

export interface PodFailurePolicy {
  rules: PodFailurePolicyRule[];
}

export interface PolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  failJobMessage?: string;
  /** False when an Ignore rule matched: the failure does not count toward the backoff limits. */
  countFailed: boolean;
  action?: PodFailurePolicyAction;
}

interface ContainerStatus {
  name: string;
  state?: { terminated?: { exitCode?: number; finishedAt?: string } };
}

interface PodStatus {
  phase?: string;
  conditions?: { type?: string; status?: string; lastTransitionTime?: string }[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
}

const statusOf = (pod: KubeObject) => (pod.status ?? {}) as PodStatus;

export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: KubeObject): PolicyMatch {
  if (!policy) return { countFailed: true };
  const status = statusOf(pod);
  const ns = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const c = matchOnExitCodes(status, rule.onExitCodes);
      if (!c) continue;
      failJobMessage = `Container ${c.name} for pod ${ns}/${name} failed with exit code ${c.exitCode} matching ${rule.action} rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const cond = matchOnPodConditions(status, rule.onPodConditions);
      if (!cond) continue;
      failJobMessage = `Pod ${ns}/${name} has condition ${cond} matching ${rule.action} rule at index ${index}`;
    } else continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: rule.action };
      case 'FailJob':
        return { failJobMessage, countFailed: true, action: rule.action };
      case 'Count':
      case 'FailIndex':
        return { countFailed: true, action: rule.action };
    }
  }
  return { countFailed: true };
}

/** The first terminated, non-zero container (app containers first, then init) the requirement matches. */
function matchOnExitCodes(status: PodStatus, req: NonNullable<PodFailurePolicyRule['onExitCodes']>): { name: string; exitCode: number } | undefined {
  for (const list of [status.containerStatuses, status.initContainerStatuses]) {
    for (const cs of list ?? []) {
      const code = cs.state?.terminated?.exitCode;
      // A container still running has no exit code to match; exit 0 never matches.
      if (code === undefined || code === 0) continue;
      if (req.containerName !== undefined && req.containerName !== cs.name) continue;
      const listed = (req.values ?? []).includes(code);
      if (req.operator === 'In' ? listed : req.operator === 'NotIn' ? !listed : false) return { name: cs.name, exitCode: code };
    }
  }
  return undefined;
}

function matchOnPodConditions(status: PodStatus, patterns: NonNullable<PodFailurePolicyRule['onPodConditions']>): string | undefined {
  for (const c of status.conditions ?? []) {
    if (patterns.some((p) => p.type === c.type && (p.status ?? 'True') === c.status)) return c.type;
  }
  return undefined;
}

interface FailureSpec {
  podFailurePolicy?: PodFailurePolicy;
  podReplacementPolicy?: string;
}

/** Only pods in phase Failed are replaced (so a terminating pod is waited for), with a pod failure policy or podReplacementPolicy Failed. */
export function onlyReplaceFailedPods(spec: FailureSpec): boolean {
  return spec.podReplacementPolicy === 'Failed' || spec.podFailurePolicy !== undefined;
}

/**
 * A pod counts as failed in phase Failed; otherwise, unless only Failed pods are replaced, a
 * pod being deleted before it succeeded counts as failed too (it may never reach a phase).
 */
export function isPodFailed(pod: KubeObject, spec: FailureSpec): boolean {
  const phase = statusOf(pod).phase;
  if (phase === 'Failed') return true;
  if (onlyReplaceFailedPods(spec)) return false;
  return pod.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded';
}

/**
 * When a pod finished (getFinishedTime): its last container's finishedAt, else the Ready=False
 * transition, else its deletion, else its creation. Backoff counts from here.
 */
export function podFinishedAt(pod: KubeObject): number {
  const status = statusOf(pod);
  let latest: number | undefined;
  for (const cs of [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])]) {
    const t = Date.parse(cs.state?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(t) && (latest === undefined || t > latest)) latest = t;
  }
  if (latest !== undefined) return latest;
  const notReady = status.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  for (const s of [notReady?.lastTransitionTime, pod.metadata.deletionTimestamp, pod.metadata.creationTimestamp]) {
    const t = Date.parse(s ?? '');
    if (!Number.isNaN(t)) return t;
  }
  return 0;
}
