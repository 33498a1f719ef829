// Server-side printing of custom resources from a CRD version's additionalPrinterColumns
// (k8s.io/apiextensions-apiserver pkg/registry/customresource/tableconvertor): NAME first,
// then the declared columns; AGE (metadata.creationTimestamp) when the CRD declares none.
// Columns of type date are shown as ages, as the real convertor renders them.
import { JSONPath } from 'jsonpath-plus';
import { humanDuration } from '../builtin/printing.js';
import type { KubeObject } from '../../object.js';
import type { Printer, TableColumn } from '../strategy.js';

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const NAME_COLUMN: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

const DEFAULT_COLUMNS: PrinterColumn[] = [
  {
    name: 'Age',
    type: 'date',
    jsonPath: '.metadata.creationTimestamp',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  },
];

/** Kubernetes' JSONPath (".spec.x", "{.spec.x}") as a JSONPath-plus expression ("$.spec.x"). */
function toJSONPath(path: string): string {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) return p;
  return `$${p.startsWith('.') || p.startsWith('[') ? '' : '.'}${p}`;
}

function cell(obj: KubeObject, col: PrinterColumn, now: number): unknown {
  let values: unknown[];
  try {
    values = JSONPath({ path: toJSONPath(col.jsonPath), json: obj as object, wrap: true }) as unknown[];
  } catch {
    return null;
  }
  if (values.length === 0) return null;
  const v = values.length === 1 ? values[0] : values.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(',');
  if (col.type === 'date' && typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? v : humanDuration(now - t);
  }
  if ((col.type === 'integer' || col.type === 'number') && typeof v !== 'number') return null;
  if (col.type === 'boolean' && typeof v !== 'boolean') return null;
  if (col.type === 'string' && typeof v === 'object' && v !== null) return JSON.stringify(v);
  return v;
}

export function customResourcePrinter(columns: PrinterColumn[] | undefined): Printer {
  const cols = columns && columns.length > 0 ? columns : DEFAULT_COLUMNS;
  return {
    columns: [
      NAME_COLUMN,
      ...cols.map((c) => ({
        name: c.name,
        // Dates are rendered as ages on the server, so the client sees a string column.
        type: c.type === 'date' ? ('date' as const) : c.type,
        ...(c.format ? { format: c.format } : {}),
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ],
    cells: (obj, now) => [obj.metadata.name, ...cols.map((c) => cell(obj, c, now))],
  };
}
