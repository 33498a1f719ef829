// Regular expressions as cel-go and Kubernetes' regex library offer them: matches (standard),
// find and findAll. Patterns are RE2, translated for JavaScript's RegExp by the same
// translator the schema's `pattern` keyword uses (../../go-regexp.ts).

import type { Environment } from '@marcbachmann/cel-js';
import { translateGoRegExp } from '../../go-regexp.js';
import { celError } from '../values.js';

const cache = new Map<string, RegExp>();

/** Compiles an RE2 pattern (cached); a pattern JavaScript cannot take is a CEL runtime error. */
export function re2(pattern: string, global = false): RegExp {
  const key = (global ? 'g:' : ':') + pattern;
  let re = cache.get(key);
  if (!re) {
    let source: string;
    let flags: string;
    try {
      ({ source, flags } = translateGoRegExp(pattern));
    } catch {
      throw celError(`error parsing regexp: invalid or unsupported Perl syntax: ${JSON.stringify(pattern)}`);
    }
    if (global) flags += 'g';
    try {
      re = new RegExp(source, flags);
    } catch {
      throw celError(`error parsing regexp: invalid or unsupported Perl syntax: ${JSON.stringify(pattern)}`);
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** The name rules' `matches` calls are rewritten to (see rewrite.ts): the evaluator's own uses JS syntax. */
export const RE2_MATCHES = '__re2_matches';

export function registerRegex(env: Environment): void {
  env.registerFunction(`string.${RE2_MATCHES}(string): bool`, (s: string, p: string) => re2(p).test(s));
  env.registerFunction(`${RE2_MATCHES}(string, string): bool`, (s: string, p: string) => re2(p).test(s));
  env.registerFunction('string.find(string): string', (s: string, p: string) => re2(p).exec(s)?.[0] ?? '');
  env.registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n));
  env.registerFunction('string.findAll(string, int): list<string>', findAll);
}

function findAll(s: string, p: string, limit: bigint): string[] {
  if (limit === 0n) return [];
  const out: string[] = [];
  for (const m of s.matchAll(re2(p, true))) {
    out.push(m[0]);
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}
