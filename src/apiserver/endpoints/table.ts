// Server-side printing: objects as a meta.k8s.io Table, with the columns kubectl shows on a
// real cluster (the printers live with each resource), or the default Name / Created At
// columns (k8s.io/apiserver pkg/registry/rest/table.go) for a resource without a printer.
import type { KubeObject } from '../object.js';
import type { ResourceType, TableColumn } from '../registry/strategy.js';

const DEFAULT_COLUMNS: TableColumn[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', priority: 0 },
  { name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata', priority: 0 },
];

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function partialObjectMetadata(obj: KubeObject, version: string): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export function tableColumns(rt: ResourceType): TableColumn[] {
  return rt.printer?.columns ?? DEFAULT_COLUMNS;
}

export function tableRow(rt: ResourceType, obj: KubeObject, now: number, include: IncludeObject, version: string): Record<string, unknown> {
  const cells = rt.printer ? rt.printer.cells(obj, now) : [obj.metadata.name, obj.metadata.creationTimestamp];
  const row: Record<string, unknown> = { cells };
  if (include === 'Metadata') row.object = partialObjectMetadata(obj, version);
  else if (include === 'Object') row.object = obj;
  return row;
}

export function toTable(
  rt: ResourceType,
  objects: readonly KubeObject[],
  now: number,
  opts: { include: IncludeObject; version: string; noHeaders?: boolean; listMeta?: Record<string, unknown> },
): Record<string, unknown> {
  const table: Record<string, unknown> = {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: opts.listMeta ?? {},
  };
  if (!opts.noHeaders) table.columnDefinitions = tableColumns(rt);
  table.rows = objects.map((o) => tableRow(rt, o, now, opts.include, opts.version));
  return table;
}

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}
