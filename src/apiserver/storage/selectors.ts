// Label and field selectors as kube-apiserver reads the labelSelector and fieldSelector query
// parameters (k8s.io/apimachinery pkg/labels/selector.go, pkg/fields/selector.go) and as
// metav1.LabelSelectorAsSelector turns a LabelSelector object into one. Parse errors are
// 400 BadRequest with the parser's own message, exactly as the list and watch handlers return it.
import { badRequest } from '../errors.js';
import { FieldErrorType, type FieldError, fieldErrorMessage } from '../validation/field-errors.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';

// ---------------------------------------------------------------------------------------------
// Label selectors

/** selection.Operator values, spelled as Kubernetes spells them. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/**
 * A parsed label selector: requirements ANDed together, sorted by key. `matchesNothing` marks
 * labels.Nothing() (what a null LabelSelector object means); an empty requirement list
 * without it is labels.Everything().
 */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  readonly matchesNothing: boolean;
}

/** Matches every object: the empty string, or `{}` as a LabelSelector object. */
export const everythingLabelSelector: LabelSelector = Object.freeze({ requirements: Object.freeze([]), matchesNothing: false });
/** Matches no object: a null or absent LabelSelector object (metav1.LabelSelectorAsSelector(nil)). */
export const nothingLabelSelector: LabelSelector = Object.freeze({ requirements: Object.freeze([]), matchesNothing: true });

export function isEverything(sel: LabelSelector): boolean {
  return !sel.matchesNothing && sel.requirements.length === 0;
}

/** The binary operators in the order labels.Parse lists them when it finds none. */
const binaryOperators = 'in, notin, =, ==, !=, gt, lt';

/** A Go error: its message, or the field errors NewRequirement aggregates into one. */
class SelectorParseError extends Error {}

function aggregate(errs: FieldError[]): string {
  // utilerrors.NewAggregate: one error bare, several deduplicated inside brackets.
  const msgs = [...new Set(errs.map(fieldErrorMessage))];
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

function invalid(field: string, badValue: unknown, detail: string): FieldError {
  return { type: FieldErrorType.Invalid, field, badValue, detail };
}

/**
 * labels.NewRequirement: validates the key (as a qualified name), the number of values for the
 * operator, and each value (as a label value). Field paths are the ones Go prints when the
 * parser has no path of its own: "key", "values[0]", "values[0][<key>]".
 */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs: FieldError[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(invalid('key', key, keyErrs.join('; ')));
  const n = values.length;
  if (operator === 'in' || operator === 'notin') {
    // Go copies the values with append([]string(nil), ...), so an empty list prints as null.
    if (n === 0) errs.push(invalid('values', null, "for 'in', 'notin' operators, values set can't be empty"));
  } else if (operator === 'exists' || operator === '!') {
    if (n !== 0) errs.push(invalid('values', values, 'values set must be empty for exists and does not exist'));
  } else if (operator === 'gt' || operator === 'lt') {
    if (n !== 1) errs.push(invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
    values.forEach((v, i) => {
      if (parseInt64(v) === undefined) errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
    });
  } else if (n !== 1) {
    errs.push(invalid('values', values, 'exact-match compatibility requires one single value'));
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(invalid(`values[${i}][${key}]`, v, msgs.join('; ')));
  });
  if (errs.length) throw new SelectorParseError(aggregate(errs));
  return { key, operator, values };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64), undefined where Go returns an error. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

// The lexer: special symbols are = ! ( ) , > < and the two-character "!=" and "=="; anything
// else up to whitespace or a special symbol is an identifier, or the keyword "in" / "notin".
type Tok = 'ident' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'eos';
type Item = { tok: Tok; lit: string };

const special = new Set(['=', '!', '(', ')', ',', '>', '<']);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(s: string): Item[] {
  const items: Item[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i]!)) i++;
    if (i >= s.length) break;
    const c = s[i]!;
    if (special.has(c)) {
      // Greedy: the longest run of special symbols that is still a token.
      const two = s.slice(i, i + 2);
      const lit = two === '!=' || two === '==' ? two : c;
      items.push({ tok: lit as Tok, lit });
      i += lit.length;
      continue;
    }
    let j = i;
    while (j < s.length && !special.has(s[j]!) && !isSpace(s[j]!)) j++;
    const lit = s.slice(i, j);
    items.push({ tok: lit === 'in' || lit === 'notin' ? lit : 'ident', lit });
    i = j;
  }
  items.push({ tok: 'eos', lit: '' });
  return items;
}

const exactOperators: Partial<Record<Tok, LabelOperator>> = { '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };

/** labels.Parse's recursive-descent parser, with its error messages. */
class LabelParser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  // Where a value is expected, "in" and "notin" are plain identifiers (e.g. `x in (in)`).
  private peek(values = true): Item {
    const it = this.items[this.pos]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'ident', lit: it.lit } : it;
  }
  private next(values = true): Item {
    const it = this.peek(values);
    this.pos++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'eos') return reqs;
      if (tok !== 'ident' && tok !== '!') throw new SelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (e instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = this.next();
      if (after.tok === 'eos') return reqs;
      if (after.tok !== ',') throw new SelectorParseError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.tok !== 'ident' && following.tok !== '!') {
        throw new SelectorParseError(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let notExists = false;
    let it = this.next();
    if (it.tok === '!') {
      notExists = true;
      it = this.next();
    }
    if (it.tok !== 'ident') throw new SelectorParseError(`found '${it.lit}', expected: identifier`);
    const key = it.lit;
    const keyErrs = isQualifiedName(key);
    // The parser has no field path, so Go prints the nil path as "<nil>".
    if (keyErrs.length) throw new SelectorParseError(fieldErrorMessage(invalid('<nil>', key, keyErrs.join('; '))));
    // `!key` is complete at once; whatever follows it is the caller's problem (`!a=b` fails there).
    if (notExists) return newRequirement(key, '!', []);
    const la = this.peek().tok;
    if (la === 'eos' || la === ',') return newRequirement(key, 'exists', []);

    const op = this.next(false);
    if (op.tok === 'in' || op.tok === 'notin') return newRequirement(key, op.tok, this.setValues());
    const exact = exactOperators[op.tok];
    if (!exact) throw new SelectorParseError(`found '${op.lit}', expected: ${binaryOperators}`);
    return newRequirement(key, exact, [this.exactValue()]);
  }

  /** `(a,b,,c)`: a set, so sorted and without duplicates; empty entries are the value "". */
  private setValues(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new SelectorParseError(`found '${open.lit}' expected: '('`);
    const first = this.peek();
    const values = new Set<string>();
    if (first.tok === ')') {
      this.next();
      values.add('');
    } else if (first.tok === 'ident' || first.tok === ',') {
      this.identifierList(values);
      this.next(); // the ')' identifierList stopped at
    } else {
      throw new SelectorParseError(`found '${first.lit}', expected: ',', ')' or identifier`);
    }
    return [...values].sort();
  }

  private identifierList(values: Set<string>): void {
    for (;;) {
      const it = this.next();
      if (it.tok === 'ident') {
        values.add(it.lit);
        const la = this.peek();
        if (la.tok === ')') return;
        if (la.tok !== ',') throw new SelectorParseError(`found '${la.lit}', expected: ',' or ')'`);
      } else if (it.tok === ',') {
        if (values.size === 0) values.add(''); // "(,"
        const la = this.peek().tok;
        if (la === ')') {
          values.add(''); // ",)"
          return;
        }
        if (la === ',') {
          this.next();
          values.add(''); // ",,"
        }
      } else {
        throw new SelectorParseError(`found '${it.lit}', expected: ',', or identifier`);
      }
    }
  }

  /** The value after =, ==, !=, >, <; nothing before ',' or the end means "". */
  private exactValue(): string {
    const la = this.peek().tok;
    if (la === 'eos' || la === ',') return '';
    const it = this.next();
    if (it.tok === 'ident') return it.lit;
    throw new SelectorParseError(`found '${it.lit}', expected: identifier`);
  }
}

function byKey(reqs: LabelRequirement[]): LabelRequirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * labels.Parse: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`,
 * comma-separated; "" selects everything. Throws 400 BadRequest with Go's wording.
 */
export function parseLabelSelector(s: string): LabelSelector {
  return asBadRequest(() => ({ requirements: byKey(new LabelParser(lex(s)).parse()), matchesNothing: false }));
}

function asBadRequest<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof SelectorParseError ? badRequest(e.message) : e;
  }
}

export interface LabelSelectorRequirementSpec {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirementSpec[] | null;
}

const specOperators: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector. A null or undefined spec matches nothing (a policy/v1
 * PodDisruptionBudget without a selector selects no pods); `{}` matches everything. The spec
 * should already have passed validateLabelSelectorSpec; if not, this throws 400 BadRequest.
 */
export function labelSelectorFromLabelSelectorSpec(spec: LabelSelectorSpec | null | undefined): LabelSelector {
  if (spec === null || spec === undefined) return nothingLabelSelector;
  const matchLabels = Object.entries(spec.matchLabels ?? {});
  const matchExpressions = spec.matchExpressions ?? [];
  if (matchLabels.length + matchExpressions.length === 0) return everythingLabelSelector;
  return asBadRequest(() => {
    const reqs = matchLabels.map(([k, v]) => newRequirement(k, '=', [v]));
    for (const expr of matchExpressions) {
      const op = specOperators[expr.operator];
      if (!op) throw new SelectorParseError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
      reqs.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
    }
    return { requirements: byKey(reqs), matchesNothing: false };
  });
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key]! : '';
  const op = r.operator;
  if (op === 'exists') return has;
  if (op === '!') return !has;
  // A missing label is "not in" any set, as in Kubernetes.
  if (op === 'notin' || op === '!=') return !has || !r.values.includes(value);
  if (op !== 'gt' && op !== 'lt') return has && r.values.includes(value);
  const actual = has && r.values.length === 1 ? parseInt64(value) : undefined;
  const bound = parseInt64(r.values[0] ?? '');
  if (actual === undefined || bound === undefined) return false;
  return op === 'gt' ? actual > bound : actual < bound;
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  if (sel.matchesNothing) return false;
  const ls = labels ?? {};
  return sel.requirements.every((r) => requirementMatches(r, ls));
}

const operatorText: Record<LabelOperator, string> = { in: ' in ', notin: ' notin ', '=': '=', '==': '==', '!=': '!=', gt: '>', lt: '<', exists: '', '!': '' };

/** Selector.String(): the canonical form (values sorted); Nothing() prints as "", as in Go. */
export function labelSelectorToString(sel: LabelSelector): string {
  return sel.requirements
    .map((r) => {
      const head = (r.operator === '!' ? '!' : '') + r.key + operatorText[r.operator];
      if (r.operator === 'exists' || r.operator === '!') return head;
      const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(',');
      return r.operator === 'in' || r.operator === 'notin' ? `${head}(${values})` : head + values;
    })
    .join(',');
}

// ---------------------------------------------------------------------------------------------
// Field selectors

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

/**
 * fields.ParseSelector: comma-separated `field=value`, `field==value`, `field!=value` terms.
 * In a value, `\,` `\=` and `\\` stand for `,` `=` and `\`; an unescaped `=` or an unknown
 * escape is an error. Terms are applied in sorted order. Throws 400 BadRequest.
 */
export function parseFieldSelector(s: string): FieldSelector {
  const terms = splitFieldTerms(s).sort();
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const split = splitFieldTerm(term);
    if (!split) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    requirements.push({ field: split.field, operator: split.operator, value: unescapeFieldValue(split.rhs) });
  }
  return { requirements };
}

/** Splits on commas that are not escaped; the escapes stay in the terms. */
function splitFieldTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** The first operator from the left splits the term; the field itself has no escaping. */
function splitFieldTerm(term: string): { field: string; operator: '=' | '!='; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('!=', i)) return { field: term.slice(0, i), operator: '!=', rhs: term.slice(i + 2) };
    if (term.startsWith('==', i)) return { field: term.slice(0, i), operator: '=', rhs: term.slice(i + 2) };
    if (term[i] === '=') return { field: term.slice(0, i), operator: '=', rhs: term.slice(i + 1) };
  }
  return undefined;
}

function unescapeFieldValue(s: string): string {
  let out = '';
  let escaped = false;
  for (const c of s) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, which is its code point.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (escaped) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue: the inverse of the unescaping parseFieldSelector does. */
export function escapeFieldSelectorValue(v: string): string {
  return v.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** A missing field reads as "", as fields.Set.Get does, so `x!=v` matches objects without x. */
export function matchesFields(sel: FieldSelector, get: (field: string) => string | undefined): boolean {
  return sel.requirements.every((r) => {
    const actual = get(r.field) ?? '';
    return r.operator === '=' ? actual === r.value : actual !== r.value;
  });
}

/**
 * Selector.RequiresExactMatch: the value a `field=value` term demands, so storage can use an
 * index (metadata.namespace, spec.nodeName) instead of scanning everything.
 */
export function requiredValue(sel: FieldSelector, field: string): string | undefined {
  return sel.requirements.find((r) => r.field === field && r.operator === '=')?.value;
}

export function fieldSelectorToString(sel: FieldSelector): string {
  return sel.requirements.map((r) => `${r.field}${r.operator}${escapeFieldSelectorValue(r.value)}`).join(',');
}
