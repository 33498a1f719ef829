// Which pods manageJob adds or removes (job_controller.go manageJob, activePodsForRemoval;
// indexed_job_utils.go appendDuplicatedIndexPodsForRemoval, firstPendingIndexes): pure
// decisions, the reconciler does the writes.
import type { KubeObject } from '../runtime/types.js';
import { byDeletionPreference } from './counting.js';
import { firstPendingIndexes, withIndexes, type Intervals } from './intervals.js';
import { podCompletionIndex } from './pod-template.js';

/**
 * How many pods should run: up to parallelism, never more than the completions left; without
 * completions, parallelism until one pod succeeded, then only those still running.
 */
export function wantActive(opts: { parallelism: number; completions: number | null; succeeded: number; active: number }): number {
  const { parallelism, completions, succeeded, active } = opts;
  if (completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

/**
 * Active pods to delete: in Indexed mode every pod without a valid index and all but one pod
 * per repeated index first, then the least valuable pods until `atLeast` are chosen.
 */
export function activePodsForRemoval(opts: { pods: KubeObject[]; atLeast: number; completions: number | null; indexed: boolean }): KubeObject[] {
  const rm: KubeObject[] = [];
  let left = opts.pods;
  if (opts.indexed) {
    left = [];
    const byIndex = new Map<number, KubeObject[]>();
    for (const p of opts.pods) {
      const ix = podCompletionIndex(p);
      if (ix === undefined || ix >= (opts.completions ?? 0)) rm.push(p);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const same of byIndex.values()) {
      const sorted = [...same].sort(byDeletionPreference);
      rm.push(...sorted.slice(0, -1));
      left.push(sorted[sorted.length - 1]!);
    }
  }
  if (rm.length < opts.atLeast) rm.push(...[...left].sort(byDeletionPreference).slice(0, opts.atLeast - rm.length));
  return rm;
}

/** Indexes to start: not succeeded, running, failed, nor (when only failed pods are replaced) still terminating. */
export function pendingIndexes(opts: { count: number; completions: number; succeeded: Intervals; failed: Intervals; busy: KubeObject[] }): number[] {
  if (opts.count <= 0) return [];
  const busy = opts.busy.map(podCompletionIndex).filter((i): i is number => i !== undefined);
  return firstPendingIndexes(withIndexes([...opts.succeeded, ...opts.failed], busy), opts.count, opts.completions);
}
