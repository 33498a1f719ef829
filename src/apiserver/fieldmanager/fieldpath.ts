// Path elements of a field path, and their FieldsV1 spelling, as sigs.k8s.io/structured-merge-diff
// fieldpath/element.go and serialize-pe.go define them:
//   f:<name>             a field of a map (struct field or map key)
//   k:{"key":value,...}  an item of a map-list (x-kubernetes-list-type=map), by its key fields
//   v:<json>             an item of a set-list (x-kubernetes-list-type=set), by its value
//   i:<n>                an item of a list by index (only where a list is neither atomic nor keyed)

export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'key'; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'index'; readonly index: number };

/** JSON with object keys sorted at every level, as SMD writes key and value elements. */
export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function field(name: string): PathElement {
  return { kind: 'field', name };
}

export function elementToString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `f:${pe.name}`;
    case 'key':
      return `k:${canonicalJSON(pe.fields)}`;
    case 'value':
      return `v:${canonicalJSON(pe.value)}`;
    case 'index':
      return `i:${pe.index}`;
  }
}

/** Parses one FieldsV1 key ("f:spec", "k:{\"name\":\"c\"}"); throws on anything else. */
export function parseElement(s: string): PathElement {
  const body = s.slice(2);
  switch (s.slice(0, 2)) {
    case 'f:':
      return { kind: 'field', name: body };
    case 'k:': {
      const fields: unknown = JSON.parse(body);
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new Error(`invalid key path element ${s}`);
      return { kind: 'key', fields: fields as Record<string, unknown> };
    }
    case 'v:':
      return { kind: 'value', value: JSON.parse(body) };
    case 'i:': {
      if (!/^\d+$/.test(body)) throw new Error(`invalid index path element ${s}`);
      return { kind: 'index', index: Number(body) };
    }
    default:
      throw new Error(`unknown path element type ${JSON.stringify(s)}`);
  }
}

const RANK: Record<string, number> = { 'f:': 0, 'k:': 1, 'v:': 2, 'i:': 3 };

/** SMD's PathElement order: field names, then keys, then values, then indexes. */
export function compareElementStrings(a: string, b: string): number {
  const r = (RANK[a.slice(0, 2)] ?? 4) - (RANK[b.slice(0, 2)] ?? 4);
  if (r) return r;
  if (a.startsWith('i:') && b.startsWith('i:')) return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A path as the conflict messages print it: `.spec.containers[name="c"].image`. */
export function pathToString(path: readonly string[]): string {
  return path
    .map((s) => {
      const pe = parseElement(s);
      switch (pe.kind) {
        case 'field':
          return `.${pe.name}`;
        case 'key':
          return `[${Object.keys(pe.fields).sort().map((k) => `${k}=${canonicalJSON(pe.fields[k])}`).join(',')}]`;
        case 'value':
          return `[=${canonicalJSON(pe.value)}]`;
        case 'index':
          return `[${pe.index}]`;
      }
    })
    .join('');
}
