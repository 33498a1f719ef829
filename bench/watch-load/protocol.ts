// What the `watch` scenario and its watchers child process say to each other, and the one clock
// both read: epoch milliseconds with sub-millisecond resolution, comparable across processes.

export interface WatchersConfig {
  mode: 'raw' | 'informer';
  count: number;
  /** Burst ConfigMaps are named burst-0 .. burst-(creates-1). */
  creates: number;
  url: string;
  namespace: string;
  /** Raw streams watch from here (the namespace's list resourceVersion before the burst). */
  resourceVersion: string;
}

export interface WatchersRequest {
  /** responses[i]: when the create of burst-<i> was answered (epoch ms). */
  responses: number[];
  /** How long to wait without a new delivery before counting the rest as missed. */
  settleMs: number;
}

export interface WatchersReport {
  received: number;
  missed: number;
  duplicates: number;
  /** Streams that ended or informers that reported an error. */
  failures: number;
  p50: number;
  p99: number;
  /** When the last burst event arrived (epoch ms). */
  lastArrival: number;
}

export const now = (): number => performance.timeOrigin + performance.now();

export const burstName = (i: number): string => `burst-${i}`;

export function burstIndex(name: string | undefined): number | undefined {
  if (!name?.startsWith('burst-')) return undefined;
  const i = Number(name.slice(6));
  return Number.isInteger(i) && i >= 0 ? i : undefined;
}
