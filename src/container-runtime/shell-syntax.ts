// The slice of POSIX sh grammar that pod manifests in teaching material use: simple commands
// with quotes and $VAR / ${VAR} / $(cmd) / $((expr)) expansions, `;` `&&` `||` `|` and
// newlines, `while`/`until`/`for`/`if` compounds and VAR=value assignments. Parsing never
// throws: what is not understood reads as words, so an odd script still "runs".

/** A piece of a word before expansion; `quoted` pieces are never split into several fields. */
export type WordPart =
  | { kind: 'lit'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  | { kind: 'cmd'; script: string; quoted: boolean }
  | { kind: 'arith'; expr: string; quoted: boolean };

export type Word = WordPart[];

export type Command =
  | { kind: 'simple'; assignments: { name: string; value: Word }[]; words: Word[] }
  | { kind: 'while'; until: boolean; condition: Script; body: Script }
  | { kind: 'for'; variable: string; items: Word[]; body: Script }
  | { kind: 'if'; branches: { condition: Script; body: Script }[]; otherwise?: Script }
  | { kind: 'group'; body: Script };

/** Commands joined by `&&` / `||`; a pipeline's commands run one after another. */
export interface AndOr {
  first: Command[];
  rest: { op: '&&' | '||'; pipeline: Command[] }[];
}

export type Script = AndOr[];

type Token = { kind: 'word'; word: Word; raw: string } | { kind: 'op'; op: string };

/** The text inside a `$(`...`)` or `$((`...`))` starting at `i` (just after the opening). */
function balanced(src: string, i: number, close: string): { body: string; end: number } {
  let depth = 1;
  let quote: string | undefined;
  for (let j = i; j < src.length; j++) {
    const ch = src[j]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') j++;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) {
      if (close === '))' && src[j + 1] === ')') return { body: src.slice(i, j), end: j + 2 };
      if (close === ')') return { body: src.slice(i, j), end: j + 1 };
    }
  }
  return { body: src.slice(i), end: src.length };
}

/** A `$` expansion at src[i] === '$': the part and the index after it. */
function dollar(src: string, i: number, quoted: boolean): { part: WordPart; end: number } {
  const next = src[i + 1];
  if (next === '(' && src[i + 2] === '(') {
    const { body, end } = balanced(src, i + 3, '))');
    return { part: { kind: 'arith', expr: body, quoted }, end };
  }
  if (next === '(') {
    const { body, end } = balanced(src, i + 2, ')');
    return { part: { kind: 'cmd', script: body, quoted }, end };
  }
  if (next === '{') {
    const close = src.indexOf('}', i + 2);
    const end = close < 0 ? src.length : close;
    // ${VAR:-default} and friends read as plain ${VAR}.
    return { part: { kind: 'var', name: src.slice(i + 2, end).split(/[:#%/-]/)[0]!, quoted }, end: end + 1 };
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*!-])/.exec(src.slice(i + 1));
  if (!m) return { part: { kind: 'lit', text: '$', quoted }, end: i + 1 };
  return { part: { kind: 'var', name: m[1]!, quoted }, end: i + 1 + m[1]!.length };
}

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '\n', '(', ')'];

/** Splits a script into words and operators, as sh's tokenizer does (comments dropped). */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (ch === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', op });
      i += op.length;
      continue;
    }
    const start = i;
    const word: Word = [];
    const lit = (text: string, quoted: boolean) => {
      const last = word[word.length - 1];
      if (last?.kind === 'lit' && last.quoted === quoted) last.text += text;
      else word.push({ kind: 'lit', text, quoted });
    };
    while (i < src.length) {
      const c = src[i]!;
      if (c === ' ' || c === '\t' || c === '\r' || OPERATORS.some((o) => src.startsWith(o, i))) break;
      if (c === "'") {
        const close = src.indexOf("'", i + 1);
        const end = close < 0 ? src.length : close;
        lit(src.slice(i + 1, end), true);
        i = end + 1;
      } else if (c === '"') {
        i++;
        while (i < src.length && src[i] !== '"') {
          if (src[i] === '\\' && i + 1 < src.length && '$`"\\\n'.includes(src[i + 1]!)) {
            lit(src[i + 1]!, true);
            i += 2;
          } else if (src[i] === '$') {
            const d = dollar(src, i, true);
            if (d.part.kind === 'lit') lit(d.part.text, true);
            else word.push(d.part);
            i = d.end;
          } else {
            lit(src[i]!, true);
            i++;
          }
        }
        if (!word.length) lit('', true);
        i++;
      } else if (c === '\\') {
        lit(src[i + 1] ?? '', true);
        i += 2;
      } else if (c === '$') {
        const d = dollar(src, i, false);
        if (d.part.kind === 'lit') lit(d.part.text, false);
        else word.push(d.part);
        i = d.end;
      } else {
        lit(c, false);
        i++;
      }
    }
    out.push({ kind: 'word', word, raw: src.slice(start, i) });
  }
  return out;
}

/** Parses a script; unknown constructs become simple commands rather than errors. */
export function parseScript(src: string): Script {
  return new Parser(tokenize(src)).list([]);
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private keyword(): string | undefined {
    const t = this.peek();
    return t?.kind === 'word' && t.word.length === 1 && t.word[0]!.kind === 'lit' && !t.word[0]!.quoted ? t.word[0]!.text : undefined;
  }

  private skipSeparators(): void {
    for (let t = this.peek(); t?.kind === 'op' && (t.op === ';' || t.op === '\n' || t.op === '&'); t = this.peek()) this.i++;
  }

  /** Commands up to one of the `stops` keywords (or the end). */
  list(stops: string[]): Script {
    const out: Script = [];
    for (;;) {
      this.skipSeparators();
      const t = this.peek();
      if (!t || (t.kind === 'op' && t.op === ')')) break;
      const kw = this.keyword();
      if (kw !== undefined && stops.includes(kw)) break;
      const before = this.i;
      out.push(this.andOr());
      if (this.i === before) this.i++; // a stray operator: skip it rather than loop
    }
    return out;
  }

  private andOr(): AndOr {
    const node: AndOr = { first: this.pipeline(), rest: [] };
    for (let t = this.peek(); t?.kind === 'op' && (t.op === '&&' || t.op === '||'); t = this.peek()) {
      this.i++;
      while (this.peek()?.kind === 'op' && (this.peek() as { op: string }).op === '\n') this.i++;
      node.rest.push({ op: t.op as '&&' | '||', pipeline: this.pipeline() });
    }
    return node;
  }

  private pipeline(): Command[] {
    const out: Command[] = [];
    for (;;) {
      const c = this.command();
      if (c) out.push(c);
      const t = this.peek();
      if (t?.kind === 'op' && t.op === '|') this.i++;
      else return out;
    }
  }

  private expect(kw: string): void {
    if (this.keyword() === kw) this.i++;
  }

  private command(): Command | undefined {
    const kw = this.keyword();
    if (kw === 'while' || kw === 'until') {
      this.i++;
      const condition = this.list(['do']);
      this.expect('do');
      const body = this.list(['done']);
      this.expect('done');
      return { kind: 'while', until: kw === 'until', condition, body };
    }
    if (kw === 'for') {
      this.i++;
      const variable = this.keyword() ?? '_';
      this.i++;
      const items: Word[] = [];
      if (this.keyword() === 'in') {
        this.i++;
        for (let t = this.peek(); t?.kind === 'word' && this.keyword() !== 'do'; t = this.peek()) {
          items.push(t.word);
          this.i++;
        }
      }
      this.skipSeparators();
      this.expect('do');
      const body = this.list(['done']);
      this.expect('done');
      return { kind: 'for', variable, items, body };
    }
    if (kw === 'if') {
      this.i++;
      const branches: { condition: Script; body: Script }[] = [];
      let otherwise: Script | undefined;
      for (;;) {
        const condition = this.list(['then']);
        this.expect('then');
        branches.push({ condition, body: this.list(['elif', 'else', 'fi']) });
        const next = this.keyword();
        this.i++;
        if (next === 'elif') continue;
        if (next === 'else') {
          otherwise = this.list(['fi']);
          this.expect('fi');
        }
        break;
      }
      return { kind: 'if', branches, otherwise };
    }
    if (this.peek()?.kind === 'op' && (this.peek() as { op: string }).op === '(') {
      // A subshell `( ... )` runs its commands like a group.
      this.i++;
      const inner = this.list([]);
      if (this.peek()?.kind === 'op') this.i++;
      return { kind: 'group', body: inner };
    }
    const assignments: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    for (let t = this.peek(); t?.kind === 'word'; t = this.peek()) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(t.raw);
      if (words.length === 0 && m && t.word[0]?.kind === 'lit' && !t.word[0].quoted) {
        const first = t.word[0];
        const value: Word = [{ ...first, text: first.text.slice(m[0].length) }, ...t.word.slice(1)];
        assignments.push({ name: m[1]!, value });
      } else {
        words.push(t.word);
      }
      this.i++;
    }
    if (!assignments.length && !words.length) return undefined;
    // `{` / `}` group braces read as no-op words.
    return { kind: 'simple', assignments, words: words.filter((w) => !(w.length === 1 && w[0]!.kind === 'lit' && !w[0]!.quoted && (w[0]!.text === '{' || w[0]!.text === '}'))) };
  }
}
