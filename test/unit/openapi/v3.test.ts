import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { builtinDefinitions } from '../../../src/apiserver/openapi/definitions.js';
import { builtinPatchMeta } from '../../../src/apiserver/openapi/patch-meta-lookup.js';
import { openAPIV3Document, openAPIV3Index, openAPIV3SerializedDocument } from '../../../src/apiserver/openapi/v3.js';
import { namespacesResource } from '../../../src/apiserver/registry/builtin/core/namespaces.js';
import { ALL_VERBS, type ResourceType } from '../../../src/apiserver/registry/strategy.js';

type JSONObject = Record<string, any>;

function resource(rt: Omit<ResourceType, 'strategy' | 'singularName' | 'verbs'> & Partial<ResourceType>): ResourceType {
  return { strategy: {}, singularName: rt.kind.toLowerCase(), verbs: ALL_VERBS, ...rt };
}

const pods = resource({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', listKind: 'PodList', namespaced: true, subresources: { status: true }, openAPIDefinition: 'io.k8s.api.core.v1.Pod' });
const namespaces = resource({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', listKind: 'NamespaceList', namespaced: false, subresources: { status: true }, openAPIDefinition: 'io.k8s.api.core.v1.Namespace' });
const deployments = resource({
  group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', listKind: 'DeploymentList', namespaced: true,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
  openAPIDefinition: 'io.k8s.api.apps.v1.Deployment',
});
const leases = resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', listKind: 'LeaseList', namespaced: true, openAPIDefinition: 'io.k8s.api.coordination.v1.Lease' });
const crontabs = resource({ group: 'stable.example.com', version: 'v1', resource: 'crontabs', kind: 'CronTab', listKind: 'CronTabList', namespaced: true });
const all = [pods, namespaces, deployments, leases, crontabs];

const doc = (path: string) => openAPIV3Document(path, all) as JSONObject;
const schema = (d: JSONObject, name: string) => d.components.schemas[name] as JSONObject;

describe('openAPIV3Index', () => {
  it('lists each served group-version, the discovery documents, and a content hash per URL', () => {
    const index = openAPIV3Index(all);
    expect(Object.keys(index.paths).sort()).toEqual(['api', 'api/v1', 'apis', 'apis/apps', 'apis/apps/v1', 'apis/coordination.k8s.io', 'apis/coordination.k8s.io/v1', 'version']);
    const serialized = openAPIV3SerializedDocument('apis/apps/v1', all)!;
    const hash = createHash('sha512').update(JSON.stringify(doc('apis/apps/v1'))).digest('hex').toUpperCase();
    expect(serialized.hash).toBe(hash);
    expect(index.paths['apis/apps/v1']!.serverRelativeURL).toBe(`/openapi/v3/apis/apps/v1?hash=${hash}`);
  });

  it('skips custom resources without an OpenAPI definition', () => {
    expect(Object.keys(openAPIV3Index(all).paths).some((p) => p.includes('example.com'))).toBe(false);
    expect(openAPIV3Document('apis/stable.example.com/v1', all)).toBeUndefined();
    expect(openAPIV3Document('apis/nope/v1', all)).toBeUndefined();
  });

  it('memoises by resource set, not by array identity, and changes the hash when the set changes', () => {
    expect(openAPIV3Document('api/v1', [...all])).toBe(doc('api/v1'));
    const before = openAPIV3Index(all).paths['api/v1']!.serverRelativeURL;
    const after = openAPIV3Index([pods, deployments]).paths['api/v1']!.serverRelativeURL;
    expect(after).not.toBe(before);
  });
});

describe('openAPIV3Document', () => {
  it('gives the pod PATCH operation fieldValidation and the four patch media types', () => {
    const patch = doc('api/v1').paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    expect(patch.operationId).toBe('patchCoreV1NamespacedPod');
    expect(patch['x-kubernetes-action']).toBe('patch');
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'Pod', version: 'v1' });
    expect(patch.parameters.map((p: JSONObject) => p.name)).toEqual(expect.arrayContaining(['dryRun', 'fieldManager', 'fieldValidation', 'force']));
    expect(Object.keys(patch.requestBody.content)).toEqual(expect.arrayContaining([
      'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml',
    ]));
  });

  it('names operations the Kubernetes way and adds status, scale and watch paths', () => {
    const apps = doc('apis/apps/v1').paths;
    expect(apps['/apis/apps/v1/namespaces/{namespace}/deployments'].get.operationId).toBe('listAppsV1NamespacedDeployment');
    expect(apps['/apis/apps/v1/namespaces/{namespace}/deployments'].delete.operationId).toBe('deleteAppsV1CollectionNamespacedDeployment');
    expect(apps['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch.operationId).toBe('patchAppsV1NamespacedDeployment');
    expect(apps['/apis/apps/v1/deployments'].get.operationId).toBe('listAppsV1DeploymentForAllNamespaces');
    expect(apps['/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}'].get['x-kubernetes-action']).toBe('watch');
    const scale = apps['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    expect(scale.patch.operationId).toBe('patchAppsV1NamespacedDeploymentScale');
    expect(scale.get['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', kind: 'Scale', version: 'v1' });
    const status = apps['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status'];
    expect(status.patch.parameters.map((p: JSONObject) => p.name)).toContain('fieldValidation');
    expect(doc('api/v1').paths['/api/v1/namespaces/{name}'].get.operationId).toBe('readCoreV1Namespace');
    // namespaces/finalize is PUT only.
    const finalize = (openAPIV3Document('api/v1', [namespacesResource()]) as JSONObject).paths['/api/v1/namespaces/{name}/finalize'];
    expect(Object.keys(finalize).sort()).toEqual(['parameters', 'put']);
    expect(finalize.put.operationId).toBe('replaceCoreV1NamespaceFinalize');
    expect(doc('apis/coordination.k8s.io/v1').paths['/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases'].post.operationId).toBe('createCoordinationV1NamespacedLease');
    const list = doc('api/v1').paths['/api/v1/namespaces/{namespace}/pods'].get;
    expect(list.parameters.map((p: JSONObject) => p.name)).toEqual(expect.arrayContaining(['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'watch', 'allowWatchBookmarks', 'sendInitialEvents', 'timeoutSeconds']));
  });

  it('publishes kind schemas with x-kubernetes-group-version-kind', () => {
    const core = doc('api/v1');
    expect(schema(core, 'io.k8s.api.core.v1.Pod')['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(schema(core, 'io.k8s.api.core.v1.PodList')['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'PodList', version: 'v1' }]);
    expect(schema(doc('apis/apps/v1'), 'io.k8s.api.apps.v1.Deployment')['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(schema(doc('apis/apps/v1'), 'io.k8s.api.autoscaling.v1.Scale')['x-kubernetes-group-version-kind']).toEqual([{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
  });

  it('carries strategic-merge-patch and list-type metadata', () => {
    const podSpec = schema(doc('api/v1'), 'io.k8s.api.core.v1.PodSpec').properties;
    expect(podSpec.containers['x-kubernetes-patch-merge-key']).toBe('name');
    expect(podSpec.containers['x-kubernetes-patch-strategy']).toBe('merge');
    expect(podSpec.containers['x-kubernetes-list-type']).toBe('map');
    expect(podSpec.volumes['x-kubernetes-patch-strategy']).toBe('merge,retainKeys');
    const container = schema(doc('api/v1'), 'io.k8s.api.core.v1.Container').properties;
    expect(container.ports['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    expect(container.volumeMounts['x-kubernetes-patch-merge-key']).toBe('mountPath');
    const strategy = schema(doc('apis/apps/v1'), 'io.k8s.api.apps.v1.DeploymentSpec').properties.strategy;
    expect(strategy).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }], 'x-kubernetes-patch-strategy': 'retainKeys' });
    const meta = schema(doc('api/v1'), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').properties;
    expect(meta.ownerReferences).toMatchObject({ 'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-list-map-keys': ['uid'] });
    expect(meta.finalizers).toMatchObject({ 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' });
    expect(schema(doc('api/v1'), 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector')['x-kubernetes-map-type']).toBe('atomic');
  });

  it('keeps descriptions, types, formats and required lists from the Kubernetes types', () => {
    const core = doc('api/v1');
    const container = schema(core, 'io.k8s.api.core.v1.Container');
    expect(container.properties.image.description).toMatch(/^Container image name/);
    expect(container.properties.image.type).toBe('string');
    expect(container.required).toEqual(['name']);
    expect(schema(core, 'io.k8s.api.core.v1.ContainerPort').properties.containerPort).toMatchObject({ type: 'integer', format: 'int32' });
    expect(schema(core, 'io.k8s.api.core.v1.ResourceRequirements').properties.limits.additionalProperties).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    expect(schema(core, 'io.k8s.api.core.v1.HTTPGetAction').properties.port).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' });
    expect(schema(core, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').properties.creationTimestamp.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time' }]);
    expect(schema(core, 'io.k8s.api.core.v1.Pod').properties.spec).toMatchObject({ default: {}, allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }] });
  });

  it('resolves every $ref within its own document, and includes only what its paths reach', () => {
    const index = openAPIV3Index(all);
    for (const path of Object.keys(index.paths)) {
      const d = doc(path);
      const refs = new Set<string>();
      JSON.stringify(d, (key, value) => {
        if (key === '$ref') refs.add(value);
        return value;
      });
      for (const ref of refs) {
        expect(ref.startsWith('#/components/schemas/'), `${path}: ${ref}`).toBe(true);
        expect(d.components.schemas[ref.slice('#/components/schemas/'.length)], `${path}: ${ref}`).toBeDefined();
      }
    }
    expect(doc('apis/coordination.k8s.io/v1').components.schemas['io.k8s.api.core.v1.PodSpec']).toBeUndefined();
    expect(doc('apis/apps/v1').components.schemas['io.k8s.api.core.v1.PodSpec']).toBeDefined();
  });
});

describe('definitions.json', () => {
  it('maps client-node classes to the right Kubernetes packages', () => {
    for (const name of [
      'io.k8s.api.core.v1.Event', 'io.k8s.api.events.v1.Event', 'io.k8s.api.core.v1.EventSeries', 'io.k8s.api.events.v1.EventSeries',
      'io.k8s.api.core.v1.EndpointPort', 'io.k8s.api.core.v1.PodTemplateSpec', 'io.k8s.api.core.v1.PersistentVolumeClaim',
      'io.k8s.api.autoscaling.v1.Scale', 'io.k8s.api.batch.v1.JobTemplateSpec', 'io.k8s.api.coordination.v1.LeaseSpec',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.apimachinery.pkg.version.Info',
    ]) expect(builtinDefinitions[name], name).toBeDefined();
    expect(builtinDefinitions['io.k8s.api.apps.v1.PodTemplateSpec']).toBeUndefined();
    expect(builtinDefinitions['io.k8s.api.core.v1.Scale']).toBeUndefined();
  });

  it('feeds strategic merge patch metadata', () => {
    const meta = builtinPatchMeta('io.k8s.api.apps.v1.Deployment')!;
    const containers = meta.field('spec')?.sub.field('template')?.sub.field('spec')?.sub.field('containers');
    expect(containers).toMatchObject({ mergeKey: 'name', strategy: 'merge' });
    expect(builtinPatchMeta('io.example.Nope')).toBeUndefined();
  });
});
