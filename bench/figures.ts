// What a benchmark scenario reports: named figures, each with its unit, the bare-fastify
// baseline measured beside it where there is one, and the issue's target, so the table says
// at a glance what is met and by how much a target is missed.

export type Unit = 'ms' | 'req/s' | 'events/s' | 'bytes' | 'count';

export interface Target {
  /** What the target bounds: the figure itself, or its ratio to the baseline. */
  of: 'value' | 'ratio';
  op: '<=' | '>=';
  limit: number;
}

export interface Figure {
  /** The scenario it belongs to, e.g. "http create (10 connections)". */
  scenario: string;
  /** What was measured, e.g. "requests/s", "p99 latency". */
  name: string;
  value: number;
  unit: Unit;
  /** The same measure on the bare fastify baseline, in the same run. */
  baseline?: number;
  target?: Target;
  note?: string;
}

export function ratio(f: Figure): number | undefined {
  if (f.baseline === undefined || f.baseline === 0) return undefined;
  return f.value / f.baseline;
}

/** Whether the figure meets its target; undefined when it has none. */
export function meets(f: Figure): boolean | undefined {
  if (!f.target) return undefined;
  const v = f.target.of === 'ratio' ? ratio(f) : f.value;
  if (v === undefined) return undefined;
  return f.target.op === '<=' ? v <= f.target.limit : v >= f.target.limit;
}

/** Percentile of a sample (nearest rank), for latencies and delays. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function formatNumber(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return String(value);
  if (unit === 'bytes') {
    if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MiB`;
    if (value >= 1024) return `${(value / 1024).toFixed(2)} KiB`;
    return `${Math.round(value)} B`;
  }
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

function formatTarget(t: Target, unit: Unit): string {
  return `${t.op} ${t.of === 'ratio' ? `${t.limit}x` : formatNumber(t.limit, unit)}`;
}

/** A markdown table: the README shows it as printed. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const r = ratio(f);
    const met = meets(f);
    return [
      f.scenario,
      f.name,
      formatNumber(f.value, f.unit),
      f.baseline === undefined ? '' : formatNumber(f.baseline, f.unit),
      r === undefined ? '' : `${r.toFixed(2)}x`,
      f.target ? `${formatTarget(f.target, f.unit)} ${met ? 'met' : 'MISSED'}` : '',
      f.note ?? '',
    ];
  });
  const header = ['scenario', 'measure', 'kubesim', 'bare fastify', 'ratio', 'target', 'note'];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
