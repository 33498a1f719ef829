// core/v1 Service (k8s.io/kubernetes pkg/registry/core/service): defaults, a clusterIP from
// the service CIDR (10.96.0.0/12) unless headless or given, node ports for NodePort and
// LoadBalancer Services, and what an update keeps of the allocated values.
import type { KubeObject } from '../../../object.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asArray, asObj, deepEqual, defaultString, defaultValue, ensureObj, keepAllButStatus, keepStatus, objects, str, type Obj } from '../fields.js';
import { age, ageColumn, column, formatLabels, nameColumn } from '../printing.js';
import { ServiceAllocator, serviceOwner, type ServiceAllocatorOptions } from './service-allocator.js';
import { externallyAccessible, validateService, validateServiceUpdate } from './service-validation.js';

/** The Service resource, with the allocator it owns (so a caller can release a deleted Service's IPs). */
export interface ServiceResourceType extends ResourceType {
  allocator: ServiceAllocator;
}

/** SetDefaults_Service. */
function defaultService(svc: KubeObject): void {
  const spec = ensureObj(svc, 'spec');
  defaultString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = asObj(asObj(spec.sessionAffinityConfig)?.clientIP);
    if (typeof clientIP?.timeoutSeconds !== 'number') spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  defaultString(spec, 'type', 'ClusterIP');
  for (const p of objects(spec.ports)) {
    defaultString(p, 'protocol', 'TCP');
    // targetPort defaults to the port: an absent, 0 or "" targetPort means "same as port".
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec)) defaultString(spec, 'externalTrafficPolicy', 'Cluster');
  if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(str(spec.type))) defaultValue(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') defaultValue(spec, 'allocateLoadBalancerNodePorts', true);
}

const needsClusterIP = (spec: Obj): boolean => str(spec.type) !== 'ExternalName';
const needsNodePort = (spec: Obj): boolean => spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);

/** patchAllocatedValues, normalizeClusterIPs and dropTypeDependentFields of the Service REST. */
function prepareServiceUpdate(spec: Obj, oldSpec: Obj): void {
  // A client that did not send the allocated values keeps them (idempotent re-apply).
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!str(spec.clusterIP)) spec.clusterIP = oldSpec.clusterIP;
    if (asArray(spec.clusterIPs).length === 0 && asArray(oldSpec.clusterIPs).length > 0) spec.clusterIPs = oldSpec.clusterIPs;
  }
  if (needsNodePort(oldSpec) && needsNodePort(spec)) {
    const byName = new Map(objects(oldSpec.ports).map((p) => [str(p.name), p.nodePort]));
    const used = new Set(objects(spec.ports).map((p) => p.nodePort).filter((n) => typeof n === 'number' && n !== 0));
    for (const p of objects(spec.ports)) {
      const oldValue = byName.get(str(p.name));
      if (!p.nodePort && typeof oldValue === 'number' && !used.has(oldValue)) p.nodePort = oldValue;
    }
  }
  if (str(spec.clusterIP) && asArray(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
  // Switching to a type that allocates less clears what the client left untouched.
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (spec.clusterIP === oldSpec.clusterIP && deepEqual(spec.clusterIPs, oldSpec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (deepEqual(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (deepEqual(spec.ipFamilyPolicy, oldSpec.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  const nodePortsOf = (s: Obj): unknown[] => objects(s.ports).map((p) => p.nodePort);
  if (needsNodePort(oldSpec) && !needsNodePort(spec) && deepEqual(nodePortsOf(spec), nodePortsOf(oldSpec))) {
    for (const p of objects(spec.ports)) delete p.nodePort;
  }
  if (externallyAccessible(oldSpec) && !externallyAccessible(spec) && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
  if (spec.type === 'ExternalName' && spec.internalTrafficPolicy === oldSpec.internalTrafficPolicy) delete spec.internalTrafficPolicy;
}

/** getServiceExternalIP, with the server's wide output (no truncation). */
function externalIPCell(spec: Obj, status: Obj): string {
  const externalIPs = asArray(spec.externalIPs).map(str);
  switch (str(spec.type)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = objects(asObj(status.loadBalancer)?.ingress).map((i) => str(i.ip) || str(i.hostname)).filter(Boolean);
      const lb = [...new Set(ingress)].sort();
      if (externalIPs.length) return [...lb, ...externalIPs].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

function portsCell(spec: Obj): string {
  const ports = objects(spec.ports).map((p) => {
    const proto = str(p.protocol);
    return typeof p.nodePort === 'number' && p.nodePort > 0 ? `${String(p.port)}:${p.nodePort}/${proto}` : `${String(p.port)}/${proto}`;
  });
  return ports.length ? ports.join(',') : '<none>';
}

export function servicesResource(opts: ServiceAllocatorOptions = {}): ServiceResourceType {
  const allocator = new ServiceAllocator(opts);
  const rt = defineResource({
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    singularName: 'service',
    shortNames: ['svc'],
    categories: ['all'],
    namespaced: true,
    subresources: { status: true },
    nameValidation: 'dns1123Label',
    openAPIDefinition: 'io.k8s.api.core.v1.Service',
    strategy: {
      allowCreateOnUpdate: true,
      defaults: defaultService,
      prepareForCreate(svc) {
        svc.status = { loadBalancer: {} };
        const spec = ensureObj(svc, 'spec');
        if (str(spec.clusterIP) && asArray(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
      },
      prepareForUpdate(svc, old) {
        keepStatus(svc, old);
        prepareServiceUpdate(ensureObj(svc, 'spec'), asObj(old.spec) ?? {});
      },
      validate: (svc) => validateService(svc, allocator),
      validateUpdate: (svc, old) => validateServiceUpdate(svc, old, allocator),
      // Allocation happens once the Service is known to be valid.
      canonicalize: (svc) => allocator.sync(serviceOwner(svc), svc),
      afterDelete: (svc) => allocator.release(serviceOwner(svc)),
      prepareForStatusUpdate: (svc, old) => keepAllButStatus(svc, old),
    },
    fieldSelectors: {
      'spec.clusterIP': (svc) => str(asObj(svc.spec)?.clusterIP),
      'spec.type': (svc) => str(asObj(svc.spec)?.type),
    },
    printer: {
      columns: [
        nameColumn,
        column('Type', 'string', 'type determines how the Service is exposed.'),
        column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
        column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
        column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
        ageColumn,
        column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
      ],
      cells(svc, now) {
        const spec = asObj(svc.spec) ?? {};
        const ips = asArray(spec.clusterIPs).map(str);
        return [
          svc.metadata.name,
          str(spec.type),
          ips[0] || '<none>',
          externalIPCell(spec, asObj(svc.status) ?? {}),
          portsCell(spec),
          age(svc, now),
          formatLabels(spec.selector),
        ];
      },
    },
  });
  return { ...rt, allocator };
}
