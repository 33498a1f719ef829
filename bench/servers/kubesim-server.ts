// kubesim for the load generator: startCluster({ controllers: 'none' }) in a process of its own,
// so autocannon's work does not share its event loop. Prints `listening on PORT` once it serves.
// KUBESIM_BENCH_DATA_SYNC=always|batch runs it with a data dir in a temporary folder, to measure
// what persistence costs: `KUBESIM_BENCH_DATA_SYNC=always npm run bench -- --only http`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type ClusterOptions } from '../../src/index.js';

const sync = process.env.KUBESIM_BENCH_DATA_SYNC;
const persistence: ClusterOptions = sync === 'always' || sync === 'batch' ? { dataDir: mkdtempSync(join(tmpdir(), 'kubesim-bench-data-')), dataSync: sync } : {};
const cluster = await startCluster({ controllers: 'none', logLevel: 'silent', ...persistence });
console.log(`listening on ${cluster.port}`);
process.once('SIGTERM', () => void cluster.stop().then(() => process.exit(0)));
