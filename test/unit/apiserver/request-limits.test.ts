import { describe, expect, it } from 'vitest';
import { isLongRunning, parseGoDuration, timeoutOf } from '../../../src/apiserver/inflight-limit.js';
import { reportedVerb, scopeOf } from '../../../src/apiserver/metrics.js';

describe('parseGoDuration', () => {
  it.each([
    ['60s', 60_000],
    ['1m', 60_000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['0', 0],
    ['60', undefined],
    ['', undefined],
    ['1x', undefined],
    ['s', undefined],
  ])('%s is %s ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });
});

describe('timeoutOf', () => {
  it.each([
    ['/api/v1/pods', 60_000, 60_000],
    ['/api/v1/pods?timeout=5s', 60_000, 5_000],
    ['/api/v1/pods?limit=1&timeout=5m', 60_000, 60_000],
    ['/api/v1/pods?timeout=nonsense', 60_000, 60_000],
    ['/api/v1/pods?timeout=5s', 0, 5_000],
    ['/api/v1/pods?timeoutSeconds=5', 60_000, 60_000],
  ])('%s with a server timeout of %d ms: %d ms', (url, server, want) => {
    expect(timeoutOf(url, server)).toBe(want);
  });
});

describe('isLongRunning (kube BasicLongRunningRequestCheck)', () => {
  it.each([
    ['/api/v1/pods?watch=true', true],
    ['/api/v1/pods?watch=1&resourceVersion=5', true],
    ['/api/v1/watch/pods', true],
    ['/apis/apps/v1/watch/namespaces/default/deployments', true],
    ['/api/v1/namespaces/default/pods/p/log', true],
    ['/api/v1/namespaces/default/pods/p/log?follow=true', true],
    ['/kubesim/clock/advance?by=5m', true],
    ['/api/v1/pods', false],
    ['/api/v1/pods?watch=false', false],
  ])('%s: %s', (url, want) => {
    expect(isLongRunning(url)).toBe(want);
  });
});

describe('metrics labels', () => {
  it.each([
    ['list', 'GET', undefined, 'LIST'],
    ['watch', 'GET', undefined, 'WATCH'],
    ['get', 'GET', undefined, 'GET'],
    ['create', 'POST', 'application/json', 'POST'],
    ['patch', 'PATCH', 'application/merge-patch+json', 'PATCH'],
    ['patch', 'PATCH', 'application/apply-patch+yaml', 'APPLY'],
    ['deletecollection', 'DELETE', undefined, 'DELETE'],
  ] as const)('%s by %s (%s) is %s', (verb, method, contentType, want) => {
    expect(reportedVerb({ verb }, method, contentType)).toBe(want);
  });

  it('scope: resource, namespace or cluster', () => {
    expect(scopeOf({ name: 'p', namespace: 'default' })).toBe('resource');
    expect(scopeOf({ name: '', namespace: 'default' })).toBe('namespace');
    expect(scopeOf({ name: '', namespace: '' })).toBe('cluster');
  });
});
