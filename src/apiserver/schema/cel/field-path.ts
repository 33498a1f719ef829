// A rule's `fieldPath` (apiextensions' ValidFieldPath): a JSON path of field and map-key
// accessors relative to the node carrying the rule — `.spec.replicas`, `.labels['app.kubernetes.io/name']` —
// that must name fields the schema declares. It is normalised to field.Path form
// (`spec.replicas`, `labels[app.kubernetes.io/name]`) and appended to the node's path.

import type { JSONSchemaProps } from '../types.js';
import { additionalPropertiesOf, hasProperties, properties } from './decl-types.js';

const singleQuoteEscapes: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', "'": "'", '\\': '\\' };

function tokens(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.' || c === '[' || c === ']') {
      out.push(c);
      i++;
    } else if (c === "'") {
      let j = i + 1;
      while (j < path.length && !(path[j] === "'" && path[j - 1] !== '\\')) j++;
      out.push(path.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < path.length && !'.[]'.includes(path[j]!)) j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** The normalised field.Path text, or the reason the path is not valid for the schema. */
export function validFieldPath(path: string, schema: JSONSchemaProps): { path: string } | { error: string } {
  let s: JSONSchemaProps | undefined = schema;
  let out = '';
  const append = (name: string): string | undefined => {
    if (s && hasProperties(s)) {
      const next = properties(s).find(([k]) => k === name);
      if (!next) return 'does not refer to a valid field';
      out += out === '' ? name : `.${name}`;
      s = next[1];
    } else if (s && additionalPropertiesOf(s)) {
      out += `[${name}]`;
      s = additionalPropertiesOf(s);
    } else {
      return 'does not refer to a valid field';
    }
    return undefined;
  };
  const toks = tokens(path);
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    let err: string | undefined;
    if (tok === '.') {
      const name = toks[++i];
      if (name === undefined) return { error: 'unexpected end of JSON path' };
      err = append(name);
    } else if (tok === '[') {
      const quoted = toks[++i];
      if (quoted === undefined) return { error: 'unexpected end of JSON path' };
      if (quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'")) return { error: `expected single quoted string but got ${quoted}` };
      let bad = '';
      const name = quoted.slice(1, -1).replace(/\\./g, (m) => singleQuoteEscapes[m[1]!] ?? ((bad ||= m), ''));
      if (bad) return { error: `invalid string literal: invalid escape char ${bad}` };
      err = append(name);
      const close = toks[++i];
      if (close === undefined) return { error: 'unexpected end of JSON path' };
      if (close !== ']') return { error: `expected ] but got ${close}` };
    } else {
      return { error: `expected [ or . but got: ${tok}` };
    }
    if (err) return { error: err };
  }
  return { path: out };
}
