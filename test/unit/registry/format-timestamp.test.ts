import { describe, expect, it } from 'vitest';
import { formatTimestamp } from '../../../src/apiserver/registry/context.js';

describe('formatTimestamp (RFC 3339, whole seconds)', () => {
  it.each([
    ['2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05Z'],
    ['2024-01-02T03:04:05.999Z', '2024-01-02T03:04:05Z'],
    ['2024-01-02T03:04:06.001Z', '2024-01-02T03:04:06Z'],
    ['1999-12-31T23:59:59.500Z', '1999-12-31T23:59:59Z'],
    // Back in time (a virtual clock of another cluster): never the second remembered from before.
    ['2024-01-02T03:04:05.500Z', '2024-01-02T03:04:05Z'],
  ])('%s -> %s', (iso, expected) => {
    expect(formatTimestamp(new Date(iso))).toBe(expected);
  });
});
