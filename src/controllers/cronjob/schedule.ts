import { CronExpressionParser } from 'cron-parser';

// Cron schedule math for the CronJob controller, as kube-controller-manager uses
// robfig/cron/v3 ParseStandard (5 fields, descriptors, @every) and cronjob/utils.go
// (mostRecentScheduleTime, nextScheduleTimeDuration, getTimeHashInMinutes). Pure functions.

export interface Schedule {
  /** The first activation strictly after `t`, or undefined when none within five years. */
  next(t: Date): Date | undefined;
}


const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function parseValue(s: string, min: number, names?: string[]): number {
  const named = names?.indexOf(s.toLowerCase()) ?? -1;
  if (named >= 0) return named + (min === 1 ? 1 : 0);
  if (!/^\d+$/.test(s)) throw new Error(`failed to parse int from ${s}`);
  return Number(s);
}

/** One field ("1-5/2,*\/15,mon"): its values and whether it was "*" or "?" (robfig starBit). */
function parseField(field: string, min: number, max: number, names?: string[]): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) {
    const [range, stepStr, extra] = part.split('/');
    if (extra !== undefined || range === undefined) throw new Error(`too many slashes: ${part}`);
    let lo: number;
    let hi: number;
    let isStar = false;
    if (range === '*' || range === '?') {
      [lo, hi, isStar] = [min, max, true];
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) throw new Error(`too many hyphens: ${range}`);
      lo = parseValue(bounds[0]!, min, names);
      hi = bounds.length === 2 ? parseValue(bounds[1]!, min, names) : lo;
    }
    let step = 1;
    if (stepStr !== undefined) {
      step = parseValue(stepStr, 0);
      if (step === 0) throw new Error(`step of range should be a positive number: ${part}`);
      if (!range.includes('-') && !isStar) hi = max; // "N/step" means N-max/step
    }
    if (lo < min) throw new Error(`beginning of range (${lo}) below minimum (${min}): ${part}`);
    if (hi > max) throw new Error(`end of range (${hi}) above maximum (${max}): ${part}`);
    if (lo > hi) throw new Error(`beginning of range (${lo}) beyond end of range (${hi}): ${part}`);
    if (isStar && step === 1) star = true;
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

/** Offset of a time zone from UTC at an instant, in ms (wall time minus UTC). */
function tzOffset(ms: number, fmt: Intl.DateTimeFormat | undefined): number {
  if (!fmt) return 0;
  const p: Record<string, number> = {};
  for (const { type, value } of fmt.formatToParts(new Date(ms))) if (type !== 'literal') p[type] = Number(value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return wall - (ms - (ms % 1000 + 1000) % 1000);
}

function formatterFor(timeZone: string | undefined): Intl.DateTimeFormat | undefined {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return undefined;
  return new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
}

/** Throws unless the IANA time zone name is known (kube: time.LoadLocation). */
export function validateTimeZone(timeZone: string): void {
  new Intl.DateTimeFormat('en-US', { timeZone });
}


/**
 * Parse a schedule as kube does (cron.ParseStandard): five fields, a descriptor such as
 * "@hourly", or "@every <duration>". Evaluated in `timeZone` (IANA name), UTC when unset.
 */
export function parseSchedule(spec: string, timeZone?: string): Schedule {
  const s = spec.trim();
  if (timeZone) validateTimeZone(timeZone);
  if (s.startsWith('@every ')) {
    const ms = parseGoDuration(s.slice(7).trim());
    const delay = Math.max(1000, ms - (ms % 1000));
    return { next: (t) => new Date(t.getTime() - (t.getTime() % 1000) + delay) };
  }
  const expr = DESCRIPTORS[s.toLowerCase()] ?? s;
  if (expr.startsWith('@')) throw new Error(`unrecognized descriptor: ${s}`);
  const parts = expr.split(/\s+/);
  if (parts.length !== 5) throw new Error(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  // Field syntax is checked as robfig/cron words its errors; the times come from cron-parser,
  // a maintained library that follows the same day-of-month OR day-of-week rule.
  parseField(parts[0]!, 0, 59);
  parseField(parts[1]!, 0, 23);
  parseField(parts[2]!, 1, 31);
  parseField(parts[3]!, 1, 12, MONTHS);
  parseField(parts[4]!, 0, 6, DAYS);
  const tz = timeZone || 'UTC';
  return {
    next(t) {
      try {
        const interval = CronExpressionParser.parse(expr, { currentDate: t, tz, endDate: new Date(t.getTime() + FIVE_YEARS_MS) });
        const next = interval.next().toDate();
        return next.getTime() > t.getTime() ? next : undefined;
      } catch {
        return undefined; // no activation within the window (e.g. February 30th)
      }
    },
  };
}

const FIVE_YEARS_MS = 5 * 366 * 24 * 3600 * 1000;

function parseGoDuration(s: string): number {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = s;
  if (!rest) throw new Error(`failed to parse duration @every ${s}`);
  while (rest) {
    const m = /^(\d+(?:\.\d*)?)(ms|s|m|h)/.exec(rest);
    if (!m) throw new Error(`failed to parse duration @every ${s}`);
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

export interface UnmetResult {
  /** The most recent schedule time in (earliest, now], if any. */
  mostRecent?: Date;
  /** How many schedule times were missed in that window (kube warns past 100). */
  missed: number;
}

/**
 * kube cronjob/utils.go mostRecentScheduleTime: the latest activation after `earliest`
 * (status.lastScheduleTime, else creationTimestamp, moved up to now - startingDeadlineSeconds)
 * and not after now.
 */
export function mostRecentScheduleTime(schedule: Schedule, earliest: Date, now: Date, startingDeadlineSeconds?: number): UnmetResult {
  let from = earliest;
  if (startingDeadlineSeconds !== undefined && startingDeadlineSeconds !== null) {
    const deadline = new Date(now.getTime() - startingDeadlineSeconds * 1000);
    if (deadline > from) from = deadline;
  }
  let missed = 0;
  let mostRecent: Date | undefined;
  for (let t = schedule.next(from); t && t <= now; t = schedule.next(t)) {
    mostRecent = t;
    if (++missed > 100_000) break;
  }
  return { mostRecent, missed };
}

/** Milliseconds from now until the next activation after now (kube adds 100ms of slack). */
export function nextScheduleDelay(schedule: Schedule, now: Date): number | undefined {
  const next = schedule.next(now);
  return next ? next.getTime() - now.getTime() + 100 : undefined;
}

/** kube getTimeHashInMinutes: the scheduled time in minutes since the epoch. */
export function jobNameFor(cronJobName: string, scheduled: Date): string {
  return `${cronJobName}-${Math.floor(scheduled.getTime() / 60_000)}`;
}

/** RFC 3339 without fractional seconds, in the time zone's offset when one is given. */
export function formatScheduledTimestamp(t: Date, timeZone?: string): string {
  const fmt = formatterFor(timeZone);
  const off = tzOffset(t.getTime(), fmt);
  const wall = new Date(t.getTime() - (t.getTime() % 1000) + off).toISOString().slice(0, 19);
  if (off === 0) return `${wall}Z`;
  const mins = Math.abs(off) / 60_000;
  const sign = off < 0 ? '-' : '+';
  return `${wall}${sign}${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;
}
