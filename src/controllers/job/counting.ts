// Counting a Job's pods by phase and formatting completed indexes (job_controller.go
// controller.FilterActivePods / countReadyPods; indexed_job_utils.go succeededIndexesFromString).
import type { KubeObject } from '../runtime/types.js';
import { podCompletionIndex } from './pod-template.js';

export interface PodCounts {
  /** Not finished and not being deleted. */
  active: KubeObject[];
  succeeded: KubeObject[];
  failed: KubeObject[];
  /** Active pods whose Ready condition is True. */
  ready: number;
}

function phaseOf(pod: KubeObject): string | undefined {
  return (pod.status as { phase?: string } | undefined)?.phase;
}

export function isPodReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function countPods(pods: KubeObject[]): PodCounts {
  const out: PodCounts = { active: [], succeeded: [], failed: [], ready: 0 };
  for (const pod of pods) {
    const phase = phaseOf(pod);
    if (phase === 'Succeeded') out.succeeded.push(pod);
    else if (phase === 'Failed') out.failed.push(pod);
    else if (!pod.metadata.deletionTimestamp) {
      out.active.push(pod);
      if (isPodReady(pod)) out.ready++;
    }
  }
  return out;
}

/** The distinct valid indexes (0 <= i < completions) of the given pods, sorted. */
export function indexesOf(pods: KubeObject[], completions: number): number[] {
  const set = new Set<number>();
  for (const p of pods) {
    const i = podCompletionIndex(p);
    if (i !== undefined && i < completions) set.add(i);
  }
  return [...set].sort((a, b) => a - b);
}

/** Sorted indexes as kube writes status.completedIndexes: "0-2,4". */
export function formatIndexes(indexes: number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The first `want` indexes below completions that are neither done nor running. */
export function missingIndexes(completions: number, taken: Set<number>, want: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < want; i++) if (!taken.has(i)) out.push(i);
  return out;
}
