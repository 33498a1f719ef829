import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../src/apiserver/errors.js';
import {
  everythingLabelSelector,
  fieldSelectorToString,
  isEverything,
  labelSelectorFromLabelSelectorSpec,
  labelSelectorToString,
  matchesFields,
  matchesLabels,
  nothingLabelSelector,
  parseFieldSelector,
  parseLabelSelector,
  requiredValue,
  type LabelSelectorSpec,
} from '../../../src/apiserver/storage/selectors.js';

/** The message of the 400 BadRequest a call throws. */
function badRequestMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    const err = e as StatusError;
    expect(err.status.code).toBe(400);
    expect(err.status.reason).toBe('BadRequest');
    return err.status.message ?? '';
  }
  throw new Error('expected a BadRequest');
}

const qualifiedNameRule =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueRule =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('parseLabelSelector', () => {
  it.each([
    ['', ''],
    ['a=b', 'a=b'],
    ['a==b', 'a==b'],
    ['a!=b', 'a!=b'],
    ['a=', 'a='],
    [' a in ( y , x ) ', 'a in (x,y)'],
    ['a notin (x)', 'a notin (x)'],
    ['a', 'a'],
    ['!a', '!a'],
    ['  !  a  ', '!a'],
    ['b=1,a', 'a,b=1'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['a in (x,)', 'a in (,x)'],
    ['a in (,x)', 'a in (,x)'],
    ['a in (x,x)', 'a in (x)'],
    ['in in (in,notin)', 'in in (in,notin)'],
    ['a>1,b<2', 'a>1,b<2'],
    ['example.com/app=web,tier\t!=\ncache', 'example.com/app=web,tier!=cache'],
  ])('parses %j as %j', (input, canonical) => {
    expect(labelSelectorToString(parseLabelSelector(input))).toBe(canonical);
  });

  it('keeps requirements sorted by key with their operators and values', () => {
    expect(parseLabelSelector('z!=1,a in (y,x),m').requirements).toEqual([
      { key: 'a', operator: 'in', values: ['x', 'y'] },
      { key: 'm', operator: 'exists', values: [] },
      { key: 'z', operator: '!=', values: ['1'] },
    ]);
    expect(isEverything(parseLabelSelector(''))).toBe(true);
    expect(isEverything(parseLabelSelector(' \t '))).toBe(true);
    expect(isEverything(parseLabelSelector('a'))).toBe(false);
  });

  it.each([
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in', "unable to parse requirement: found '' expected: '('"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    [',', "found ',', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['a,=b', "found '=', expected: identifier after ','"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['!=a', "found '!=', expected: !, identifier, or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a in (x,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['app:monolith', `unable to parse requirement: <nil>: Invalid value: "app:monolith": name part ${qualifiedNameRule}`],
    [
      'a/b/c ?=? def',
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ${qualifiedNameRule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    ['a=b_', `unable to parse requirement: values[0][a]: Invalid value: "b_": ${labelValueRule}`],
    // A Gt/Lt bound is still a label value, so it cannot be negative.
    ['a<-2', `unable to parse requirement: values[0][a]: Invalid value: "-2": ${labelValueRule}`],
    ['a>b', `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`],
    [
      'a<b.',
      `unable to parse requirement: [values[0]: Invalid value: "b.": for 'Gt', 'Lt' operators, the value must be an integer, values[0][a]: Invalid value: "b.": ${labelValueRule}]`,
    ],
  ])('rejects %j', (input, message) => {
    expect(badRequestMessage(() => parseLabelSelector(input))).toBe(message);
  });
});

describe('matchesLabels', () => {
  it.each<[string, Record<string, string> | undefined, boolean]>([
    ['', undefined, true],
    ['', { a: 'b' }, true],
    ['a=b', { a: 'b' }, true],
    ['a=b', { a: 'c' }, false],
    ['a==b', {}, false],
    ['a=b', undefined, false],
    ['a=', { a: '' }, true],
    ['a!=b', {}, true],
    ['a!=b', { a: 'b' }, false],
    ['a!=b', { a: 'c' }, true],
    ['a in (x,y)', { a: 'y' }, true],
    ['a in (x,y)', {}, false],
    ['a notin (x)', {}, true],
    ['a notin (x)', { a: 'x' }, false],
    ['a', { a: '' }, true],
    ['a', {}, false],
    ['!a', {}, true],
    ['!a', { a: '' }, false],
    ['a>5', { a: '6' }, true],
    ['a>5', { a: '5' }, false],
    ['a>5', { a: 'x' }, false],
    ['a>5', {}, false],
    ['a<5', { a: '-1' }, true],
    ['a=b,c', { a: 'b', c: '' }, true],
    ['a=b,c', { a: 'b' }, false],
    ['toString', {}, false],
  ])('%j on %j is %s', (selector, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });
});

describe('labelSelectorFromLabelSelectorSpec', () => {
  it('treats a missing selector as matching nothing and an empty one as matching everything', () => {
    for (const spec of [null, undefined]) {
      const sel = labelSelectorFromLabelSelectorSpec(spec);
      expect(sel).toBe(nothingLabelSelector);
      expect(isEverything(sel)).toBe(false);
      expect(matchesLabels(sel, {})).toBe(false);
      expect(matchesLabels(sel, { a: 'b' })).toBe(false);
    }
    for (const spec of [{}, { matchLabels: {}, matchExpressions: [] }, { matchLabels: null, matchExpressions: null }]) {
      const sel = labelSelectorFromLabelSelectorSpec(spec);
      expect(sel).toBe(everythingLabelSelector);
      expect(matchesLabels(sel, undefined)).toBe(true);
    }
  });

  it.each<[LabelSelectorSpec, string]>([
    [{ matchLabels: { b: '1', a: '2' } }, 'a=2,b=1'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['y', 'x'] }] }, 'a in (x,y)'],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, 'a notin (x)'],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, 'a'],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: [] }] }, '!a'],
    [{ matchLabels: { z: 'z' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, 'app in (web),z=z'],
  ])('converts %j to %j', (spec, canonical) => {
    expect(labelSelectorToString(labelSelectorFromLabelSelectorSpec(spec))).toBe(canonical);
  });

  it('matches the way the parsed string form does', () => {
    const sel = labelSelectorFromLabelSelectorSpec({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['cache'] }],
    });
    expect(matchesLabels(sel, { app: 'web' })).toBe(true);
    expect(matchesLabels(sel, { app: 'web', tier: 'cache' })).toBe(false);
    expect(matchesLabels(sel, { tier: 'front' })).toBe(false);
  });

  it.each<[LabelSelectorSpec, string]>([
    [{ matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '"Foo" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
    ],
    [{ matchLabels: { 'a b': 'x' } }, `key: Invalid value: "a b": name part ${qualifiedNameRule}`],
    [{ matchLabels: { a: 'x y' } }, `values[0][a]: Invalid value: "x y": ${labelValueRule}`],
  ])('rejects %j', (spec, message) => {
    expect(badRequestMessage(() => labelSelectorFromLabelSelectorSpec(spec))).toBe(message);
  });
});

describe('parseFieldSelector', () => {
  it.each<[string, { field: string; operator: '=' | '!='; value: string }[]]>([
    ['', []],
    [',', []],
    ['metadata.name=foo', [{ field: 'metadata.name', operator: '=', value: 'foo' }]],
    ['a==b', [{ field: 'a', operator: '=', value: 'b' }]],
    ['a!=b', [{ field: 'a', operator: '!=', value: 'b' }]],
    ['a=', [{ field: 'a', operator: '=', value: '' }]],
    ['a=b!c', [{ field: 'a', operator: '=', value: 'b!c' }]],
    [
      'status.phase!=Running,spec.nodeName=',
      [
        { field: 'spec.nodeName', operator: '=', value: '' },
        { field: 'status.phase', operator: '!=', value: 'Running' },
      ],
    ],
    ['a=x\\,y', [{ field: 'a', operator: '=', value: 'x,y' }]],
    ['a=x\\=y', [{ field: 'a', operator: '=', value: 'x=y' }]],
    ['a=x\\\\y', [{ field: 'a', operator: '=', value: 'x\\y' }]],
    ['a=x\\\\,b=y', [{ field: 'a', operator: '=', value: 'x\\' }, { field: 'b', operator: '=', value: 'y' }]],
    ['a = b', [{ field: 'a ', operator: '=', value: ' b' }]],
  ])('parses %j', (input, requirements) => {
    expect(parseFieldSelector(input).requirements).toEqual(requirements);
  });

  it.each([
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a==b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\!', 'invalid field selector: invalid escape sequence: \\!'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('rejects %j', (input, message) => {
    expect(badRequestMessage(() => parseFieldSelector(input))).toBe(message);
  });

  it('prints values escaped so the string parses back to the same selector', () => {
    const sel = parseFieldSelector('b!=x\\=y,a=p\\,q\\\\');
    expect(fieldSelectorToString(sel)).toBe('a=p\\,q\\\\,b!=x\\=y');
    expect(parseFieldSelector(fieldSelectorToString(sel))).toEqual(sel);
  });
});

describe('matchesFields and requiredValue', () => {
  const pod: Record<string, string> = { 'metadata.name': 'web-1', 'metadata.namespace': 'default', 'status.phase': 'Running' };
  const get = (f: string): string | undefined => pod[f];

  it.each([
    ['', true],
    ['metadata.name=web-1', true],
    ['metadata.name==web-2', false],
    ['metadata.namespace=default,status.phase!=Failed', true],
    ['status.phase!=Running', false],
    ['spec.nodeName!=node-1', true],
    ['spec.nodeName=', true],
    ['spec.nodeName=node-1', false],
  ])('%j matches: %s', (selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector), get)).toBe(expected);
  });

  it.each<[string, string, string | undefined]>([
    ['metadata.namespace=default,status.phase!=Failed', 'metadata.namespace', 'default'],
    ['metadata.namespace=default,status.phase!=Failed', 'status.phase', undefined],
    ['spec.nodeName==node-1', 'spec.nodeName', 'node-1'],
    ['spec.nodeName=', 'spec.nodeName', ''],
    ['', 'metadata.name', undefined],
  ])('%j requires %s to be %j', (selector, field, value) => {
    expect(requiredValue(parseFieldSelector(selector), field)).toBe(value);
  });
});
