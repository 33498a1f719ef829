import { describe, expect, it } from 'vitest';
import { isJobFinished, setCondition } from '../../../../src/controllers/job/conditions.js';

const t0 = new Date('2026-01-01T00:00:00.500Z');
const t1 = new Date('2026-01-01T00:01:00Z');

describe('setCondition', () => {
  it('adds a condition with both times set to now', () => {
    expect(setCondition([], 'Complete', 'True', 'CompletionsReached', 'm', t0)).toEqual([
      { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'm', lastProbeTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('leaves an unchanged condition alone and replaces a changed one', () => {
    const a = setCondition([], 'Suspended', 'True', 'JobSuspended', 'Job suspended', t0);
    expect(setCondition(a, 'Suspended', 'True', 'JobSuspended', 'Job suspended', t1)).toBe(a);
    const b = setCondition(a, 'Suspended', 'False', 'JobResumed', 'Job resumed', t1);
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ status: 'False', reason: 'JobResumed', lastTransitionTime: '2026-01-01T00:01:00Z' });
  });

  it('knows a finished Job', () => {
    expect(isJobFinished(setCondition([], 'FailureTarget', 'True', 'r', 'm', t0))).toBe(false);
    expect(isJobFinished(setCondition([], 'Failed', 'True', 'r', 'm', t0))).toBe(true);
    expect(isJobFinished(setCondition([], 'Complete', 'False', 'r', 'm', t0))).toBe(false);
  });
});
