// `pattern` in a CRD schema is a Go (RE2) regular expression: kube-openapi compiles it with
// regexp.Compile and matches unanchored (pkg/validation/validate/values.go Pattern). Most RE2
// syntax is also JavaScript syntax; this rewrites the parts that are not (leading flag groups,
// \A and \z, \Q..\E, POSIX classes, one-letter \pL, (?P<name>), \x{..}) so ajv can run the
// pattern with a JavaScript RegExp.
import type { RegExpLike } from 'ajv/dist/types/index.js';

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

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** Translates RE2 syntax to a JavaScript source and flags; throws if a construct has no equivalent. */
export function translateGoRegExp(pattern: string): { source: string; flags: string } {
  let src = pattern;
  let flags = '';
  // Flags for the whole expression: (?i), (?s), (?m), (?U is unsupported).
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes('U')) throw new Error('ungreedy flag has no JavaScript equivalent');
    flags = lead[1]!;
    src = src.slice(lead[0].length);
  }
  src = src.replace(/\\Q([\s\S]*?)(\\E|$)/g, (_m, lit: string) => escapeLiteral(lit));
  src = src.replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
    const cls = posixClasses[name];
    if (!cls) return m;
    if (neg) throw new Error('negated POSIX class has no JavaScript equivalent');
    return cls;
  });
  src = src
    .replace(/\\A/g, '(?<![\\s\\S])')
    .replace(/\\z/g, '(?![\\s\\S])')
    .replace(/\\([pP])([A-Za-z])/g, '\\$1{$2}')
    .replace(/\(\?P</g, '(?<')
    .replace(/\\x\{([0-9A-Fa-f]+)\}/g, '\\u{$1}');
  return { source: src, flags };
}

/**
 * ajv's regExp engine: a Go pattern compiled to a JavaScript RegExp, with the unicode flag when
 * the pattern allows it. A pattern JavaScript cannot express matches everything rather than
 * rejecting every object: kube-apiserver accepted the CRD, so failing closed would be wrong.
 */
export function goRegExp(pattern: string, u: string): RegExpLike {
  try {
    const { source, flags } = translateGoRegExp(pattern);
    try {
      return new RegExp(source, flags + u);
    } catch {
      // Go accepts escapes of any punctuation ("\-", "\_"); the unicode flag does not.
      return new RegExp(source, flags);
    }
  } catch {
    return { test: () => true };
  }
}
goRegExp.code = 'goRegExp';
