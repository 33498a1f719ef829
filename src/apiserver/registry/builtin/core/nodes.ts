// core/v1 Node (k8s.io/kubernetes pkg/registry/core/node): registered by a kubelet with its
// status (create keeps status), taints validated, podCIDR and providerID set once.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { isQualifiedName, isValidLabelValue } from '../../../validation/names.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asArray, asObj, deepEqual, keepAllButStatus, keepStatus, objects, str, type Obj } from '../fields.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const specOf = (n: KubeObject): Obj => asObj(n.spec) ?? {};

/** A CIDR such as 10.244.0.0/24 or fd00::/64. */
function isCIDR(v: string): boolean {
  const [ip, bits, extra] = v.split('/');
  if (extra !== undefined || !ip || !bits || !/^\d+$/.test(bits)) return false;
  if (ip.includes(':')) return Number(bits) <= 128 && /^[0-9a-fA-F:.]+$/.test(ip);
  const parts = ip.split('.');
  return Number(bits) <= 32 && parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function validateNode(node: KubeObject): FieldError[] {
  const spec = specOf(node);
  const errs: FieldError[] = [];
  const cidrs = asArray(spec.podCIDRs).map(str);
  cidrs.forEach((c, i) => {
    if (!isCIDR(c)) errs.push(fieldError.invalid(`spec.podCIDRs[${i}]`, c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  const seen = new Map<string, Set<string>>();
  objects(spec.taints).forEach((t, i) => {
    const path = `spec.taints[${i}]`;
    const key = str(t.key);
    const effect = str(t.effect);
    for (const msg of isQualifiedName(key)) errs.push(fieldError.invalid(`${path}.key`, key, msg));
    const valueMsgs = isValidLabelValue(str(t.value));
    if (valueMsgs.length) errs.push(fieldError.invalid(`${path}.value`, str(t.value), valueMsgs.join(';')));
    if (!effect) errs.push(fieldError.required(`${path}.effect`, ''));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(fieldError.notSupported(`${path}.effect`, effect, TAINT_EFFECTS));
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(key)) errs.push({ ...fieldError.duplicate(path, t), detail: 'taints must be unique by key and effect pair' });
    keys.add(key);
    seen.set(effect, keys);
  });
  return errs;
}

function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(node);
  const oldSpec = specOf(old);
  const errs = validateNode(node);
  // Once set, the pod CIDRs and the provider ID belong to the node for good.
  if (asArray(oldSpec.podCIDRs).length > 0 && !deepEqual(spec.podCIDRs, oldSpec.podCIDRs)) {
    errs.push(fieldError.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (str(oldSpec.providerID) && spec.providerID !== oldSpec.providerID) {
    errs.push(fieldError.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

/** STATUS: the Ready condition (or Unknown), plus SchedulingDisabled when cordoned. */
function statusCell(node: KubeObject): string {
  const ready = objects(asObj(node.status)?.conditions).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (specOf(node).unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** ROLES: node-role.kubernetes.io/<role> labels and the older kubernetes.io/role label. */
function rolesCell(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function addressCell(node: KubeObject, type: string): string {
  return str(objects(asObj(node.status)?.addresses).find((a) => a.type === type)?.address) || '<none>';
}

export function nodesResource(): ResourceType {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'nodes',
    kind: 'Node',
    singularName: 'node',
    shortNames: ['no'],
    namespaced: false,
    subresources: { status: true },
    openAPIDefinition: 'io.k8s.api.core.v1.Node',
    strategy: {
      defaults(node) {
        // SetDefaults_NodeStatus: allocatable defaults to capacity.
        const status = asObj(node.status);
        if (status && status.allocatable === undefined && asObj(status.capacity)) status.allocatable = status.capacity;
      },
      prepareForUpdate: (node, old) => keepStatus(node, old),
      validate: validateNode,
      validateUpdate: validateNodeUpdate,
      prepareForStatusUpdate: (node, old) => keepAllButStatus(node, old),
    },
    fieldSelectors: { 'spec.unschedulable': (n) => String(specOf(n).unschedulable === true) },
    printer: {
      columns: [
        nameColumn,
        column('Status', 'string', 'The status of the node'),
        column('Roles', 'string', 'The roles of the node'),
        ageColumn,
        column('Version', 'string', 'Kubelet Version reported by the node.'),
        column('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
        column('External-IP', 'string', 'List of addresses reachable to the node.', 1),
        column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
        column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
        column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
      ],
      cells(node, now) {
        const info = asObj(asObj(node.status)?.nodeInfo) ?? {};
        return [
          node.metadata.name,
          statusCell(node),
          rolesCell(node),
          age(node, now),
          str(info.kubeletVersion),
          addressCell(node, 'InternalIP'),
          addressCell(node, 'ExternalIP'),
          str(info.osImage) || '<unknown>',
          str(info.kernelVersion) || '<unknown>',
          str(info.containerRuntimeVersion) || '<unknown>',
        ];
      },
    },
  });
}
