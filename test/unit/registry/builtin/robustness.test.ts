// Bad input never crashes the process: every hook and printer of every built-in kind runs
// over bodies of the wrong shape without throwing.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { create, NOW, resources, update, updateStatus } from './pipeline.js';

const junk: unknown[] = [null, 'text', 7, true, [], [1, 'a', null], { a: { b: 'c' } }];

function bodies(): KubeObject[] {
  const out: KubeObject[] = [{ metadata: { name: 'x' } }];
  for (const v of junk) {
    out.push({ metadata: { name: 'x', labels: v as Record<string, string> }, spec: v, status: v, data: v, type: v, subsets: v });
    out.push({
      metadata: { name: 'x' },
      spec: {
        selector: v,
        template: { metadata: { labels: v }, spec: { containers: v, initContainers: [v], volumes: v, tolerations: [v] } },
        ports: [v, { port: v, targetPort: v, nodePort: v }],
        replicas: v,
        strategy: v,
        updateStrategy: { rollingUpdate: v },
        schedule: v,
        jobTemplate: { spec: v },
        clusterIP: v,
        type: v,
        taints: [v],
      },
      stringData: v,
      involvedObject: v,
      regarding: v,
      series: v,
    });
  }
  return out;
}

describe('robustness', () => {
  it('never throws on malformed objects', () => {
    for (const rt of resources()) {
      for (const body of bodies()) {
        const ctx = `${rt.group}/${rt.resource} ${JSON.stringify(body)}`;
        let created: KubeObject = body;
        expect(() => (created = create(rt, body).object), ctx).not.toThrow();
        expect(() => update(rt, created, body), ctx).not.toThrow();
        expect(() => updateStatus(rt, created, body), ctx).not.toThrow();
        expect(() => rt.printer?.cells(body, NOW), ctx).not.toThrow();
        expect(() => rt.printer?.cells(created, NOW), ctx).not.toThrow();
        for (const get of Object.values(rt.fieldSelectors ?? {})) expect(() => get(body), ctx).not.toThrow();
      }
    }
  });
});
