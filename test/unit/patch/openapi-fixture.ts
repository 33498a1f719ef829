// A hand-written slice of the `components.schemas` of kube-apiserver's /openapi/v3 documents,
// shaped as the real ones are: $ref wrapped in allOf, patch extensions on the property schema.
const ref = (name: string) => ({ allOf: [{ $ref: `#/components/schemas/${name}` }], default: {} });
const str = { type: 'string', default: '' };
const stringMap = { type: 'object', additionalProperties: str };
const mergeList = (item: string, mergeKey: string, strategy = 'merge', mapKeys = [mergeKey]) => ({
  type: 'array',
  items: ref(item),
  'x-kubernetes-list-map-keys': mapKeys,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-patch-merge-key': mergeKey,
  'x-kubernetes-patch-strategy': strategy,
});

export const POD = 'io.k8s.api.core.v1.Pod';
export const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
export const CONFIGMAP = 'io.k8s.api.core.v1.ConfigMap';
export const CRD_PROPS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';

export const schemas: Record<string, unknown> = {
  [POD]: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      spec: ref('io.k8s.api.core.v1.PodSpec'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    properties: {
      name: str,
      labels: stringMap,
      annotations: stringMap,
      finalizers: {
        type: 'array',
        items: str,
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-patch-strategy': 'merge',
      },
      ownerReferences: mergeList('io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference', 'uid'),
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    type: 'object',
    properties: { uid: str, name: str, kind: str, apiVersion: str },
  },
  'io.k8s.api.core.v1.PodSpec': {
    type: 'object',
    properties: {
      containers: mergeList('io.k8s.api.core.v1.Container', 'name'),
      initContainers: mergeList('io.k8s.api.core.v1.Container', 'name'),
      volumes: mergeList('io.k8s.api.core.v1.Volume', 'name', 'merge,retainKeys'),
      nodeSelector: { ...stringMap, 'x-kubernetes-map-type': 'atomic' },
      tolerations: { type: 'array', items: ref('io.k8s.api.core.v1.Toleration'), 'x-kubernetes-list-type': 'atomic' },
    },
  },
  'io.k8s.api.core.v1.Container': {
    type: 'object',
    properties: {
      name: str,
      image: str,
      args: { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' },
      ports: mergeList('io.k8s.api.core.v1.ContainerPort', 'containerPort', 'merge', ['containerPort', 'protocol']),
      env: mergeList('io.k8s.api.core.v1.EnvVar', 'name'),
      resources: ref('io.k8s.api.core.v1.ResourceRequirements'),
    },
  },
  'io.k8s.api.core.v1.ContainerPort': {
    type: 'object',
    properties: { containerPort: { type: 'integer' }, protocol: str, name: str },
  },
  'io.k8s.api.core.v1.EnvVar': { type: 'object', properties: { name: str, value: str } },
  'io.k8s.api.core.v1.ResourceRequirements': {
    type: 'object',
    properties: { limits: { type: 'object', additionalProperties: { type: 'string' } } },
  },
  'io.k8s.api.core.v1.Toleration': { type: 'object', properties: { key: str, operator: str, effect: str } },
  'io.k8s.api.core.v1.Volume': {
    type: 'object',
    properties: {
      name: str,
      configMap: ref('io.k8s.api.core.v1.ConfigMapVolumeSource'),
      emptyDir: ref('io.k8s.api.core.v1.EmptyDirVolumeSource'),
    },
  },
  'io.k8s.api.core.v1.ConfigMapVolumeSource': { type: 'object', properties: { name: str } },
  'io.k8s.api.core.v1.EmptyDirVolumeSource': { type: 'object', properties: { medium: str } },
  [DEPLOYMENT]: {
    type: 'object',
    properties: {
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      spec: ref('io.k8s.api.apps.v1.DeploymentSpec'),
    },
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    type: 'object',
    properties: {
      replicas: { type: 'integer' },
      strategy: { ...ref('io.k8s.api.apps.v1.DeploymentStrategy'), 'x-kubernetes-patch-strategy': 'retainKeys' },
      template: ref('io.k8s.api.core.v1.PodTemplateSpec'),
    },
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': {
    type: 'object',
    properties: { type: str, rollingUpdate: ref('io.k8s.api.apps.v1.RollingUpdateDeployment') },
  },
  'io.k8s.api.apps.v1.RollingUpdateDeployment': {
    type: 'object',
    properties: { maxSurge: { 'x-kubernetes-int-or-string': true }, maxUnavailable: { 'x-kubernetes-int-or-string': true } },
  },
  'io.k8s.api.core.v1.PodTemplateSpec': {
    type: 'object',
    properties: {
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      spec: ref('io.k8s.api.core.v1.PodSpec'),
    },
  },
  [CONFIGMAP]: {
    type: 'object',
    properties: {
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      data: stringMap,
    },
  },
  // A recursive type, as JSONSchemaProps is: resolution must stay lazy.
  [CRD_PROPS]: {
    type: 'object',
    properties: {
      type: str,
      properties: { type: 'object', additionalProperties: ref(CRD_PROPS) },
      items: { $ref: `#/components/schemas/${CRD_PROPS}` },
      required: { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' },
    },
  },
};
