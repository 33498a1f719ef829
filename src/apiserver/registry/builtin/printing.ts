// Server-side printing helpers shared by the built-in printers, mirroring
// k8s.io/kubernetes pkg/printers/internalversion/printers.go: the AGE humaniser
// (apimachinery pkg/util/duration.HumanDuration), label and selector formatting, and the
// container name/image cells. The server always prints the wide columns (its table
// convertor runs with Wide: true), so every printer returns a cell for every column.
import type { TableColumn } from '../strategy.js';
import { labelSelectorFromLabelSelectorSpec, labelSelectorToString } from '../../storage/selectors.js';
import { objects, str, type Obj } from './fields.js';

/** duration.HumanDuration: ~2-3 significant figures, as kubectl's AGE column shows it. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // Up to two seconds in the future counts as "now" (clock skew between machines).
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = Math.floor(hours / 24 / 365);
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** translateTimestampSince: "<unknown>" for a missing or unparsable timestamp. */
export function timestampSince(ts: unknown, now: number): string {
  const t = typeof ts === 'string' && ts ? Date.parse(ts) : NaN;
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}

/** The AGE cell of any object. */
export function age(obj: { metadata: { creationTimestamp?: string } }, now: number): string {
  return timestampSince(obj.metadata.creationTimestamp, now);
}

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const nameColumn: TableColumn = { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 };
export const ageColumn: TableColumn = { name: 'Age', type: 'string', description: AGE_DESCRIPTION, priority: 0 };

export function column(name: string, type: TableColumn['type'], description: string, priority = 0): TableColumn {
  return { name, type, description, priority };
}

export const containersColumn = column('Containers', 'string', 'Names of each container in the template.', 1);
export const imagesColumn = column('Images', 'string', 'Images referenced by each container in the template.', 1);

/** labels.FormatLabels: sorted k=v pairs, "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(typeof labels === 'object' && labels !== null ? labels : {})
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** selector.String() of a LabelSelector object, or undefined when it does not parse. */
function selectorString(sel: unknown): string | undefined {
  try {
    return labelSelectorToString(labelSelectorFromLabelSelectorSpec(sel as Parameters<typeof labelSelectorFromLabelSelectorSpec>[0]));
  } catch {
    return undefined;
  }
}

/** metav1.FormatLabelSelector: "<none>" for an empty or missing selector, "<error>" for a bad one. */
export function formatLabelSelector(sel: unknown): string {
  const s = selectorString(sel);
  if (s === undefined) return '<error>';
  return s || '<none>';
}

/** The Deployment printer's selector cell: selector.String(), "<invalid>" when it does not parse. */
export function selectorCell(sel: unknown): string {
  return selectorString(sel) ?? '<invalid>';
}

/** layoutContainerCells: container names and images, comma-separated, in order. */
export function containerCells(podSpec: Obj | undefined): [string, string] {
  const containers = objects(podSpec?.containers);
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}

/** printBoolPtr: "True"/"False", "<unset>" when missing. */
export function boolPtrCell(v: unknown): string {
  if (typeof v !== 'boolean') return '<unset>';
  return v ? 'True' : 'False';
}

/** int64 cells: a counter that is absent prints as 0, as Go's zero value would. */
export function intCell(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** The Go name, for callers that look it up as duration.HumanDuration. */
export const HumanDuration = humanDuration;
