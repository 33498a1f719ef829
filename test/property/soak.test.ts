// The soak run, short: a few clients and watchers for a couple of seconds. The full run
// (50 clients, 200 watchers, a minute) is `npm run soak`.
import { expect, it } from 'vitest';
import { runSoak } from './soak.js';

it('mixed clients and watchers: no errors, no missed events', async () => {
  const report = await runSoak({ clients: 8, watchers: 20, durationMs: 2000, namespaces: 4 });
  expect(report.errors).toEqual([]);
  expect(report.missedEvents).toBe(0);
  expect(report.writes).toBeGreaterThan(0);
  expect(report.eventsDelivered).toBeGreaterThan(0);
}, 60_000);
