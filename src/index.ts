// The kubesim package: start a cluster in-process (a test fixture, or the CLI's server).
export { startCluster, type Cluster, type ClusterOptions } from './cluster.js';
export { renderKubeconfig } from './clients/kubeconfig.js';
export { VirtualClock, realClock, parseDuration, type Clock } from './controllers/runtime/clock.js';
