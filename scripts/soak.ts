// npm run soak: 50 clients of mixed operations and 200 watchers for a minute against one
// in-process kubesim, then the churn deleted. Prints the figures; exits 1 on any error, any
// missed event, or a heap that does not come back near its start.
// Sizes: SOAK_CLIENTS, SOAK_WATCHERS, SOAK_SECONDS. Run with --expose-gc (the npm script does)
// so the heap figures are measured after a collection.
import { runSoak } from '../test/property/soak.js';

const clients = Number(process.env.SOAK_CLIENTS ?? 50);
const watchers = Number(process.env.SOAK_WATCHERS ?? 200);
const seconds = Number(process.env.SOAK_SECONDS ?? 60);
/** What "near its start" allows: the watch cache keeps its last events (deleted objects included). */
const HEAP_SLACK_MB = Number(process.env.SOAK_HEAP_SLACK_MB ?? 32);

const r = await runSoak({ clients, watchers, durationMs: seconds * 1000, log: (l) => console.log(l) });
console.log(JSON.stringify({ clients, watchers, seconds, ...r, errors: r.errors.length, firstErrors: r.errors.slice(0, 5) }, null, 2));
const heapOk = r.heapEndMB <= r.heapStartMB + HEAP_SLACK_MB;
if (!(globalThis as { gc?: unknown }).gc) console.log('note: run with node --expose-gc for heap figures after a collection');
if (r.errors.length || r.missedEvents || !heapOk) {
  console.log(`FAILED: ${r.errors.length} errors, ${r.missedEvents} watchers missed events, heap ${r.heapStartMB} -> ${r.heapEndMB} MB (slack ${HEAP_SLACK_MB})`);
  process.exit(1);
}
console.log(`OK: 0 errors, 0 missed events, heap ${r.heapStartMB} MB -> peak ${r.heapPeakMB} MB -> ${r.heapEndMB} MB after the churn was deleted`);
process.exit(0);
