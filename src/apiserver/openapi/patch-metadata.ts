// Strategic-merge-patch and server-side-apply metadata of the built-in kinds: the Go types'
// `patchStrategy`/`patchMergeKey` struct tags and `+listType`/`+listMapKey`/`+mapType`/
// `+structType` markers, as kube-apiserver publishes them in /openapi/v3 (x-kubernetes-*).
// @kubernetes/client-node does not carry them, so they are kept here by hand and merged into
// definitions.json by scripts/gen-openapi.ts (which fails if an entry names a field that no
// longer exists). Also usable directly by strategic merge patch and apply.

/** OpenAPI vendor extensions of one schema. */
export type Extensions = Readonly<Record<string, unknown>>;

const atomic: Extensions = { 'x-kubernetes-list-type': 'atomic' };
const set: Extensions = { 'x-kubernetes-list-type': 'set' };
const atomicMap: Extensions = { 'x-kubernetes-map-type': 'atomic' };

/** `patchStrategy:"merge" patchMergeKey:"<key>"` (strategy may be "merge,retainKeys"). */
function merge(key: string, strategy = 'merge'): Extensions {
  return { 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': strategy };
}

/** `+listType=map` with its `+listMapKey`s. */
function listMap(...keys: string[]): Extensions {
  return { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys };
}

/** The common case: merged by key in strategic merge patch, a map keyed by it in apply. */
function keyed(key: string, ...moreKeys: string[]): Extensions {
  return { ...merge(key), ...listMap(key, ...moreKeys) };
}

const conditions = keyed('type');

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

const containerLists: Record<string, Extensions> = {
  args: atomic,
  command: atomic,
  env: keyed('name'),
  envFrom: atomic,
  ports: keyed('containerPort', 'protocol'),
  resizePolicy: atomic,
  restartPolicyRules: atomic,
  volumeDevices: keyed('devicePath'),
  volumeMounts: keyed('mountPath'),
};

/** Definition name -> property -> extensions. */
export const PROPERTY_EXTENSIONS: Readonly<Record<string, Readonly<Record<string, Extensions>>>> = {
  // meta/v1
  [`${META}.ObjectMeta`]: {
    finalizers: { 'x-kubernetes-patch-strategy': 'merge', ...set },
    ownerReferences: keyed('uid'),
    managedFields: atomic,
  },
  [`${META}.LabelSelector`]: { matchExpressions: atomic },
  [`${META}.LabelSelectorRequirement`]: { values: atomic },
  [`${META}.StatusDetails`]: { causes: atomic },
  [`${META}.DeleteOptions`]: { dryRun: atomic },

  // core/v1: pods and what pod templates embed
  [`${CORE}.PodSpec`]: {
    volumes: { ...merge('name', 'merge,retainKeys'), ...listMap('name') },
    initContainers: keyed('name'),
    containers: keyed('name'),
    ephemeralContainers: keyed('name'),
    imagePullSecrets: keyed('name'),
    tolerations: atomic,
    hostAliases: keyed('ip'),
    nodeSelector: atomicMap,
    readinessGates: atomic,
    topologySpreadConstraints: keyed('topologyKey', 'whenUnsatisfiable'),
    schedulingGates: keyed('name'),
    resourceClaims: { ...merge('name', 'merge,retainKeys'), ...listMap('name') },
  },
  [`${CORE}.Container`]: containerLists,
  [`${CORE}.EphemeralContainer`]: containerLists,
  [`${CORE}.PodStatus`]: {
    conditions,
    hostIPs: { ...merge('ip'), ...atomic },
    podIPs: { ...merge('ip'), ...atomic },
    initContainerStatuses: atomic,
    containerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
    resourceClaimStatuses: { ...merge('name', 'merge,retainKeys'), ...listMap('name') },
  },
  [`${CORE}.ContainerStatus`]: { volumeMounts: keyed('mountPath'), allocatedResourcesStatus: keyed('name') },
  [`${CORE}.ResourceStatus`]: { resources: listMap('resourceID') },
  [`${CORE}.ResourceRequirements`]: { claims: listMap('name') },
  [`${CORE}.PodExtendedResourceClaimStatus`]: { requestMappings: atomic },
  [`${CORE}.PodSecurityContext`]: { supplementalGroups: atomic, sysctls: atomic },
  [`${CORE}.LinuxContainerUser`]: { supplementalGroups: atomic },
  [`${CORE}.Capabilities`]: { add: atomic, drop: atomic },
  [`${CORE}.ContainerRestartRuleOnExitCodes`]: { values: set },
  [`${CORE}.PodDNSConfig`]: { nameservers: atomic, searches: atomic, options: atomic },
  [`${CORE}.HostAlias`]: { hostnames: atomic },
  [`${CORE}.ExecAction`]: { command: atomic },
  [`${CORE}.HTTPGetAction`]: { httpHeaders: atomic },
  [`${CORE}.NodeAffinity`]: { preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [`${CORE}.NodeSelector`]: { nodeSelectorTerms: atomic },
  [`${CORE}.NodeSelectorTerm`]: { matchExpressions: atomic, matchFields: atomic },
  [`${CORE}.NodeSelectorRequirement`]: { values: atomic },
  [`${CORE}.PodAffinity`]: { preferredDuringSchedulingIgnoredDuringExecution: atomic, requiredDuringSchedulingIgnoredDuringExecution: atomic },
  [`${CORE}.PodAntiAffinity`]: { preferredDuringSchedulingIgnoredDuringExecution: atomic, requiredDuringSchedulingIgnoredDuringExecution: atomic },
  [`${CORE}.PodAffinityTerm`]: { namespaces: atomic, matchLabelKeys: atomic, mismatchLabelKeys: atomic },
  [`${CORE}.TopologySpreadConstraint`]: { matchLabelKeys: atomic },

  // core/v1 volume sources
  [`${CORE}.ConfigMapVolumeSource`]: { items: atomic },
  [`${CORE}.ConfigMapProjection`]: { items: atomic },
  [`${CORE}.SecretVolumeSource`]: { items: atomic },
  [`${CORE}.SecretProjection`]: { items: atomic },
  [`${CORE}.DownwardAPIVolumeSource`]: { items: atomic },
  [`${CORE}.DownwardAPIProjection`]: { items: atomic },
  [`${CORE}.ProjectedVolumeSource`]: { sources: atomic },
  [`${CORE}.CephFSVolumeSource`]: { monitors: atomic },
  [`${CORE}.RBDVolumeSource`]: { monitors: atomic },
  [`${CORE}.ISCSIVolumeSource`]: { portals: atomic },
  [`${CORE}.FCVolumeSource`]: { targetWWNs: atomic, wwids: atomic },
  [`${CORE}.PersistentVolumeClaimSpec`]: { accessModes: atomic },
  [`${CORE}.PersistentVolumeClaimStatus`]: {
    accessModes: atomic,
    conditions,
    allocatedResourceStatuses: { 'x-kubernetes-map-type': 'granular' },
  },

  // core/v1: the other kinds
  [`${CORE}.ServiceSpec`]: {
    ports: keyed('port', 'protocol'),
    selector: atomicMap,
    clusterIPs: atomic,
    externalIPs: atomic,
    loadBalancerSourceRanges: atomic,
    ipFamilies: atomic,
  },
  [`${CORE}.ServiceStatus`]: { conditions },
  [`${CORE}.LoadBalancerStatus`]: { ingress: atomic },
  [`${CORE}.LoadBalancerIngress`]: { ports: atomic },
  [`${CORE}.ServiceAccount`]: { secrets: keyed('name'), imagePullSecrets: atomic },
  [`${CORE}.Endpoints`]: { subsets: atomic },
  [`${CORE}.EndpointSubset`]: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  [`${CORE}.NamespaceSpec`]: { finalizers: atomic },
  [`${CORE}.NamespaceStatus`]: { conditions },
  [`${CORE}.NodeSpec`]: { podCIDRs: { 'x-kubernetes-patch-strategy': 'merge', ...set }, taints: atomic },
  [`${CORE}.NodeStatus`]: {
    conditions,
    addresses: keyed('type'),
    images: atomic,
    volumesInUse: atomic,
    volumesAttached: atomic,
    runtimeHandlers: atomic,
  },
  [`${CORE}.ContainerImage`]: { names: atomic },

  // apps/v1
  'io.k8s.api.apps.v1.DeploymentSpec': { strategy: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
  'io.k8s.api.apps.v1.DeploymentStatus': { conditions },
  'io.k8s.api.apps.v1.ReplicaSetStatus': { conditions },
  'io.k8s.api.apps.v1.StatefulSetSpec': { volumeClaimTemplates: atomic },
  'io.k8s.api.apps.v1.StatefulSetStatus': { conditions },
  'io.k8s.api.apps.v1.DaemonSetStatus': { conditions },

  // batch/v1
  'io.k8s.api.batch.v1.JobStatus': { conditions: { ...merge('type'), ...atomic } },
  'io.k8s.api.batch.v1.CronJobStatus': { active: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicy': { rules: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': { onPodConditions: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': { values: set },
  'io.k8s.api.batch.v1.SuccessPolicy': { rules: atomic },
  'io.k8s.api.batch.v1.UncountedTerminatedPods': { succeeded: set, failed: set },

  // apiextensions.k8s.io/v1
  [`${APIEXTENSIONS}.CustomResourceDefinitionNames`]: { categories: atomic, shortNames: atomic },
  [`${APIEXTENSIONS}.CustomResourceDefinitionSpec`]: { versions: atomic },
  [`${APIEXTENSIONS}.CustomResourceDefinitionStatus`]: { conditions: listMap('type'), storedVersions: atomic },
  [`${APIEXTENSIONS}.CustomResourceDefinitionVersion`]: { additionalPrinterColumns: atomic, selectableFields: atomic },
  [`${APIEXTENSIONS}.JSONSchemaProps`]: {
    allOf: atomic,
    anyOf: atomic,
    oneOf: atomic,
    enum: atomic,
    required: atomic,
    'x-kubernetes-list-map-keys': atomic,
    'x-kubernetes-validations': keyed('rule'),
  },
  [`${APIEXTENSIONS}.WebhookConversion`]: { conversionReviewVersions: atomic },
};

/** Definition name -> extensions of the type itself (`+structType=atomic` -> map-type atomic). */
export const TYPE_EXTENSIONS: Readonly<Record<string, Extensions>> = {
  [`${META}.LabelSelector`]: atomicMap,
  [`${META}.OwnerReference`]: atomicMap,
  [`${CORE}.LocalObjectReference`]: atomicMap,
  [`${CORE}.TypedLocalObjectReference`]: atomicMap,
  [`${CORE}.ObjectReference`]: atomicMap,
  [`${CORE}.ConfigMapKeySelector`]: atomicMap,
  [`${CORE}.SecretKeySelector`]: atomicMap,
  [`${CORE}.FileKeySelector`]: atomicMap,
  [`${CORE}.ObjectFieldSelector`]: atomicMap,
  [`${CORE}.ResourceFieldSelector`]: atomicMap,
  [`${CORE}.NodeSelector`]: atomicMap,
  [`${CORE}.NodeSelectorTerm`]: atomicMap,
};
