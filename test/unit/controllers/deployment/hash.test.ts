import { describe, expect, it } from 'vitest';
import { canonicalJSON, computeHash, fnv32a, safeEncodeString } from '../../../../src/controllers/deployment/hash.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('pod-template-hash', () => {
  it('fnv32a matches the reference vectors', () => {
    expect(fnv32a(bytes(''))).toBe(0x811c9dc5);
    expect(fnv32a(bytes('a'))).toBe(0xe40c292c);
    expect(fnv32a(bytes('foobar'))).toBe(0xbf9cf968);
  });

  it('safeEncodeString maps each character into the vowel-free alphabet', () => {
    // '0' is code 48, 48 % 27 = 21 -> '4'; '9' is 57 % 27 = 3 -> 'f'.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });

  it('renders objects canonically whatever the key order', () => {
    expect(canonicalJSON({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('is deterministic, order-insensitive and changes with the template and collisionCount', () => {
    const t1 = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
    const t1b = { spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
    const t2 = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } };
    expect(computeHash(t1)).toBe(computeHash(t1b));
    expect(computeHash(t1)).not.toBe(computeHash(t2));
    expect(computeHash(t1, 1)).not.toBe(computeHash(t1));
    expect(computeHash(t1)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
});
