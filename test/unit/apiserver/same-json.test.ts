import { describe, expect, it } from 'vitest';
import { sameJSON } from '../../../src/apiserver/object.js';

describe('sameJSON', () => {
  const cases: [string, unknown, unknown, boolean][] = [
    ['keys in another order', { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }, true],
    ['a key holding undefined is absent', { a: 1, b: undefined }, { a: 1 }, true],
    ['a missing key', { a: 1, b: 2 }, { a: 1 }, false],
    ['a different value', { a: { b: 'x' } }, { a: { b: 'y' } }, false],
    ['list order matters', [1, 2], [2, 1], false],
    ['lists of objects, keys reordered', [{ a: 1, b: 2 }], [{ b: 2, a: 1 }], true],
    ['a list is not an object', { 0: 'a' }, ['a'], false],
    ['null is not an empty object', null, {}, false],
    ['1 is not "1"', 1, '1', false],
  ];
  it.each(cases)('%s', (_, a, b, same) => {
    expect(sameJSON(a, b)).toBe(same);
    expect(sameJSON(b, a)).toBe(same);
  });
});
