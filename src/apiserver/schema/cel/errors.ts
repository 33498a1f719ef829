// Error text in cel-go's words, so a rule author reads what kube-apiserver would print:
// compile issues as `ERROR: <input>:1:6: undefined field 'foo'` with the source line and a
// caret under the column, runtime errors as `no such key: foo`, `index out of bounds: 3`.

const binaryOps: Record<string, string> = {
  '+': '_+_', '-': '_-_', '*': '_*_', '/': '_/_', '%': '_%_', '<': '_<_', '<=': '_<=_', '>': '_>_', '>=': '_>=_',
  '==': '_==_', '!=': '_!=_', in: '@in', '&&': '_&&_', '||': '_||_',
};

interface CelIssue {
  code?: string;
  summary?: string;
  message: string;
  range?: { start: number; end: number };
}

/** The evaluator's type spelling in cel-go's: list<int> -> list(int), timestamp -> google.protobuf.Timestamp. */
export function celGoTypeName(t: string): string {
  return t
    .trim()
    .replace(/\boptional</g, 'optional_type<')
    .replace(/</g, '(')
    .replace(/>/g, ')');
}

/** Splits "string, list<int>" at top-level commas. */
function splitTypes(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.map(celGoTypeName);
}

/**
 * One issue as cel-go's Errors.ToDisplayString shows it. `knownFunctions` tells an unknown
 * function (undeclared reference) from a known one called with the wrong arguments.
 */
export function formatCompileIssue(source: string, issue: CelIssue, knownFunctions: Set<string>): string {
  const summary = issue.summary ?? issue.message.split('\n')[0]!;
  let offset = issue.range?.start ?? 0;
  let text: string;
  let m: RegExpExecArray | null;
  if ((m = /^No such key: (.*)$/.exec(summary))) {
    text = `undefined field '${m[1]}'`;
    offset = Math.max(0, source.lastIndexOf('.', offset));
  } else if ((m = /^Cannot index type '(.*)'$/.exec(summary))) {
    text = `type '${celGoTypeName(m[1]!)}' does not support field selection`;
    offset = Math.max(0, source.lastIndexOf('.', offset));
  } else if ((m = /^List elements must have the same type, (.*)$/.exec(summary))) {
    text = m[1]!;
  } else if ((m = /^Unknown variable: (.*)$/.exec(summary))) {
    text = `undeclared reference to '${m[1]}' (in container '')`;
  } else if ((m = /^no such overload: (.+?) (==|!=|<=|>=|<|>|\+|-|\*|\/|%|in) (.+)$/.exec(summary))) {
    text = `found no matching overload for '${binaryOps[m[2]!]}' applied to '(${celGoTypeName(m[1]!)}, ${celGoTypeName(m[3]!)})'`;
    offset = operatorOffset(source, issue.range, m[2]!) ?? offset;
  } else if ((m = /^found no matching overload for '(?:(.+)\.)?([\w.]+)\((.*)\)'$/.exec(summary))) {
    const [, receiver, name, args] = m;
    const plainName = name!.includes('.') && !receiver ? name!.slice(name!.lastIndexOf('.') + 1) : name!;
    const open = issue.range ? source.indexOf('(', issue.range.start) : -1;
    if (!knownFunctions.has(plainName)) {
      text = `undeclared reference to '${plainName}' (in container '')`;
    } else {
      const sig = `${receiver ? `${celGoTypeName(receiver)}.` : ''}(${splitTypes(args!).join(', ')})`;
      text = `found no matching overload for '${plainName}' applied to '${sig}'`;
    }
    if (receiver && open >= 0) offset = open;
  } else if (issue.code === 'parse_error' || /^(Unexpected|Unterminated|Expected|Invalid)/.test(summary)) {
    text = `Syntax error: ${summary}`;
  } else {
    text = summary;
  }
  return displayIssue(source, offset, text);
}

/** The position of a binary operator between its operands' source text. */
function operatorOffset(source: string, range: { start: number; end: number } | undefined, op: string): number | undefined {
  if (!range) return undefined;
  const text = source.slice(range.start, range.end);
  const pattern = op === 'in' ? /\sin\s/g : new RegExp(`\\s${op.replace(/[-+*/%<>=!]/g, '\\$&')}\\s|${op.replace(/[-+*/%<>=!]/g, '\\$&')}`, 'g');
  const m = pattern.exec(text);
  if (!m) return undefined;
  return range.start + m.index + (m[0].startsWith(' ') || m[0].startsWith('\t') ? 1 : 0);
}

function displayIssue(source: string, offset: number, text: string): string {
  const before = [...source.slice(0, offset)];
  let line = 1;
  let col = 0;
  for (const ch of before) {
    if (ch === '\n') {
      line++;
      col = 0;
    } else col++;
  }
  const snippet = (source.split('\n')[line - 1] ?? '').replace(/\t/g, ' ');
  return `ERROR: <input>:${line}:${col + 1}: ${text}\n | ${snippet}\n | ${'.'.repeat(col)}^`;
}

/** A runtime error's text as cel-go words it (kube appends ` evaluating rule: <rule>`). */
export function runtimeErrorText(err: unknown): string {
  const e = err as { code?: string; summary?: string; message?: string };
  const summary = e.summary ?? (e.message ?? String(err)).split('\n')[0]!;
  let m: RegExpExecArray | null;
  if ((m = /^No such key: index out of bounds, index (-?\d+)/.exec(summary))) return `index out of bounds: ${m[1]}`;
  if ((m = /^No such key: (.*)$/.exec(summary))) return `no such key: ${m[1]}`;
  if (/^(no such overload|found no matching overload)/.test(summary)) return 'no such overload';
  if (/overflow/i.test(summary)) return e.code === 'numeric_overflow' || /integer/.test(summary) ? 'integer overflow' : summary;
  if (e.code === 'division_by_zero' || summary === 'division by zero') return 'division by zero';
  if (summary === 'modulo by zero' || e.code === 'modulo_by_zero') return 'modulus by zero';
  return summary;
}
