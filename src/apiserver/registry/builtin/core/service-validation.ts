// Service validation (k8s.io/kubernetes pkg/apis/core/validation ValidateService,
// ValidateServiceClusterIPsRelatedFields, ValidateServiceUpdate), with the allocation checks
// the Service REST storage makes for a requested clusterIP or nodePort.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { validateLabels } from '../../../validation/object-meta.js';
import { isQualifiedName, isValidIP, isValidPortName } from '../../../validation/names.js';
import { asArray, asObj, objects, str, validateDNS1123Label, validateDNS1123Subdomain, type Obj } from '../fields.js';
import { validatePortNum } from './pod-validation.js';
import { isHeadless, serviceOwner, type ServiceAllocator } from './service-allocator.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const dns1035LabelRe = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const specOf = (svc: KubeObject): Obj => asObj(svc.spec) ?? {};

/** ExternallyAccessible: LoadBalancer, NodePort, or ClusterIP with external IPs. */
export function externallyAccessible(spec: Obj): boolean {
  const type = str(spec.type);
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && asArray(spec.externalIPs).length > 0);
}

/**
 * Service names are DNS-1035 labels (ValidateServiceName): the resource's nameValidation
 * checks the DNS-1123 label rules, this adds the one rule they lack (start with a letter).
 */
function validateServiceName(svc: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const [field, value] of [['metadata.name', svc.metadata.name], ['metadata.generateName', svc.metadata.generateName]] as const) {
    const v = field === 'metadata.generateName' && value && value.length > 1 && value.endsWith('-') ? `${value.slice(0, -2)}a` : value;
    if (v && /^[0-9]/.test(v) && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && !dns1035LabelRe.test(v)) {
      errs.push(
        fieldError.invalid(
          field,
          value,
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        ),
      );
    }
  }
  return errs;
}

function validateServicePort(p: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(p.name);
  if (requireName && !name) errs.push(fieldError.required(`${path}.name`, ''));
  else if (name) {
    errs.push(...validateDNS1123Label(name, `${path}.name`));
    if (names.has(name)) errs.push(fieldError.duplicate(`${path}.name`, name));
    else names.add(name);
  }
  errs.push(...validatePortNum(p.port, `${path}.port`));
  const protocol = str(p.protocol);
  if (!protocol) errs.push(fieldError.required(`${path}.protocol`, ''));
  else if (!PROTOCOLS.includes(protocol)) errs.push(fieldError.notSupported(`${path}.protocol`, protocol, PROTOCOLS));
  // ValidatePortNumOrName: a number must be a port, a string must be a port name.
  if (typeof p.targetPort === 'string') {
    for (const msg of isValidPortName(p.targetPort)) errs.push(fieldError.invalid(`${path}.targetPort`, p.targetPort, msg));
  } else {
    errs.push(...validatePortNum(p.targetPort, `${path}.targetPort`));
  }
  if (typeof p.appProtocol === 'string') {
    for (const msg of isQualifiedName(p.appProtocol)) errs.push(fieldError.invalid(`${path}.appProtocol`, p.appProtocol, msg));
  }
  return errs;
}

function validateClusterIPs(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const clusterIP = str(spec.clusterIP);
  const ips = asArray(spec.clusterIPs).map(str);
  if (clusterIP) {
    if (ips.length === 0) errs.push(fieldError.required('spec.clusterIPs', ''));
    else if (ips[0] !== clusterIP) errs.push(fieldError.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(fieldError.invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) errs.push(fieldError.invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      return;
    }
    for (const msg of isValidIP(ip)) errs.push(fieldError.invalid(`spec.clusterIPs[${i}]`, ip, msg));
  });
  // This cluster is single-stack IPv4, so one IP is all a Service can have.
  if (ips.length > 1 && ips[0] !== 'None') errs.push(fieldError.invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  asArray(spec.ipFamilies).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(fieldError.notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
  });
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && policy !== null && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(policy as string)) {
    errs.push(fieldError.notSupported('spec.ipFamilyPolicy', policy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  return errs;
}

/** The requested clusterIP and nodePorts must be free and in range (the allocators' errors). */
function validateAllocations(svc: KubeObject, alloc: ServiceAllocator): FieldError[] {
  const spec = specOf(svc);
  const owner = serviceOwner(svc);
  const errs: FieldError[] = [];
  const clusterIP = str(spec.clusterIP);
  if (str(spec.type) !== 'ExternalName' && clusterIP && clusterIP !== 'None' && isValidIP(clusterIP).length === 0) {
    const msg = alloc.checkClusterIP(clusterIP, owner);
    if (msg) errs.push(fieldError.invalid('spec.clusterIPs', asArray(spec.clusterIPs).map(str), msg));
  }
  objects(spec.ports).forEach((p, i) => {
    if (typeof p.nodePort !== 'number' || p.nodePort === 0 || str(spec.type) === 'ClusterIP') return;
    const msg = alloc.checkNodePort(p.nodePort, owner);
    if (msg) errs.push(fieldError.invalid(`spec.ports[${i}].nodePort`, p.nodePort, msg));
  });
  return errs;
}

export function validateService(svc: KubeObject, alloc: ServiceAllocator): FieldError[] {
  const spec = specOf(svc);
  const type = str(spec.type);
  const headless = isHeadless(spec);
  const ports = objects(spec.ports);
  const errs = validateServiceName(svc);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fieldError.required('spec.ports', ''));
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless) {
    errs.push(fieldError.invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  }
  if (type === 'ExternalName') {
    if (asArray(spec.clusterIPs).length > 0 || str(spec.clusterIP)) errs.push(fieldError.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (asArray(spec.ipFamilies).length > 0) errs.push(fieldError.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) {
      errs.push(fieldError.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    }
    // The CNAME may end in a dot to mark it fully qualified.
    const cname = str(spec.externalName).replace(/\.$/, '');
    if (cname) errs.push(...validateDNS1123Subdomain(cname, 'spec.externalName'));
    else errs.push(fieldError.required('spec.externalName', ''));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const affinity = str(spec.sessionAffinity);
  if (!affinity) errs.push(fieldError.required('spec.sessionAffinity', ''));
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(fieldError.notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  else if (affinity === 'None' && spec.sessionAffinityConfig) {
    errs.push(fieldError.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  if (type !== 'ExternalName') errs.push(...validateClusterIPs(spec));
  asArray(spec.externalIPs).forEach((ip, i) => {
    for (const msg of isValidIP(str(ip))) errs.push(fieldError.invalid(`spec.externalIPs[${i}]`, str(ip), msg));
  });
  if (!type) errs.push(fieldError.required('spec.type', ''));
  else if (!SERVICE_TYPES.includes(type)) errs.push(fieldError.notSupported('spec.type', type, SERVICE_TYPES));
  const nodePorts = new Set<string>();
  const servicePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (type === 'ClusterIP' && p.nodePort) errs.push(fieldError.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    if (p.nodePort) {
      const key = `${str(p.protocol)}/${String(p.nodePort)}`;
      if (nodePorts.has(key)) errs.push(fieldError.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
      nodePorts.add(key);
    }
    const key = `${str(p.protocol)}/${String(p.port)}`;
    if (servicePorts.has(key)) errs.push(fieldError.duplicate(`spec.ports[${i}]`, { port: p.port, protocol: p.protocol }));
    servicePorts.add(key);
  });
  const etp = str(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (etp) errs.push(fieldError.invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) {
    errs.push(fieldError.required('spec.externalTrafficPolicy', ''));
  } else if (etp !== 'Cluster' && etp !== 'Local') {
    errs.push(fieldError.notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  }
  if (errs.length === 0) errs.push(...validateAllocations(svc, alloc));
  return errs;
}

/** validateUpgradeDowngradeClusterIPs: the primary clusterIP never changes, except to or from ExternalName. */
export function validateServiceUpdate(svc: KubeObject, old: KubeObject, alloc: ServiceAllocator): FieldError[] {
  const spec = specOf(svc);
  const oldSpec = specOf(old);
  const errs: FieldError[] = [];
  const external = str(spec.type) === 'ExternalName' || str(oldSpec.type) === 'ExternalName';
  if (!external && !(isHeadless(spec) && isHeadless(oldSpec))) {
    const ips = asArray(spec.clusterIPs).map(str);
    const oldIPs = asArray(oldSpec.clusterIPs).map(str);
    if (oldIPs.length && ips.length === 0) errs.push(fieldError.invalid('spec.clusterIPs[0]', ips, 'primary clusterIP can not be unset'));
    else if (oldIPs.length && ips[0] !== oldIPs[0]) errs.push(fieldError.invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
  }
  return [...errs, ...validateService(svc, alloc)];
}
