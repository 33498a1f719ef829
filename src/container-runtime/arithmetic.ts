// sh arithmetic expansion `$((...))` and the `test` / `[` builtin: the integer maths and
// comparisons counters and loops in pod scripts use (`i=$((i+1))`, `[ $i -lt 5 ]`).

/**
 * Evaluates integer arithmetic: + - * / % with parentheses, unary minus and !, comparisons
 * (< <= > >= == !=) and && ||. Bare names read shell variables (unset or non-numeric is 0).
 * Division by zero, or anything unparsable, is NaN (sh reports an error; the caller decides).
 */
export function evaluateArithmetic(expr: string, lookup: (name: string) => string | undefined): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|<=|>=|==|!=|&&|\|\||[-+*/%()<>!]|\S/g) ?? [];
  let i = 0;
  const num = (v: string | undefined) => {
    const n = Number.parseInt(v ?? '', 10);
    return Number.isFinite(n) ? n : 0;
  };
  const primary = (): number => {
    const t = tokens[i++];
    if (t === undefined) return NaN;
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') return NaN;
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() === 0 ? 1 : 0;
    if (/^\d+$/.test(t)) return Number(t);
    if (/^\$?[A-Za-z_]/.test(t)) return num(lookup(t.replace(/^\$/, '')));
    return NaN;
  };
  const binary = (next: () => number, ops: Record<string, (a: number, b: number) => number>) => (): number => {
    let v = next();
    for (let op = tokens[i]; op !== undefined && op in ops; op = tokens[i]) {
      i++;
      v = ops[op]!(v, next());
    }
    return v;
  };
  const mul = binary(primary, { '*': (a, b) => a * b, '/': (a, b) => (b === 0 ? NaN : Math.trunc(a / b)), '%': (a, b) => (b === 0 ? NaN : a % b) });
  const add = binary(mul, { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const cmp = binary(add, { '<': (a, b) => +(a < b), '<=': (a, b) => +(a <= b), '>': (a, b) => +(a > b), '>=': (a, b) => +(a >= b) });
  const eq = binary(cmp, { '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) });
  const and = binary(eq, { '&&': (a, b) => +(a !== 0 && b !== 0) });
  const or = binary(and, { '||': (a, b) => +(a !== 0 || b !== 0) });
  const v = or();
  return i === tokens.length ? v : NaN;
}

const INTEGER_TESTS: Record<string, (a: number, b: number) => boolean> = {
  '-eq': (a, b) => a === b,
  '-ne': (a, b) => a !== b,
  '-lt': (a, b) => a < b,
  '-le': (a, b) => a <= b,
  '-gt': (a, b) => a > b,
  '-ge': (a, b) => a >= b,
};

/** `test` / `[ ... ]`: exit status 0 (true), 1 (false) or 2 (a malformed expression). */
export function testExpression(args: string[]): number {
  if (args[0] === '!') {
    const s = testExpression(args.slice(1));
    return s === 2 ? 2 : 1 - s;
  }
  const status = (b: boolean) => (b ? 0 : 1);
  if (args.length === 0) return 1;
  if (args.length === 1) return status(args[0] !== '');
  if (args.length === 2) {
    const [op, v] = args as [string, string];
    if (op === '-z') return status(v === '');
    if (op === '-n') return status(v !== '');
    // No filesystem in a simulated container: files and directories do not exist.
    if (/^-[edfrwxsLh]$/.test(op)) return 1;
    return 2;
  }
  const [a, op, b] = args as [string, string, string];
  if (op === '=' || op === '==') return status(a === b);
  if (op === '!=') return status(a !== b);
  const cmp = INTEGER_TESTS[op];
  if (cmp) {
    if (!/^\s*-?\d+\s*$/.test(a) || !/^\s*-?\d+\s*$/.test(b)) return 2;
    return status(cmp(Number(a), Number(b)));
  }
  return 2;
}
