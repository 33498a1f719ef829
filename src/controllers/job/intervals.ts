// Sets of completion indexes as the ordered, merged intervals status.completedIndexes and
// status.failedIndexes are written in (indexed_job_utils.go orderedIntervals,
// parseIndexesFromString, String): "0-2,4", where two adjacent indexes print as "5,6".

export interface Interval {
  first: number;
  last: number;
}

export type Intervals = readonly Interval[];

/** Parse "1,3-5" keeping only indexes below completions; corrupt parts are skipped, as kube does. */
export function parseIndexes(s: string | undefined | null, completions: number): Interval[] {
  const out: Interval[] = [];
  if (!s) return out;
  for (const part of s.split(',')) {
    const [a, b] = part.split('-');
    if (!/^\d+$/.test(a ?? '') || (b !== undefined && !/^\d+$/.test(b))) continue;
    const first = Number(a);
    if (first >= completions) break;
    const last = b === undefined ? first : Math.min(Number(b), completions - 1);
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

export function formatIntervals(ivs: Intervals): string {
  return ivs.map(({ first, last }) => (last === first ? `${first}` : `${first}${last === first + 1 ? ',' : '-'}${last}`)).join(',');
}

/** The union of two interval lists, merged and ordered. */
export function mergeIntervals(a: Intervals, b: Intervals): Interval[] {
  const all = [...a, ...b].sort((x, y) => x.first - y.first);
  const out: Interval[] = [];
  for (const iv of all) {
    const prev = out[out.length - 1];
    if (!prev || iv.first > prev.last + 1) out.push({ ...iv });
    else if (iv.last > prev.last) prev.last = iv.last;
  }
  return out;
}

export function withIndexes(ivs: Intervals, indexes: Iterable<number>): Interval[] {
  return mergeIntervals(ivs, [...indexes].map((i) => ({ first: i, last: i })));
}

export function totalOf(ivs: Intervals): number {
  return ivs.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
}

export function hasIndex(ivs: Intervals, i: number): boolean {
  return ivs.some((iv) => iv.first <= i && i <= iv.last);
}

/** `count` indexes below completions that are in none of the taken intervals (firstPendingIndexes). */
export function firstPendingIndexes(taken: Intervals, count: number, completions: number): number[] {
  const out: number[] = [];
  let candidate = 0;
  for (const iv of mergeIntervals(taken, [])) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++) out.push(candidate);
    if (candidate <= iv.last) candidate = iv.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}
