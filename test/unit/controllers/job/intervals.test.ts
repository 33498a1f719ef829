import { describe, expect, it } from 'vitest';
import { firstPendingIndexes, formatIntervals, hasIndex, parseIndexes, totalOf, withIndexes } from '../../../../src/controllers/job/intervals.js';

describe('index intervals', () => {
  it.each([
    [[], ''],
    [[0], '0'],
    [[0, 1, 2, 4], '0-2,4'],
    [[4, 2, 1, 0, 2], '0-2,4'],
    // kube prints two adjacent indexes with a comma, not a range.
    [[1, 3, 5, 6], '1,3,5,6'],
  ])('formats %o as %s', (ix, want) => {
    expect(formatIntervals(withIndexes([], ix))).toBe(want);
  });

  it('parses, dropping corrupt parts and indexes past completions', () => {
    expect(parseIndexes('0-2,x,4,6-9', 8)).toEqual([{ first: 0, last: 2 }, { first: 4, last: 4 }, { first: 6, last: 7 }]);
    expect(parseIndexes('1,2,3', 10)).toEqual([{ first: 1, last: 3 }]);
    expect(parseIndexes('', 3)).toEqual([]);
  });

  it('counts, looks up and finds free indexes', () => {
    const ivs = parseIndexes('0-2,5', 10);
    expect(totalOf(ivs)).toBe(4);
    expect(hasIndex(ivs, 5)).toBe(true);
    expect(hasIndex(ivs, 4)).toBe(false);
    expect(firstPendingIndexes(ivs, 3, 10)).toEqual([3, 4, 6]);
    expect(firstPendingIndexes(ivs, 5, 7)).toEqual([3, 4, 6]);
  });
});
