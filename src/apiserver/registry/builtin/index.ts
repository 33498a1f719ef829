// The built-in kinds a kubesim cluster serves, one fresh set per cluster: any state a kind
// keeps (the Service ClusterIP and NodePort allocator) lives in the returned objects, never
// in a module, so clusters in one process never share it. Within a group the order is the
// order discovery lists resources in.
import type { ResourceType } from '../strategy.js';
import { customResourceDefinitionsResource } from './apiextensions/customresourcedefinitions.js';
import { daemonSetsResource } from './apps/daemonsets.js';
import { deploymentsResource } from './apps/deployments.js';
import { replicaSetsResource } from './apps/replicasets.js';
import { statefulSetsResource } from './apps/statefulsets.js';
import { cronJobsResource } from './batch/cronjobs.js';
import { jobsResource } from './batch/jobs.js';
import { leasesResource } from './coordination/leases.js';
import { configMapsResource } from './core/configmaps.js';
import { endpointsResource } from './core/endpoints.js';
import { coreEventsResource } from './core/events.js';
import { namespacesResource } from './core/namespaces.js';
import { nodesResource } from './core/nodes.js';
import { podsResource } from './core/pods.js';
import { resourceQuotasResource } from './core/resourcequotas.js';
import { secretsResource } from './core/secrets.js';
import { serviceAccountsResource } from './core/serviceaccounts.js';
import { servicesResource } from './core/services.js';
import { eventsV1Resource } from './events/events.js';
import { authenticationResources } from '../../auth/authentication-api.js';
import { accessReviewResources } from './authorization/access-reviews.js';
import { clusterRoleBindingsResource, roleBindingsResource } from './rbac/bindings.js';
import { clusterRolesResource, rolesResource } from './rbac/roles.js';

export interface BuiltinContext {
  /** The cluster's clock (real or virtual), for any kind whose server-side behaviour depends on time. */
  now(): Date;
}

export { HumanDuration, humanDuration } from './printing.js';
export type { ServiceResourceType } from './core/services.js';

export function builtinResources(ctx: BuiltinContext): ResourceType[] {
  // No built-in kind reads the clock yet: printers are handed `now` per request, and
  // timestamps are set by the store. The context is the place to pass it when one does.
  void ctx;
  return [
    // core/v1
    configMapsResource(),
    endpointsResource(),
    coreEventsResource(),
    namespacesResource(),
    nodesResource(),
    podsResource(),
    resourceQuotasResource(),
    secretsResource(),
    serviceAccountsResource(),
    servicesResource(),
    // apps/v1
    daemonSetsResource(),
    deploymentsResource(),
    replicaSetsResource(),
    statefulSetsResource(),
    // batch/v1
    cronJobsResource(),
    jobsResource(),
    // coordination.k8s.io/v1
    leasesResource(),
    // events.k8s.io/v1
    eventsV1Resource(),
    customResourceDefinitionsResource(),
    // authentication.k8s.io: SelfSubjectReview, TokenReview (create only, nothing stored)
    ...authenticationResources(),
    // authorization.k8s.io/v1
    ...accessReviewResources(),
    // rbac.authorization.k8s.io/v1
    clusterRoleBindingsResource(),
    clusterRolesResource(),
    roleBindingsResource(),
    rolesResource(),
  ];
}
