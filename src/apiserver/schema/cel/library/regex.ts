// Regular expressions as cel-go and Kubernetes' regex library offer them: matches (standard),
// find and findAll. Patterns are RE2; JavaScript's RegExp agrees on what CRD rules use, and
// this bridges what differs there: leading inline flags such as `(?i)`, `(?P<name>...)`,
// `\A`/`\z` and POSIX classes.

import type { Environment } from '@marcbachmann/cel-js';
import { celError } from '../values.js';

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/** Compiles an RE2 pattern (cached); a pattern JavaScript cannot take is a CEL runtime error. */
export function re2(pattern: string, global = false): RegExp {
  const key = (global ? 'g:' : ':') + pattern;
  let re = cache.get(key);
  if (!re) {
    let source = pattern;
    let flags = global ? 'g' : '';
    const lead = /^\(\?([imsU]+)\)/.exec(source);
    if (lead) {
      source = source.slice(lead[0].length);
      for (const f of lead[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
    }
    source = source
      .replace(/\(\?P</g, '(?<')
      .replace(/\\A/g, '^')
      .replace(/\\z/g, '$(?![\\s\\S])')
      .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
        const cls = posixClasses[name];
        return cls ? `${neg ? '^' : ''}${cls}` : m;
      });
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
