// The Job policy fields are validated with kube-apiserver's wording (batch validation
// validatePodFailurePolicy, validateSuccessPolicy, the backoffLimitPerIndex rules).
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/apiserver/object.js';
import { validateIndexesFormat } from '../../../../src/apiserver/registry/builtin/batch/job-policies.js';
import { create, find, resources } from './pipeline.js';

const job = (spec: Record<string, unknown>, restartPolicy = 'Never'): KubeObject => ({
  metadata: { name: 'j' },
  spec: { ...spec, template: { spec: { restartPolicy, containers: [{ name: 'main', image: 'b' }], initContainers: [{ name: 'setup', image: 'b' }] } } },
});
const indexed = (spec: Record<string, unknown>) => job({ completionMode: 'Indexed', completions: 5, ...spec });
const rule = (r: Record<string, unknown>) => ({ podFailurePolicy: { rules: [r] } });

describe('Job policy validation', () => {
  const jobs = find(resources(), 'batch', 'jobs');

  it.each<[string, KubeObject, string[]]>([
    ['a valid pod failure policy', job(rule({ action: 'FailJob', onExitCodes: { containerName: 'setup', operator: 'In', values: [1, 42] } })), []],
    [
      'podFailurePolicy with OnFailure',
      job(rule({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }), 'OnFailure'),
      ['spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'],
    ],
    ['a rule without action', job(rule({ onExitCodes: { operator: 'In', values: [1] } })), ['spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]']],
    ['an unknown action', job(rule({ action: 'Retry', onExitCodes: { operator: 'In', values: [1] } })), ['spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"']],
    ['FailIndex without backoffLimitPerIndex', job(rule({ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } })), ['spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set']],
    ['neither requirement', job(rule({ action: 'Count' })), ['spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required']],
    [
      'both requirements',
      job(rule({ action: 'Count', onExitCodes: { operator: 'In', values: [1] }, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] })),
      ['spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported'],
    ],
    [
      'bad exit codes',
      job(rule({ action: 'Count', onExitCodes: { containerName: 'other', operator: 'In', values: [3, 0, 3] } })),
      [
        'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "other": must be one of the container or initContainer names in the pod template',
        'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator',
        'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3',
        'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [3,0,3]: must be ordered',
      ],
    ],
    ['no exit codes', job(rule({ action: 'Count', onExitCodes: { operator: 'Is', values: [] } })), [
      'spec.podFailurePolicy.rules[0].onExitCodes.operator: Unsupported value: "Is": supported values: "In", "NotIn"',
      'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []: at least one value is required',
    ]],
    ['a bad condition status', job(rule({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'Maybe' }] })), [
      'spec.podFailurePolicy.rules[0].onPodConditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
    ]],
    ['podReplacementPolicy other than Failed with a pod failure policy', job({ ...rule({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }), podReplacementPolicy: 'TerminatingOrFailed' }), [
      'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
    ]],
    ['backoffLimitPerIndex on a NonIndexed Job', job({ backoffLimitPerIndex: 1 }), ['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode']],
    ['maxFailedIndexes alone', indexed({ maxFailedIndexes: 1 }), ['spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified']],
    ['maxFailedIndexes above completions', indexed({ backoffLimitPerIndex: 1, maxFailedIndexes: 6 }), ['spec.maxFailedIndexes: Invalid value: 6: must be less than or equal to completions']],
    ['a negative backoffLimitPerIndex', indexed({ backoffLimitPerIndex: -1 }), ['spec.backoffLimitPerIndex: Invalid value: -1: must be greater than or equal to 0']],
    ['a valid success policy', indexed({ successPolicy: { rules: [{ succeededIndexes: '0,2-4', succeededCount: 2 }, { succeededCount: 5 }] } }), []],
    ['a success policy on a NonIndexed Job', job({ successPolicy: { rules: [{ succeededCount: 1 }] } }), ['spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode']],
    ['no success rules', indexed({ successPolicy: { rules: [] } }), ['spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified']],
    ['an empty success rule', indexed({ successPolicy: { rules: [{}] } }), ['spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified']],
    [
      'success indexes past completions and too large a count',
      indexed({ successPolicy: { rules: [{ succeededIndexes: '1-7' }, { succeededIndexes: '0-1', succeededCount: 3 }, { succeededCount: 6 }] } }),
      [
        'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1-7": error parsing succeededIndexes: too large index: "7"',
        'spec.successPolicy.rules[1].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)',
        'spec.successPolicy.rules[2].succeededCount: Invalid value: 6: must be less than or equal to 5 (the number of specified completions)',
      ],
    ],
  ])('%s', (_name, body, messages) => {
    expect(create(jobs, body, { uid: 'u1' }).messages).toEqual(messages);
  });

  it.each<[string, number | string]>([
    ['', 0],
    ['0,2-4', 4],
    ['1-2-3', `the fragment "1-2-3" violates the requirement that an index interval can have at most two parts separated by '-'`],
    ['a', 'cannot convert string to integer for index: "a"'],
    ['3,1', 'non-increasing order, previous: 3, current: 1'],
    ['2-2', 'non-increasing order, previous: 2, current: 2'],
    ['9', 'too large index: "9"'],
  ])('reads indexes %j', (s, want) => {
    expect(validateIndexesFormat(s, 5)).toBe(want);
  });
});
