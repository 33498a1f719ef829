// The kubesim package: start a cluster in-process (a test fixture, or the CLI's server).
export { startCluster, type Cluster, type ClusterOptions } from './cluster.js';
export type { ClusterClock } from './fixture/cluster-clock.js';
export type { ApplyOptions } from './fixture/apply.js';
export type { Manifests, ManifestInput } from './fixture/manifest-input.js';
export type { ObjectTarget } from './fixture/resolve.js';
export { WaitTimeoutError, type WaitOptions, type WaitUntil } from './fixture/wait.js';
export type { CoreEvent, EventsOptions } from './fixture/events.js';
export { renderKubeconfig } from './clients/kubeconfig.js';
export { VirtualClock, realClock, parseDuration, type Clock } from './controllers/runtime/clock.js';
export { HttpClient } from './clients/http.js';
export { InProcessClient } from './clients/in-process.js';
export { loadKubeconfig, type RestConfig } from './clients/kubeconfig-loader.js';
export * from './clients/interfaces.js';
export type { KubeObject, KubeList, ObjectMeta, OwnerReference } from './apiserver/object.js';
