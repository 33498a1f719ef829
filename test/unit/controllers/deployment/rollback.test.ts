import { describe, expect, it } from 'vitest';
import { lastRevision, rollbackTo, rolledBackTo } from '../../../../src/controllers/deployment/rollback.js';
import type { KubeObject } from '../../../../src/controllers/runtime/types.js';

const rs = (name: string, revision: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, annotations: { 'deployment.kubernetes.io/revision': revision, ...annotations } },
  spec: { template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image: `img:${revision}` }] } } },
});

describe('server-side rollback (rollback.go)', () => {
  it('reads the annotation as a revision, ignoring one that is not a number as kube does', () => {
    const d = (v: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', annotations: { 'deprecated.deployment.rollback.to': v } } });
    expect(rollbackTo(d('0'))).toBe(0);
    expect(rollbackTo(d('4'))).toBe(4);
    expect(rollbackTo(d('latest'))).toBeUndefined();
  });
  it('a plain rollback goes to the second-highest revision; none when only one exists', () => {
    expect(lastRevision([rs('a', '1'), rs('c', '5'), rs('b', '3')])).toBe(3);
    expect(lastRevision([rs('a', '2')])).toBe(0);
  });
  it("takes the ReplicaSet's template without its hash label and its annotations, keeping the Deployment's own", () => {
    const d: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        annotations: { 'deployment.kubernetes.io/revision': '5', 'kubernetes.io/change-cause': 'now', 'deprecated.deployment.rollback.to': '3' },
      },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img:5' }] } } },
    };
    const out = rolledBackTo(d, rs('b', '3', { 'kubernetes.io/change-cause': 'then', 'deployment.kubernetes.io/desired-replicas': '2' }));
    expect(out.spec).toEqual({ replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img:3' }] } } });
    expect(out.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '5',
      'deprecated.deployment.rollback.to': '3',
      'kubernetes.io/change-cause': 'then',
    });
  });
});
