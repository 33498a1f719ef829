import { describe, expect, it } from 'vitest';
import { add, formatQuantity, lessThanOrEqual, mask, parseResourceList, prettyPrint, quantity, removeZeros, subtract, toJSONResourceList } from '../../../src/quota/resource-list.js';

const q = (text: string) => {
  const v = quantity(text);
  if (!v) throw new Error(`not a quantity: ${text}`);
  return v;
};

describe('formatQuantity (Quantity.String)', () => {
  it.each([
    ['0', '0'],
    ['10', '10'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['0.5', '500m'],
    ['100m', '100m'],
    ['2000m', '2'],
    ['1.5', '1500m'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['512', '512'],
    ['1e3', '1k'],
    ['1M', '1M'],
    ['0.1m', '100u'],
  ])('%s is written %s', (text, want) => {
    expect(formatQuantity(q(text))).toBe(want);
  });
});

describe('ResourceList arithmetic', () => {
  it.each([
    // [a, b, a+b]: the sum keeps the first operand's format
    [{ cpu: '500m' }, { cpu: '500m' }, { cpu: '1' }],
    [{ memory: '512Mi' }, { memory: '512Mi' }, { memory: '1Gi' }],
    [{ memory: '1Gi' }, { memory: '512Mi' }, { memory: '1536Mi' }],
    [{ pods: '1' }, { 'count/pods': '1' }, { 'count/pods': '1', pods: '1' }],
    [{ cpu: '100m' }, { cpu: '1.9' }, { cpu: '2' }],
  ])('%j + %j = %j', (a, b, sum) => {
    expect(toJSONResourceList(add(parseResourceList(a), parseResourceList(b)))).toEqual(sum);
  });

  it('subtracts, and drops zeros', () => {
    const left = subtract(parseResourceList({ pods: '3', cpu: '1' }), parseResourceList({ pods: '3', cpu: '250m' }));
    expect(toJSONResourceList(left)).toEqual({ cpu: '750m', pods: '0' });
    expect(toJSONResourceList(removeZeros(left))).toEqual({ cpu: '750m' });
  });

  it.each([
    // [usage, hard, exceeded]
    [{ pods: '10' }, { pods: '10' }, []],
    [{ pods: '11' }, { pods: '10' }, ['pods']],
    [{ 'limits.cpu': '1001m', pods: '2' }, { 'limits.cpu': '1', pods: '2' }, ['limits.cpu']],
    [{ memory: '1Gi' }, { memory: '1073741824' }, []],
    [{ memory: '1Gi' }, { memory: '1G' }, ['memory']],
    [{ secrets: '5' }, { pods: '1' }, []],
  ])('%j within %j: exceeded %j', (usage, hard, exceeded) => {
    const got = lessThanOrEqual(parseResourceList(usage), parseResourceList(hard));
    expect(got.exceeded).toEqual(exceeded);
    expect(got.ok).toBe(exceeded.length === 0);
  });

  it('prints name=quantity pairs sorted by name, as quota messages do', () => {
    const list = parseResourceList({ pods: '1', 'limits.memory': '512Mi', 'count/configmaps': '3' });
    expect(prettyPrint(list)).toBe('count/configmaps=3,limits.memory=512Mi,pods=1');
    expect(prettyPrint(mask(list, ['pods', 'secrets']))).toBe('pods=1');
  });

  it('leaves out what is not a quantity', () => {
    expect(toJSONResourceList(parseResourceList({ pods: 'many', cpu: 2, memory: null }))).toEqual({ cpu: '2' });
  });
});
