// resource.Quantity: exact parsing with ParseQuantity's errors, and the approximate value the
// QoS class and the scheduler's resource fit use.
import { describe, expect, it } from 'vitest';
import { parseQuantity, quantityValue } from '../../../src/apimachinery/quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['100m', 100n, 3],
    ['1.5Gi', 15n * 2n ** 30n, 1],
    ['2e3', 2000n, 0],
    ['-1k', -1000n, 0],
    ['0.25', 25n, 2],
  ])('%s', (s, unscaled, scale) => {
    const q = parseQuantity(s);
    expect(typeof q).not.toBe('string');
    expect(q).toMatchObject({ unscaled, scale });
  });

  it.each([
    ['1.5.5Gi', 'unable to parse numeric part of quantity'],
    ['10Qi', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['1ee', "unable to parse quantity's suffix"],
  ])('%s is refused: %s', (s, message) => expect(parseQuantity(s)).toBe(message));
});

describe('quantityValue', () => {
  it.each([
    ['100m', 0.1],
    ['1Gi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    [' 2 ', 2],
    [3, 3],
    ['bogus', undefined],
    [null, undefined],
  ])('%j = %j', (v, n) => expect(quantityValue(v)).toBe(n));
});
