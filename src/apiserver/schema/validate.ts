// Schema validation of a custom resource, as apiextensions-apiserver's ValidateCustomResource runs
// kube-openapi's SchemaValidator over it (k8s.io/kube-openapi pkg/validation/validate). ajv does
// the checking; this file turns ajv's flat error list into the errors kube-openapi would report:
//   - paths are kube-openapi's: "spec.items[0].name", map values "spec.labels.key";
//   - a string reports only its first failure of maxLength, minLength, pattern (stringValidator
//     returns early); an object failing minProperties/maxProperties reports nothing else
//     (objectValidator returns early);
//   - anyOf/oneOf report the composite error plus the failures of the branch that matched most
//     (MatchCount), allOf every branch's failures then the composite error, not only itself;
//   - errors come in kube-openapi's validator order at each node: type, anyOf/oneOf/allOf/not,
//     string, format, number, items then array limits, enum, then object properties and required.
import type { ErrorObject } from 'ajv';
import { fieldErrorMessage, type FieldError } from '../validation/field-errors.js';
import { compileAjv, nodeAt, type AjvCompiled } from './ajv-schema.js';
import { supportedFormat } from './formats.js';
import * as oe from './openapi-errors.js';
import type { JSONSchemaProps } from './types.js';

interface Raw {
  e: ErrorObject;
  /** schemaPath segments after "#", still JSON-pointer escaped. */
  segs: string[];
  /** instancePath segments, unescaped. */
  inst: string[];
}

interface Block {
  key: number[];
  errors: FieldError[];
}

interface Ctx {
  c: AjvCompiled;
  data: unknown;
}

const COMPOSITES = ['anyOf', 'oneOf', 'allOf', 'not'];

const RANK: Record<string, number> = {
  type: 0,
  maxLength: 2,
  minLength: 2,
  pattern: 2,
  format: 3,
  multipleOf: 4,
  minimum: 4.1,
  exclusiveMinimum: 4.1,
  maximum: 4.2,
  exclusiveMaximum: 4.2,
  minItems: 5.1,
  maxItems: 5.2,
  uniqueItems: 5.3,
  enum: 6,
  minProperties: 7,
  maxProperties: 7,
  additionalProperties: 7.1,
  required: 7.3,
};
const ITEMS_RANK = 5;
const PROPERTIES_RANK = 7.2;
const COMPOSITE_RANK = 1;

function pointerSegments(p: string): string[] {
  return p === '' ? [] : p.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function dataAt(root: unknown, segs: string[]): unknown {
  let cur = root;
  for (const s of segs) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
  return cur;
}

/** kube-openapi's name for a value: properties and map keys joined with ".", list items as [i]. */
function kubeName(root: unknown, segs: string[]): string {
  let cur = root;
  let name = '';
  for (const s of segs) {
    name = Array.isArray(cur) ? `${name}[${s}]` : name ? `${name}.${s}` : s;
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
  }
  return name;
}

/** Sort key of a node: at each level, where its validator visits the child (items, then properties, in data order). */
function nodeKey(root: unknown, segs: string[]): number[] {
  const key: number[] = [];
  let cur = root;
  for (const s of segs) {
    if (Array.isArray(cur)) key.push(ITEMS_RANK, Number(s));
    else key.push(PROPERTIES_RANK, cur !== null && typeof cur === 'object' ? Object.keys(cur).indexOf(s) : 0);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
  }
  return key;
}

function compareKeys(a: Block, b: Block): number {
  const n = Math.min(a.key.length, b.key.length);
  for (let i = 0; i < n; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
  return a.key.length - b.key.length;
}

/** Index of the first anyOf/oneOf/allOf/not keyword in a schema path at or after `from`. */
function compositeIndex(segs: string[], from: number): number {
  for (let i = from; i < segs.length; ) {
    if (segs[i] === 'properties') i += 2;
    else if (COMPOSITES.includes(segs[i]!)) return i;
    else i++;
  }
  return -1;
}

/** How many instance segments the schema path up to `end` descends into. */
function instanceDepth(segs: string[], end: number): number {
  let depth = 0;
  for (let i = 0; i < end; ) {
    const s = segs[i]!;
    if (s === 'properties' || s === 'additionalProperties' || s === 'items') depth++;
    i += s === 'properties' || s === 'anyOf' || s === 'oneOf' || s === 'allOf' ? 2 : 1;
  }
  return depth;
}

/** kube-openapi's Result.MatchCount, approximately: how many checks a branch applied to the value. */
function matchCount(s: JSONSchemaProps | undefined, d: unknown): number {
  if (!s || d === null || d === undefined) return 2;
  let n = 3; // the schema validator itself, its schemaProps and common (enum) validators
  if (s.type || s.format || s['x-kubernetes-int-or-string']) n++;
  // schemaPropsValidator merges the counts of allOf branches and of the anyOf/oneOf branch it keeps.
  for (const b of s.allOf ?? []) n += matchCount(b, d);
  for (const list of [s.anyOf, s.oneOf]) if (list?.length) n += Math.max(...list.map((b) => matchCount(b, d)));
  if (typeof d === 'string') n += supportedFormat(s.format) ? 2 : 1;
  else if (typeof d === 'number') n++;
  else if (Array.isArray(d)) {
    n++;
    if (s.items) for (const item of d) n += matchCount(s.items, item);
  } else if (typeof d === 'object') {
    n++;
    const ap = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    for (const [k, v] of Object.entries(d)) {
      const sub = s.properties?.[k] ?? ap;
      if (sub) n += matchCount(sub, v);
    }
  }
  return n;
}

function translateOne(r: Raw, ctx: Ctx): FieldError | undefined {
  const { e } = r;
  const name = kubeName(ctx.data, r.inst);
  const s: JSONSchemaProps = ctx.c.origin.get(e.parentSchema as object) ?? {};
  const data: unknown = e.data;
  const p = e.params as Record<string, unknown>;
  const limit = p.limit as number;
  const intData = typeof data === 'number' && Number.isInteger(data);
  switch (e.keyword) {
    case 'type': {
      const types = s['x-kubernetes-int-or-string'] ? 'integer,string' : (s.type ?? '');
      if (data === null || data === undefined) return oe.typeError(name, types, 'null');
      // typeValidator's format rules: a string or list passes any non-numeric type when a format
      // is set; other values are reported against the format, typed as Go sees them.
      if (supportedFormat(s.format)) {
        if (typeof data === 'string' || Array.isArray(data)) {
          if (!types.split(',').some((t) => t === 'integer' || t === 'number')) return undefined;
        } else {
          const goFormat = intData ? 'int64' : typeof data === 'number' ? 'float64' : '';
          return oe.typeError(name, s.format!, goFormat);
        }
      }
      return oe.typeError(name, types, oe.goSchemaType(data));
    }
    case 'format':
      return oe.formatError(name, s.format ?? String(p.format), String(data));
    case 'required':
      return oe.requiredError(name ? `${name}.${String(p.missingProperty)}` : String(p.missingProperty));
    case 'enum':
      return oe.enumError(name, data, (p.allowedValues as unknown[]) ?? []);
    case 'maxLength':
      return oe.tooLongError(name, limit);
    case 'minLength':
      return oe.invalidError(name, data, oe.openAPIMessage.tooShort(name, limit));
    case 'pattern':
      return oe.invalidError(name, data, oe.openAPIMessage.pattern(name, String(p.pattern)));
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const exclusive = e.keyword.startsWith('exclusive');
      const isMin = e.keyword.toLowerCase().includes('minimum');
      // An integer is compared with the bound converted to int64 (MinimumNativeType).
      if (intData && !Number.isInteger(limit)) {
        const t = Math.trunc(limit);
        const v = data as number;
        const ok = isMin ? (exclusive ? v > t : v >= t) : exclusive ? v < t : v <= t;
        if (ok) return undefined;
      }
      const bound = oe.goBound(limit, data);
      const msg = isMin ? oe.openAPIMessage.minimum(name, bound, exclusive) : oe.openAPIMessage.maximum(name, bound, exclusive);
      return oe.invalidError(name, data, msg);
    }
    case 'multipleOf': {
      const factor = p.multipleOf as number;
      if (intData && !Number.isInteger(factor) && Math.trunc(factor) !== 0 && (data as number) % Math.trunc(factor) === 0) return undefined;
      return oe.invalidError(name, data, oe.openAPIMessage.multipleOf(name, oe.goBound(factor, data)));
    }
    case 'minItems':
      return oe.invalidError(name, (data as unknown[]).length, oe.openAPIMessage.minItems(name, limit));
    case 'maxItems':
      return oe.tooManyError(name, (data as unknown[]).length, limit);
    case 'uniqueItems':
      return oe.invalidError(name, '', oe.openAPIMessage.unique(name));
    case 'minProperties':
      return oe.invalidError(name, Object.keys(data as object).length, oe.openAPIMessage.minProperties(name, limit));
    case 'maxProperties':
      return oe.tooManyError(name, Object.keys(data as object).length, limit);
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      return oe.invalidError(name, key, oe.openAPIMessage.forbiddenProperty(name, key));
    }
    default:
      return oe.invalidError(name, data ?? '', `${name} in body ${e.message ?? 'is invalid'}`);
  }
}

function plainKey(r: Raw, ctx: Ctx): number[] {
  const key = [...nodeKey(ctx.data, r.inst), RANK[r.e.keyword] ?? 8];
  const p = r.e.params as Record<string, unknown>;
  if (r.e.keyword === 'required') {
    const req = ctx.c.origin.get(r.e.parentSchema as object)?.required ?? [];
    key.push(req.indexOf(String(p.missingProperty)));
  } else if (r.e.keyword === 'additionalProperties') {
    const d = r.e.data;
    key.push(d !== null && typeof d === 'object' ? Object.keys(d).indexOf(String(p.additionalProperty)) : 0);
  }
  return key;
}

function compositeBlock(kind: string, m: number, raws: Raw[], ctx: Ctx): Block | undefined {
  const sample = raws[0]!;
  const nodeInst = sample.inst.slice(0, instanceDepth(sample.segs, m));
  const nodeData = dataAt(ctx.data, nodeInst);
  if (nodeData === null || nodeData === undefined) return undefined; // nil data skips schemaPropsValidator
  const name = kubeName(ctx.data, nodeInst);
  const key = [...nodeKey(ctx.data, nodeInst), COMPOSITE_RANK, COMPOSITES.indexOf(kind)];
  if (kind === 'not') return { key, errors: [oe.compositeError(oe.openAPIMessage.not(name))] };

  const branches = new Map<number, Raw[]>();
  for (const r of raws) {
    if (r.segs.length <= m + 1) continue;
    const i = Number(r.segs[m + 1]);
    branches.set(i, [...(branches.get(i) ?? []), r]);
  }
  const order = [...branches.keys()].sort((a, b) => a - b);
  const branchErrors = (i: number) => flatten(collect(branches.get(i)!, m + 2, ctx));
  const schemas = nodeAt(ctx.c.root, `#/${sample.segs.slice(0, m + 1).join('/')}`);
  const count = Array.isArray(schemas) ? schemas.length : order.length;

  if (kind === 'allOf') {
    const inner = order.flatMap(branchErrors);
    return { key, errors: [...inner, oe.compositeError(oe.openAPIMessage.allOf(name, order.length === count))] };
  }
  const composite = raws.find((r) => r.segs.length === m + 1);
  const passing = (composite?.e.params as { passingSchemas?: number[] | null } | undefined)?.passingSchemas;
  if (kind === 'oneOf' && Array.isArray(passing) && passing.length > 1) {
    return { key, errors: [oe.compositeError(oe.openAPIMessage.oneOf(name, passing.length))] };
  }
  // The failed branch with the highest match count (the first on a tie) explains the failure.
  let best: number | undefined;
  let bestCount = -1;
  for (const i of order) {
    const branch = Array.isArray(schemas) ? ctx.c.origin.get(schemas[i] as object) : undefined;
    const n = matchCount(branch, nodeData);
    if (n > bestCount) {
      best = i;
      bestCount = n;
    }
  }
  const msg = kind === 'anyOf' ? oe.openAPIMessage.anyOf(name) : oe.openAPIMessage.oneOf(name, 0);
  return { key, errors: [oe.compositeError(msg), ...(best === undefined ? [] : branchErrors(best))] };
}

/** Translates errors whose schema paths share the prefix up to `base`, grouping composite branches. */
function collect(raws: Raw[], base: number, ctx: Ctx): Block[] {
  const blocks: Block[] = [];
  const groups = new Map<string, { kind: string; m: number; raws: Raw[] }>();
  for (const r of raws) {
    const m = compositeIndex(r.segs, base);
    if (m < 0) {
      const fe = translateOne(r, ctx);
      if (fe) blocks.push({ key: plainKey(r, ctx), errors: [fe] });
      continue;
    }
    const id = r.segs.slice(0, m + 1).join('/');
    const g = groups.get(id) ?? { kind: r.segs[m]!, m, raws: [] };
    g.raws.push(r);
    groups.set(id, g);
  }
  for (const g of groups.values()) {
    const b = compositeBlock(g.kind, g.m, g.raws, ctx);
    if (b) blocks.push(b);
  }
  return blocks;
}

function flatten(blocks: Block[]): FieldError[] {
  return blocks.sort(compareKeys).flatMap((b) => b.errors);
}

const STRING_ORDER = ['maxLength', 'minLength', 'pattern'];

/** Drops what kube-openapi never reaches: later string checks, and an object's contents after min/maxProperties. */
function earlyReturns(raws: Raw[]): Raw[] {
  const parent = (r: Raw) => r.segs.slice(0, -1).join('/');
  const firstString = new Map<string, number>();
  const objectStops: { schema: string; inst: string }[] = [];
  for (const r of raws) {
    const at = `${parent(r)}|${r.e.instancePath}`;
    const rank = STRING_ORDER.indexOf(r.e.keyword);
    if (rank >= 0) firstString.set(at, Math.min(rank, firstString.get(at) ?? rank));
    if (r.e.keyword === 'minProperties' || r.e.keyword === 'maxProperties') objectStops.push({ schema: parent(r), inst: r.e.instancePath });
  }
  return raws.filter((r) => {
    const rank = STRING_ORDER.indexOf(r.e.keyword);
    if (rank >= 0 && rank !== firstString.get(`${parent(r)}|${r.e.instancePath}`)) return false;
    const path = r.segs.join('/');
    return !objectStops.some((stop) => {
      const inside = r.e.instancePath === stop.inst || r.e.instancePath.startsWith(`${stop.inst}/`);
      const base = stop.schema ? `${stop.schema}/` : '';
      return inside && (path.startsWith(`${base}properties/`) || path.startsWith(`${base}additionalProperties`) || path === `${base}required`);
    });
  });
}

export type SchemaValidator = (obj: unknown) => FieldError[];

/** Compiles the schema once; the returned function reports every schema violation of an object. */
export function compileValidator(schema: JSONSchemaProps): SchemaValidator {
  const c = compileAjv(schema);
  return (obj: unknown): FieldError[] => {
    if (c.validate(obj)) return [];
    const raws: Raw[] = (c.validate.errors ?? []).map((e) => ({
      e,
      segs: e.schemaPath.replace(/^#\/?/, '').split('/').filter((s) => s !== ''),
      inst: pointerSegments(e.instancePath),
    }));
    const errors = flatten(collect(earlyReturns(raws), 0, { c, data: obj }));
    // kube-openapi's Result keeps one copy of identical errors.
    const seen = new Set<string>();
    return errors.filter((e) => {
      const m = fieldErrorMessage(e);
      if (seen.has(m)) return false;
      seen.add(m);
      return true;
    });
  };
}
