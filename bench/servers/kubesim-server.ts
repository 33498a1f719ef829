// kubesim for the load generator: startCluster({ controllers: 'none' }) in a process of its own,
// so autocannon's work does not share its event loop. Prints `listening on PORT` once it serves.
import { startCluster } from '../../src/index.js';

const cluster = await startCluster({ controllers: 'none', logLevel: 'silent' });
console.log(`listening on ${cluster.port}`);
process.once('SIGTERM', () => void cluster.stop().then(() => process.exit(0)));
