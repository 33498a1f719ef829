// Whether a schema's `pattern` compiles as Go's regexp package (RE2 syntax) compiles it, with
// the error text Go gives (`error parsing regexp: missing closing ): `(a``). Kubernetes
// validates patterns with Go's regexp, so a pattern JavaScript accepts (a lookahead, a
// backreference) is refused and one only RE2 accepts (`(?i)abc`) passes. This is a syntax
// check only; matching is the validator's business.

const PERL_CLASSES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
/** Escapes Go accepts after a backslash, besides punctuation and octal digits. */
const ESCAPE_LETTERS = new Set(['a', 'f', 't', 'n', 'r', 'v', 'b', 'B', 'A', 'z', 'p', 'P', 'x', 'Q', 'E', ...PERL_CLASSES]);

function err(code: string, expr: string): string {
  return `error parsing regexp: ${code}: \`${expr}\``;
}

/** Length of the escape starting at i (a backslash), or an error message. */
function escapeAt(p: string, i: number): number | string {
  const c = p[i + 1];
  if (c === undefined) return 'error parsing regexp: trailing backslash at end of expression: ``';
  if (/[0-7]/.test(c)) {
    // A lone non-zero digit would be a backreference, which RE2 does not have.
    let j = i + 2;
    while (j < i + 4 && /[0-7]/.test(p[j] ?? '')) j++;
    if (c !== '0' && j === i + 2) return err('invalid escape sequence', p.slice(i, i + 2));
    return j - i;
  }
  if (/[89]/.test(c)) return err('invalid escape sequence', p.slice(i, i + 2));
  if (/[A-Za-z]/.test(c) && !ESCAPE_LETTERS.has(c)) return err('invalid escape sequence', p.slice(i, i + 2));
  if ((c === 'p' || c === 'P' || c === 'x') && p[i + 2] === '{') {
    const close = p.indexOf('}', i + 3);
    if (close < 0) return err(c === 'x' ? 'invalid escape sequence' : 'invalid character class range', p.slice(i));
    return close + 1 - i;
  }
  if (c === 'x') return 4;
  if (c === 'p' || c === 'P') return 3;
  return 2;
}

/** Length of the character class starting at i (a '['), or an error message. */
function classAt(p: string, i: number): number | string {
  let j = i + 1;
  if (p[j] === '^') j++;
  let first = true;
  while (j < p.length && (p[j] !== ']' || first)) {
    first = false;
    if (p.startsWith('[:', j)) {
      const close = p.indexOf(':]', j + 2);
      if (close > 0) {
        j = close + 2;
        continue;
      }
    }
    let lo: string;
    if (p[j] === '\\') {
      const n = escapeAt(p, j);
      if (typeof n === 'string') return n;
      lo = n === 2 && !PERL_CLASSES.has(p[j + 1]!) ? p[j + 1]! : '';
      j += n;
    } else {
      lo = p[j]!;
      j++;
    }
    if (p[j] === '-' && p[j + 1] !== ']' && j + 1 < p.length && lo) {
      const hi = p[j + 1] === '\\' ? p[j + 2] : p[j + 1];
      if (hi !== undefined && hi < lo) return err('invalid character class range', `${lo}-${hi}`);
      j += p[j + 1] === '\\' ? 3 : 2;
    }
  }
  if (j >= p.length) return err('missing closing ]', p.slice(i));
  return j + 1 - i;
}

/** Length of a `{n}`, `{n,}` or `{n,m}` repeat at i, 0 when the brace is a literal, or an error. */
function repeatAt(p: string, i: number): number | string {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return 0;
  const min = Number(m[1]);
  const max = m[3] ? Number(m[3]) : min;
  if (min > 1000 || max > 1000 || (m[3] && max < min)) return err('invalid repeat count', m[0]);
  return m[0].length;
}

/** The Go error for an RE2 syntax problem in `pattern`, or undefined when it compiles. */
export function validateGoPattern(pattern: string): string | undefined {
  const p = pattern;
  let depth = 0;
  // Whether the last item can take a repetition operator, and whether it already has one.
  let operand = false;
  let repeated = '';
  for (let i = 0; i < p.length; ) {
    const c = p[i]!;
    let n: number | string = 1;
    if (c === '\\') {
      if (p[i + 1] === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        n = end < 0 ? p.length - i : end + 2 - i;
      } else n = escapeAt(p, i);
      if (typeof n === 'string') return n;
      operand = true;
      repeated = '';
    } else if (c === '[') {
      n = classAt(p, i);
      if (typeof n === 'string') return n;
      operand = true;
      repeated = '';
    } else if (c === '(') {
      if (p[i + 1] === '?') {
        const group = /^\(\?(?:P?<[A-Za-z0-9_]+>|[imsU]*(?:-[imsU]*)?[:)])/.exec(p.slice(i));
        if (!group) return err('invalid or unsupported Perl syntax', p.slice(i, i + 3));
        n = group[0].length;
        if (group[0].endsWith(')')) {
          i += n;
          continue;
        }
      }
      depth++;
      operand = false;
      repeated = '';
    } else if (c === ')') {
      if (depth === 0) return err('unexpected )', p);
      depth--;
      operand = true;
      repeated = '';
    } else if (c === '|') {
      operand = false;
      repeated = '';
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && repeatAt(p, i) !== 0)) {
      if (c === '{') {
        n = repeatAt(p, i);
        if (typeof n === 'string') return n;
      }
      const op = p.slice(i, i + (n as number));
      if (repeated) return err('invalid nested repetition operator', `${repeated}${op}`);
      if (!operand) return err('missing argument to repetition operator', op);
      if (p[i + (n as number)] === '?') n = (n as number) + 1;
      repeated = op;
    } else {
      operand = true;
      repeated = '';
    }
    i += n as number;
  }
  if (depth > 0) return err('missing closing )', p);
  return undefined;
}
