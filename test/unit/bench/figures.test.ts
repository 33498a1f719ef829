// The benchmark's arithmetic: percentiles, ratios to the baseline, targets met or missed, and
// the table the README shows.
import { describe, expect, it } from 'vitest';
import { formatTable, meets, percentile, ratio, type Figure } from '../../../bench/figures.js';

describe('percentile (nearest rank)', () => {
  it.each([
    [[5], 50, 5],
    [[1, 2, 3, 4], 50, 2],
    [[4, 3, 2, 1], 50, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0, 1],
  ])('%j p%i = %i', (xs, p, want) => {
    expect(percentile(xs, p)).toBe(want);
  });
  it('is NaN for no values', () => expect(percentile([], 50)).toBeNaN());
});

const fig = (f: Partial<Figure>): Figure => ({ scenario: 's', name: 'n', value: 1, unit: 'req/s', ...f });

describe('targets', () => {
  it.each([
    [fig({ value: 700, baseline: 1000, target: { of: 'ratio', op: '>=', limit: 0.7 } }), true],
    [fig({ value: 699, baseline: 1000, target: { of: 'ratio', op: '>=', limit: 0.7 } }), false],
    [fig({ value: 9.9, unit: 'ms', target: { of: 'value', op: '<=', limit: 10 } }), true],
    [fig({ value: 10.1, unit: 'ms', target: { of: 'value', op: '<=', limit: 10 } }), false],
    [fig({ value: 1, target: { of: 'ratio', op: '>=', limit: 0.7 } }), undefined],
    [fig({ value: 1 }), undefined],
  ])('%j -> %s', (f, want) => {
    expect(meets(f)).toBe(want);
  });
  it('ratio is value over baseline', () => {
    expect(ratio(fig({ value: 50, baseline: 200 }))).toBe(0.25);
    expect(ratio(fig({ value: 50 }))).toBeUndefined();
  });
});

it('formats a markdown table with the baseline, the ratio and the target', () => {
  const table = formatTable([
    fig({ scenario: 'http create (10 connections)', name: 'requests/s', value: 8123.4, baseline: 10240, target: { of: 'ratio', op: '>=', limit: 0.7 } }),
    fig({ scenario: 'memory', name: 'per Pod beyond its JSON', value: 3300, unit: 'bytes', target: { of: 'value', op: '<=', limit: 2048 } }),
  ]);
  expect(table.split('\n')).toEqual([
    '| scenario | measure | kubesim | bare fastify | ratio | target | note |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    '| http create (10 connections) | requests/s | 8123 req/s | 10240 req/s | 0.79x | >= 0.7x met |  |',
    '| memory | per Pod beyond its JSON | 3.22 KiB |  |  | <= 2.00 KiB MISSED |  |',
  ]);
});
