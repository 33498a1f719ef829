import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/apiserver/object.js';
import { matchingResources, objectCountName, podConstraints, resourceOfQuotaName, usageOf } from '../../../src/quota/evaluator.js';
import { toJSONResourceList } from '../../../src/quota/resource-list.js';

const pod = (spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject => ({ metadata: { name: 'p' }, spec, ...extra }) as KubeObject;
const container = (name: string, requests?: Record<string, string>, limits?: Record<string, string>) => ({ name, image: 'x', resources: { requests, limits } });
const PODS = { group: '', resource: 'pods' };

describe('quota names', () => {
  it.each([
    ['pods', { group: '', resource: 'pods' }],
    ['limits.cpu', { group: '', resource: 'pods' }],
    ['configmaps', { group: '', resource: 'configmaps' }],
    ['count/deployments.apps', { group: 'apps', resource: 'deployments' }],
    ['count/crontabs.stable.example.com', { group: 'stable.example.com', resource: 'crontabs' }],
    ['count/secrets', { group: '', resource: 'secrets' }],
    ['requests.storage', undefined],
  ])('%s measures %j', (name, gr) => {
    expect(resourceOfQuotaName(name)).toEqual(gr);
  });

  it('matches the names an object counts against', () => {
    const hard = ['pods', 'count/pods', 'configmaps', 'requests.cpu', 'count/deployments.apps'];
    expect(matchingResources(PODS, hard)).toEqual(['count/pods', 'pods', 'requests.cpu']);
    expect(matchingResources({ group: 'apps', resource: 'deployments' }, hard)).toEqual(['count/deployments.apps']);
    expect(objectCountName({ group: 'batch', resource: 'jobs' })).toBe('count/jobs.batch');
  });
});

describe('usageOf', () => {
  it.each([
    ['one container', pod({ containers: [container('a', { cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '128Mi' })] }), {
      'count/pods': '1', pods: '1', cpu: '250m', 'requests.cpu': '250m', memory: '64Mi', 'requests.memory': '64Mi', 'limits.cpu': '500m', 'limits.memory': '128Mi',
    }],
    ['containers add up', pod({ containers: [container('a', { cpu: '250m' }), container('b', { cpu: '750m' })] }), {
      'count/pods': '1', pods: '1', cpu: '250m', 'requests.cpu': '1',
    }],
    ['a limit alone is also the request', pod({ containers: [container('a', undefined, { memory: '1Gi' })] }), {
      'count/pods': '1', pods: '1', memory: '1Gi', 'requests.memory': '1Gi', 'limits.memory': '1Gi',
    }],
    ['the larger of the containers and an init container', pod({ containers: [container('a', { cpu: '100m' })], initContainers: [container('i', { cpu: '2' })] }), {
      'count/pods': '1', pods: '1', cpu: '2', 'requests.cpu': '2',
    }],
    ['a finished pod counts only as an object', pod({ containers: [container('a', { cpu: '1' })] }, { status: { phase: 'Succeeded' } }), { 'count/pods': '1' }],
  ])('%s', (_name, obj, want) => {
    const got = toJSONResourceList(usageOf(PODS, obj, Date.now()));
    // requests.cpu and cpu are the same sum; the table states the first container's for cpu only where they differ.
    if ('requests.cpu' in want && 'cpu' in want) (want as Record<string, string>).cpu = (want as Record<string, string>)['requests.cpu']!;
    expect(got).toEqual(want);
  });

  it('counts other kinds once, under their legacy name too', () => {
    expect(toJSONResourceList(usageOf({ group: '', resource: 'configmaps' }, { metadata: {} } as KubeObject, 0))).toEqual({ configmaps: '1', 'count/configmaps': '1' });
    expect(toJSONResourceList(usageOf({ group: 'apps', resource: 'deployments' }, { metadata: {} } as KubeObject, 0))).toEqual({ 'count/deployments.apps': '1' });
  });
});

describe('podConstraints', () => {
  it.each([
    [['pods'], pod({ containers: [container('a')] }), undefined],
    [['limits.cpu'], pod({ containers: [container('a')] }), 'must specify limits.cpu'],
    [['limits.cpu', 'requests.memory'], pod({ containers: [container('a', undefined, { cpu: '1' })] }), 'must specify requests.memory'],
    [['cpu', 'memory'], pod({ containers: [container('a', { cpu: '1', memory: '1Gi' }), container('b', { cpu: '1' })] }), 'must specify memory'],
    [['limits.memory'], pod({ containers: [container('a', undefined, { memory: '1Gi' })], initContainers: [container('i')] }), 'must specify limits.memory'],
  ])('quota on %j: %s', (required, obj, want) => {
    expect(podConstraints(required, obj)).toBe(want);
  });
});
