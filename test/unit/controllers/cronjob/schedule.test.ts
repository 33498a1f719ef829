import { describe, expect, it } from 'vitest';
import {
  formatScheduledTimestamp, jobNameFor, mostRecentScheduleTime, nextScheduleDelay, parseSchedule,
} from '../../../../src/controllers/cronjob/schedule.js';

const d = (s: string) => new Date(s);
const next = (spec: string, from: string, tz?: string) => parseSchedule(spec, tz).next(d(from))?.toISOString();

describe('parseSchedule', () => {
  it('steps, ranges, lists and names', () => {
    expect(next('*/5 * * * *', '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:05:00.000Z');
    expect(next('*/5 * * * *', '2026-01-01T00:03:30Z')).toBe('2026-01-01T00:05:00.000Z');
    expect(next('0 9-17/4 * * *', '2026-01-01T10:00:00Z')).toBe('2026-01-01T13:00:00.000Z');
    expect(next('15,45 * * * *', '2026-01-01T00:20:00Z')).toBe('2026-01-01T00:45:00.000Z');
    expect(next('0 0 * * MON', '2026-01-01T00:00:00Z')).toBe('2026-01-05T00:00:00.000Z'); // Jan 1 2026 is a Thursday
    expect(next('0 0 1 FEB *', '2026-03-01T00:00:00Z')).toBe('2027-02-01T00:00:00.000Z');
    expect(next('30 */2 * * *', '2026-01-01T01:00:00Z')).toBe('2026-01-01T02:30:00.000Z');
  });

  it('descriptors and @every', () => {
    expect(next('@hourly', '2026-01-01T00:00:00Z')).toBe('2026-01-01T01:00:00.000Z');
    expect(next('@daily', '2026-01-01T00:00:00Z')).toBe('2026-01-02T00:00:00.000Z');
    expect(next('@weekly', '2026-01-01T00:00:00Z')).toBe('2026-01-04T00:00:00.000Z');
    expect(next('@monthly', '2026-01-15T00:00:00Z')).toBe('2026-02-01T00:00:00.000Z');
    expect(next('@yearly', '2026-01-15T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('@every 90s', '2026-01-01T00:00:00.500Z')).toBe('2026-01-01T00:01:30.000Z');
  });

  it('day-of-month and day-of-week are ORed unless one is *', () => {
    // 13th or Friday: Jan 2 2026 is a Friday.
    expect(next('0 0 13 * 5', '2026-01-01T00:00:00Z')).toBe('2026-01-02T00:00:00.000Z');
    expect(next('0 0 13 * *', '2026-01-01T00:00:00Z')).toBe('2026-01-13T00:00:00.000Z');
    // Feb 30 never happens.
    expect(next('0 0 30 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it('rejects malformed schedules', () => {
    for (const bad of ['* * * *', '60 * * * *', '* 24 * * *', '5-1 * * * *', '*/0 * * * *', '@fortnightly', 'a * * * *', '* * * * 7']) {
      expect(() => parseSchedule(bad), bad).toThrow();
    }
    expect(() => parseSchedule('* * * * *', 'Not/AZone')).toThrow();
  });

  it('evaluates in spec.timeZone, across DST', () => {
    expect(next('0 9 * * *', '2026-01-01T00:00:00Z', 'America/New_York')).toBe('2026-01-01T14:00:00.000Z');
    expect(next('0 9 * * *', '2026-07-01T00:00:00Z', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    expect(next('30 5 * * *', '2026-01-01T00:00:00Z', 'Asia/Kolkata')).toBe('2026-01-02T00:00:00.000Z');
    // US DST starts 2026-03-08: 09:00 EDT is 13:00Z.
    expect(next('0 9 * * *', '2026-03-07T15:00:00Z', 'America/New_York')).toBe('2026-03-08T13:00:00.000Z');
  });
});

describe('mostRecentScheduleTime', () => {
  const every5 = parseSchedule('*/5 * * * *');
  it('finds the latest unmet time and counts misses', () => {
    expect(mostRecentScheduleTime(every5, d('2026-01-01T00:00:00Z'), d('2026-01-01T00:04:59Z'))).toEqual({ mostRecent: undefined, missed: 0 });
    expect(mostRecentScheduleTime(every5, d('2026-01-01T00:00:00Z'), d('2026-01-01T00:05:00Z'))).toEqual({ mostRecent: d('2026-01-01T00:05:00Z'), missed: 1 });
    expect(mostRecentScheduleTime(every5, d('2026-01-01T00:00:00Z'), d('2026-01-01T01:02:00Z'))).toEqual({ mostRecent: d('2026-01-01T01:00:00Z'), missed: 12 });
  });
  it('startingDeadlineSeconds narrows the window', () => {
    const r = mostRecentScheduleTime(every5, d('2026-01-01T00:00:00Z'), d('2026-01-01T01:02:00Z'), 60);
    expect(r).toEqual({ mostRecent: undefined, missed: 0 });
    expect(mostRecentScheduleTime(every5, d('2026-01-01T00:00:00Z'), d('2026-01-01T01:02:00Z'), 180)).toEqual({ mostRecent: d('2026-01-01T01:00:00Z'), missed: 1 });
  });
});

describe('names and delays', () => {
  it('names Jobs by scheduled minutes since the epoch', () => {
    expect(jobNameFor('hello', d('2026-01-01T00:05:00Z'))).toBe(`hello-${Date.parse('2026-01-01T00:05:00Z') / 60000}`);
  });
  it('requeues until the next time plus slack', () => {
    expect(nextScheduleDelay(parseSchedule('*/5 * * * *'), d('2026-01-01T00:01:00Z'))).toBe(4 * 60_000 + 100);
  });
  it('formats the scheduled timestamp in the zone', () => {
    expect(formatScheduledTimestamp(d('2026-01-01T14:00:00Z'))).toBe('2026-01-01T14:00:00Z');
    expect(formatScheduledTimestamp(d('2026-01-01T14:00:00Z'), 'America/New_York')).toBe('2026-01-01T09:00:00-05:00');
    expect(formatScheduledTimestamp(d('2026-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe('2026-01-01T05:30:00+05:30');
  });
});
