// The Website operator's builders (examples/website-operator/desired.ts): what a Website asks
// for, and the status it reports, without a cluster.
import { describe, expect, it } from 'vitest';
import { configMapFor, contentHash, CONTENT_HASH, deploymentFor, serviceFor, statusFor, urlFor, type Website } from '../../../examples/website-operator/desired.js';

const website = (spec: Website['spec'], extra: Partial<Website> = {}): Website => ({
  apiVersion: 'web.example.com/v1',
  kind: 'Website',
  metadata: { name: 'hello', namespace: 'web', uid: 'uid-1', generation: 4 },
  spec,
  ...extra,
});
const owner = { apiVersion: 'web.example.com/v1', kind: 'Website', name: 'hello', uid: 'uid-1', controller: true, blockOwnerDeletion: true };
const labels = { 'app.kubernetes.io/name': 'hello', 'app.kubernetes.io/managed-by': 'website-operator' };

describe('the objects a Website owns', () => {
  it('a ConfigMap <name>-content holding the page as index.html', () => {
    expect(configMapFor(website({ content: '<p>hi</p>' }))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'hello-content', namespace: 'web', labels, ownerReferences: [owner] },
      data: { 'index.html': '<p>hi</p>' },
    });
  });

  it.each([
    ['defaults: 1 replica of nginx:1.27', { content: 'a' }, 1, 'nginx:1.27'],
    ['replicas and image from the spec', { content: 'a', replicas: 3, image: 'nginx:1.26' }, 3, 'nginx:1.26'],
    ['0 replicas is kept, not defaulted', { content: 'a', replicas: 0 }, 0, 'nginx:1.27'],
  ])('a Deployment: %s', (_, spec, replicas, image) => {
    const d = deploymentFor(website(spec));
    expect(d.metadata).toEqual({ name: 'hello', namespace: 'web', labels, ownerReferences: [owner] });
    expect(d.spec!.replicas).toBe(replicas);
    expect(d.spec!.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'hello' } });
    expect(d.spec!.template.metadata).toEqual({ labels, annotations: { [CONTENT_HASH]: contentHash('a') } });
    expect(d.spec!.template.spec!.containers).toEqual([
      { name: 'nginx', image, ports: [{ name: 'http', containerPort: 80 }], volumeMounts: [{ name: 'content', mountPath: '/usr/share/nginx/html', readOnly: true }] },
    ]);
    expect(d.spec!.template.spec!.volumes).toEqual([{ name: 'content', configMap: { name: 'hello-content' } }]);
  });

  it('a new content hash on the pod template exactly when the content changes', () => {
    const hash = (content: string, replicas = 1) => deploymentFor(website({ content, replicas })).spec!.template.metadata!.annotations![CONTENT_HASH];
    expect(hash('a')).toMatch(/^[0-9a-f]{10}$/);
    expect(hash('a', 5)).toBe(hash('a'));
    expect(hash('b')).not.toBe(hash('a'));
  });

  it.each([
    ['port 80 by default', undefined, 80, 'http://hello.web.svc.cluster.local'],
    ['another port, named in the URL', 8080, 8080, 'http://hello.web.svc.cluster.local:8080'],
  ])('a ClusterIP Service and its URL: %s', (_, port, servicePort, url) => {
    const w = website({ content: 'a', port });
    expect(serviceFor(w)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'hello', namespace: 'web', labels, ownerReferences: [owner] },
      spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'hello' }, ports: [{ name: 'http', protocol: 'TCP', port: servicePort, targetPort: 80 }] },
    });
    expect(urlFor(w)).toBe(url);
  });
});

describe('statusFor', () => {
  const now = new Date('2026-01-02T03:04:05.678Z');
  const earlier = '2026-01-01T00:00:00Z';
  const deployment = (readyReplicas?: number) => ({ status: readyReplicas === undefined ? {} : { readyReplicas } });

  it.each([
    ['no Deployment yet', 2, undefined, 0, 'False', 'ReplicasNotReady', '0 of 2 replicas ready'],
    ['some pods ready', 2, deployment(1), 1, 'False', 'ReplicasNotReady', '1 of 2 replicas ready'],
    ['every pod ready', 2, deployment(2), 2, 'True', 'ReplicasReady', '2 of 2 replicas ready'],
    ['more ready than asked (scaling down)', 2, deployment(3), 3, 'True', 'ReplicasReady', '3 of 2 replicas ready'],
    ['scaled to zero', 0, deployment(), 0, 'False', 'ScaledToZero', 'spec.replicas is 0: no pod serves the site'],
  ])('%s', (_, replicas, d, ready, status, reason, message) => {
    expect(statusFor({ website: website({ content: 'a', replicas }), deployment: d, now })).toEqual({
      readyReplicas: ready,
      url: 'http://hello.web.svc.cluster.local',
      observedGeneration: 4,
      conditions: [{ type: 'Available', status, reason, message, lastTransitionTime: '2026-01-02T03:04:05Z' }],
    });
  });

  it('keeps lastTransitionTime while the condition status stays, and moves it when it changes', () => {
    const was = (status: 'True' | 'False') => website({ content: 'a', replicas: 1 }, { status: { conditions: [{ type: 'Available', status, lastTransitionTime: earlier }] } });
    expect(statusFor({ website: was('True'), deployment: deployment(1), now }).conditions![0]!.lastTransitionTime).toBe(earlier);
    expect(statusFor({ website: was('False'), deployment: deployment(1), now }).conditions![0]!.lastTransitionTime).toBe('2026-01-02T03:04:05Z');
  });
});
