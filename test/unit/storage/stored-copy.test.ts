// The store keeps a fresh, frozen parse of what was written (compact in V8, shared with no caller).
import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import type { KubeObject } from '../../../src/apiserver/object.js';
import { storedCopy, toJSON } from '../../../src/apiserver/storage/stored-copy.js';

const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', resourceVersion: '3', labels: { app: 'a' } },
  spec: { containers: [{ name: 'c', image: 'i', args: ['--x'] }] },
});

describe('storedCopy', () => {
  const cases: Array<{ name: string; input: () => KubeObject; want: unknown }> = [
    {
      name: 'sets resourceVersion in its place among the metadata fields',
      input: pod,
      want: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', resourceVersion: '9', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i', args: ['--x'] }] } },
    },
    {
      name: 'appends resourceVersion when the object had none',
      input: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
      want: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '9' } },
    },
    {
      name: 'keeps a "__proto__" data key as an own field',
      input: () => JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"__proto__":"x","a":"b"}}') as KubeObject,
      want: JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","resourceVersion":"9"},"data":{"__proto__":"x","a":"b"}}'),
    },
    {
      name: 'drops fields set to undefined, as the JSON a client reads does',
      input: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', managedFields: undefined } }),
      want: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '9' } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = storedCopy(c.input(), 9);
      expect(JSON.stringify(out)).toBe(JSON.stringify(c.want));
      expect(Object.keys(out.metadata)).toEqual(Object.keys((c.want as KubeObject).metadata));
    });
  }

  it('is deeply frozen and shares nothing with an immer-made input', () => {
    const input = produce(pod(), (d) => {
      d.metadata.labels!.app = 'b';
    });
    const out = storedCopy(input, 9);
    const spec = out.spec as { containers: Array<{ args: string[] }> };
    expect(Object.isFrozen(out) && Object.isFrozen(out.metadata) && Object.isFrozen(spec.containers[0]!.args)).toBe(true);
    expect(out.spec).not.toBe(input.spec);
    expect(out.spec).toEqual(input.spec);
    expect(input.metadata.resourceVersion).toBe('3');
  });
});

describe('toJSON', () => {
  it('is the JSON of the object just written, without serialising it again', () => {
    const stored = storedCopy(pod(), 12);
    expect(toJSON(stored)).toBe(JSON.stringify(stored));
  });

  it('serialises anything else, including an object written before the last', () => {
    const first = storedCopy(pod(), 12);
    const second = storedCopy({ ...pod(), metadata: { name: 'q', namespace: 'ns' } }, 13);
    expect(toJSON(first)).toBe(JSON.stringify(first));
    expect(toJSON(second)).toBe(JSON.stringify(second));
    expect(toJSON({ kind: 'Status' })).toBe('{"kind":"Status"}');
  });
});
