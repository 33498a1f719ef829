import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../src/apiserver/object.js';

describe('deepFreeze', () => {
  it('freezes every object and array of a JSON value', () => {
    const v = deepFreeze({ a: { b: [1, { c: 'x' }] }, d: null, e: 's' });
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.a)).toBe(true);
    expect(Object.isFrozen(v.a.b)).toBe(true);
    expect(Object.isFrozen(v.a.b[1])).toBe(true);
  });

  it('returns scalars and null unchanged', () => {
    for (const v of [1, 'x', true, null, undefined]) expect(deepFreeze(v)).toBe(v);
  });

  it('stops at a frozen part: it is taken to be frozen throughout, as stored objects are', () => {
    const shared = Object.freeze({ inner: { open: true } });
    const v = deepFreeze({ shared, fresh: { x: 1 } });
    expect(Object.isFrozen(v.fresh)).toBe(true);
    expect(Object.isFrozen(v.shared.inner)).toBe(false);
  });
});
