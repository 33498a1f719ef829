import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { parseIndexes } from '../../../../src/controllers/job/intervals.js';
import { isIndexFailed, replacementFailureCounts } from '../../../../src/controllers/job/per-index.js';
import { isPodFailed, matchPodFailurePolicy, type PodFailurePolicy } from '../../../../src/controllers/job/pod-failure-policy.js';
import { matchSuccessPolicy } from '../../../../src/controllers/job/success-policy.js';

const failedPod = (opts: { codes?: Record<string, number>; init?: Record<string, number>; conditions?: [string, string][]; annotations?: Record<string, string> }): KubeObject => ({
  metadata: { name: 'p', namespace: 'ns', annotations: opts.annotations },
  status: {
    phase: 'Failed',
    containerStatuses: Object.entries(opts.codes ?? {}).map(([name, exitCode]) => ({ name, state: { terminated: { exitCode } } })),
    initContainerStatuses: Object.entries(opts.init ?? {}).map(([name, exitCode]) => ({ name, state: { terminated: { exitCode } } })),
    conditions: (opts.conditions ?? []).map(([type, status]) => ({ type, status })),
  },
});

const policy: PodFailurePolicy = {
  rules: [
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42, 43] } },
    { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } },
    { action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } },
  ],
};

describe('matchPodFailurePolicy', () => {
  it('without a policy every failure counts', () => {
    expect(matchPodFailurePolicy(undefined, failedPod({ codes: { main: 42 } }))).toEqual({ countFailed: true });
  });

  it('takes the first matching rule', () => {
    // Both the Ignore and the FailJob rule match: the earlier wins.
    expect(matchPodFailurePolicy(policy, failedPod({ codes: { main: 42 }, conditions: [['DisruptionTarget', 'True']] }))).toEqual({ countFailed: false, action: 'Ignore' });
    expect(matchPodFailurePolicy(policy, failedPod({ codes: { main: 42 } }))).toEqual({
      countFailed: true,
      action: 'FailJob',
      failJobMessage: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1',
    });
    expect(matchPodFailurePolicy(policy, failedPod({ codes: { main: 7 } }))).toEqual({ countFailed: true, action: 'Count' });
    expect(matchPodFailurePolicy(policy, failedPod({ codes: { main: 1 } }))).toEqual({ countFailed: true, action: 'FailIndex' });
  });

  it('matches exit codes by container name, app containers before init containers, never exit 0', () => {
    expect(matchPodFailurePolicy(policy, failedPod({ codes: { sidecar: 42 } })).action).toBe('Count');
    expect(matchPodFailurePolicy(policy, failedPod({ init: { main: 43 } })).failJobMessage).toBe('Container main for pod ns/p failed with exit code 43 matching FailJob rule at index 1');
    const notIn: PodFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [5] } }] };
    expect(matchPodFailurePolicy(notIn, failedPod({ codes: { main: 0 } }))).toEqual({ countFailed: true });
  });

  it('matches a condition by type and status, with the condition in the FailJob message', () => {
    const byCondition: PodFailurePolicy = { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] };
    expect(matchPodFailurePolicy(byCondition, failedPod({ conditions: [['DisruptionTarget', 'False']] }))).toEqual({ countFailed: true });
    expect(matchPodFailurePolicy(byCondition, failedPod({ conditions: [['DisruptionTarget', 'True']] })).failJobMessage).toBe(
      'Pod ns/p has condition DisruptionTarget matching FailJob rule at index 0',
    );
  });
});

describe('isPodFailed', () => {
  const deleting: KubeObject = { metadata: { name: 'p', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Running' } };
  it('counts a deleted unfinished pod as failed unless only Failed pods are replaced', () => {
    expect(isPodFailed(deleting, {})).toBe(true);
    expect(isPodFailed(deleting, { podReplacementPolicy: 'Failed' })).toBe(false);
    expect(isPodFailed(deleting, { podFailurePolicy: policy })).toBe(false);
    expect(isPodFailed({ metadata: {}, status: { phase: 'Succeeded' } }, {})).toBe(false);
  });
});

describe('backoffLimitPerIndex', () => {
  const count = (n: string) => ({ 'batch.kubernetes.io/job-index-failure-count': n });
  it('fails an index past its budget or on a FailIndex rule', () => {
    expect(isIndexFailed({ backoffLimitPerIndex: 1 }, failedPod({ codes: { main: 2 }, annotations: count('0') }))).toBe(false);
    expect(isIndexFailed({ backoffLimitPerIndex: 1 }, failedPod({ codes: { main: 2 }, annotations: count('1') }))).toBe(true);
    expect(isIndexFailed({ backoffLimitPerIndex: 5, podFailurePolicy: policy }, failedPod({ codes: { main: 1 }, annotations: count('0') }))).toBe(true);
    // An ignored failure never uses up the budget.
    expect(isIndexFailed({ backoffLimitPerIndex: 0, podFailurePolicy: policy }, failedPod({ conditions: [['DisruptionTarget', 'True']] }))).toBe(false);
  });

  it('carries the counts to the replacement', () => {
    expect(replacementFailureCounts({}, undefined)).toEqual({ 'batch.kubernetes.io/job-index-failure-count': '0' });
    expect(replacementFailureCounts({}, failedPod({ codes: { main: 2 }, annotations: count('1') }))).toEqual({ 'batch.kubernetes.io/job-index-failure-count': '2' });
    expect(replacementFailureCounts({ podFailurePolicy: policy }, failedPod({ conditions: [['DisruptionTarget', 'True']], annotations: count('1') }))).toEqual({
      'batch.kubernetes.io/job-index-failure-count': '1',
      'batch.kubernetes.io/job-index-ignored-failure-count': '1',
    });
  });
});

describe('matchSuccessPolicy', () => {
  const succeeded = (s: string) => parseIndexes(s, 10);
  it.each([
    ['all listed indexes', { rules: [{ succeededIndexes: '0-2' }] }, '0-2,5', 'Matched rules at index 0'],
    ['listed indexes missing one', { rules: [{ succeededIndexes: '0-2' }] }, '0,2,5', undefined],
    ['enough of the listed indexes', { rules: [{ succeededIndexes: '0-4', succeededCount: 2 }] }, '1,3', 'Matched rules at index 0'],
    ['a count anywhere, second rule', { rules: [{ succeededIndexes: '9' }, { succeededCount: 3 }] }, '1,3,7', 'Matched rules at index 1'],
    ['an unreadable rule never matches', { rules: [{ succeededIndexes: 'x' }] }, '0-9', undefined],
    ['nothing succeeded', { rules: [{ succeededCount: 0 }] }, '', undefined],
  ])('%s', (_, policy, s, want) => {
    expect(matchSuccessPolicy(policy, 10, succeeded(s))).toBe(want);
  });
});
