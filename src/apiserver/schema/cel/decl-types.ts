// The CEL type of each schema node, as apiserver's SchemaDeclType derives it: integer -> int,
// number -> double, string -> string (or timestamp/duration/bytes by format), array -> list,
// object with properties -> an object type with one field per (escaped) property, object with
// additionalProperties -> map(string, T), int-or-string -> dyn. Nodes with no CEL type (no
// `type` and preserve-unknown-fields, arrays without items) are left out of their parent.
// The root of a resource and every embedded resource also expose apiVersion, kind and
// metadata.name/generateName, and nothing else of metadata.

import type { Environment } from '@marcbachmann/cel-js';
import type { JSONSchemaProps } from '../types.js';
import { CelObject, unstructuredEqual } from './values.js';

export type ScalarKind = 'int' | 'double' | 'string' | 'bool' | 'bytes' | 'timestamp' | 'duration' | 'dyn';
export type ScalarDecl = { kind: ScalarKind; dateOnly: boolean };
export type ListDecl = { kind: 'list'; elem: DeclType };
export type MapDecl = { kind: 'map'; elem: DeclType };
export interface ObjectDecl {
  kind: 'object';
  /** The registered CEL type name, e.g. `Object.spec.template`. */
  name: string;
  /** Escaped CEL field name -> property name and type. */
  fields: Map<string, { name: string; type: DeclType }>;
  ctor: new (raw: Record<string, unknown>, decl: ObjectDecl) => CelObject;
}
export type DeclType = ScalarDecl | ListDecl | MapDecl | ObjectDecl;

type Schema = JSONSchemaProps;

// Identifiers CEL reserves; a property with one of these names is reached as `__name__`.
const reserved = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/**
 * A property name as a CEL identifier (apiserver's cel.Escape): `__` -> `__underscores__`,
 * `.` -> `__dot__`, `-` -> `__dash__`, `/` -> `__slash__`, reserved words -> `__word__`.
 * Undefined when the name cannot be escaped (leading digit, other characters); such a
 * property is invisible to rules.
 */
export function escapeName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (reserved.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) return undefined;
  return name.replace(/__|[.\-/]/g, (s) => ({ __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' })[s]!);
}

function sub(v: unknown): Schema | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : undefined;
}

export function properties(s: Schema): [string, Schema][] {
  const p = sub(s.properties);
  return p ? Object.entries(p).map(([k, v]) => [k, sub(v) ?? {}]) : [];
}

export function itemsOf(s: Schema): Schema | undefined {
  return sub(s.items);
}

export function additionalPropertiesOf(s: Schema): Schema | undefined {
  return sub(s.additionalProperties);
}

export function hasProperties(s: Schema): boolean {
  return sub(s.properties) !== undefined;
}

const metaString: Schema = { type: 'string' };

/** The schema with apiVersion, kind and metadata{name, generateName} declared (WithTypeAndObjectMeta). */
export function withTypeAndObjectMeta(s: Schema): Schema {
  const props = Object.fromEntries(properties(s));
  const meta = props.metadata ? Object.fromEntries(properties(props.metadata)) : {};
  if (
    props.kind?.type === 'string' &&
    props.apiVersion?.type === 'string' &&
    props.metadata?.type === 'object' &&
    meta.name?.type === 'string' &&
    meta.generateName?.type === 'string'
  ) {
    return s;
  }
  return {
    ...s,
    properties: {
      ...props,
      kind: metaString,
      apiVersion: metaString,
      metadata: { type: 'object', properties: { name: metaString, generateName: metaString } },
    },
  };
}

/** Builds declared types for a schema tree and registers every object type with an environment. */
export class DeclTypes {
  private readonly objects: ObjectDecl[] = [];
  private readonly names = new Set<string>();

  /** The node's CEL type, or undefined when the node is not exposed to CEL. */
  declare(s: Schema, isResourceRoot: boolean, name: string): DeclType | undefined {
    if (s['x-kubernetes-int-or-string'] === true) return { kind: 'dyn', dateOnly: false };
    if (isResourceRoot) s = withTypeAndObjectMeta(s);
    switch (s.type) {
      case 'array': {
        const items = itemsOf(s);
        if (!items) return undefined;
        const elem = this.declare(items, items['x-kubernetes-embedded-resource'] === true, `${name}.__item__`);
        return elem && { kind: 'list', elem };
      }
      case 'object': {
        const ap = additionalPropertiesOf(s);
        if (ap && !hasProperties(s)) {
          const elem = this.declare(ap, ap['x-kubernetes-embedded-resource'] === true, `${name}.__value__`);
          return elem && { kind: 'map', elem };
        }
        return this.declareObject(s, name);
      }
      case 'string':
        switch (s.format) {
          case 'byte':
            return { kind: 'bytes', dateOnly: false };
          case 'duration':
            return { kind: 'duration', dateOnly: false };
          case 'date':
            return { kind: 'timestamp', dateOnly: true };
          case 'date-time':
            return { kind: 'timestamp', dateOnly: false };
        }
        return { kind: 'string', dateOnly: false };
      case 'boolean':
        return { kind: 'bool', dateOnly: false };
      case 'number':
        return { kind: 'double', dateOnly: false };
      case 'integer':
        return { kind: 'int', dateOnly: false };
    }
    return undefined;
  }

  private declareObject(s: Schema, name: string): ObjectDecl {
    let unique = name;
    for (let i = 2; this.names.has(unique); i++) unique = `${name}${i}`;
    this.names.add(unique);
    const decl: ObjectDecl = {
      kind: 'object',
      name: unique,
      fields: new Map(),
      // One constructor per type: the evaluator maps a value to its type by constructor.
      ctor: class extends CelObject {},
    };
    for (const [prop, ps] of properties(s)) {
      const escaped = escapeName(prop);
      if (escaped === undefined) continue;
      const t = this.declare(ps, ps['x-kubernetes-embedded-resource'] === true, `${unique}.${escaped}`);
      if (t) decl.fields.set(escaped, { name: prop, type: t });
    }
    this.objects.push(decl);
    return decl;
  }

  /** Registers object types (children before parents) with equality by unstructured content. */
  register(env: Environment): void {
    for (const o of this.objects) {
      const fields: Record<string, string> = {};
      for (const [k, f] of o.fields) fields[k] = celTypeName(f.type);
      env.registerType(o.name, { ctor: o.ctor, fields });
    }
    for (const o of this.objects) {
      env.registerOperator(`${o.name} == ${o.name}`, (a: CelObject, b: CelObject) => unstructuredEqual(a.raw, b.raw));
    }
  }
}

/** The type as the evaluator's signature strings spell it. */
export function celTypeName(t: DeclType): string {
  switch (t.kind) {
    case 'list':
      return `list<${celTypeName(t.elem)}>`;
    case 'map':
      return `map<string, ${celTypeName(t.elem)}>`;
    case 'object':
      return t.name;
    case 'timestamp':
      return 'google.protobuf.Timestamp';
    case 'duration':
      return 'google.protobuf.Duration';
    default:
      return t.kind;
  }
}
