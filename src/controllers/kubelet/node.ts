// The Node a kubelet registers and the Lease it renews (kubelet's initialNode +
// setNodeStatus, and the node lease controller in component-helpers/apimachinery/lease).
import { rfc3339 } from '../runtime/meta.js';
import type { ResourceRef } from '../../clients/interfaces.js';
import type { KubeObject } from '../runtime/types.js';

export const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
export const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true };
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The kubelet renews every 10 s (nodeLeaseRenewIntervalFraction 0.25 of the 40 s duration). */
export const LEASE_RENEW_MS = 10_000;
export const LEASE_DURATION_SECONDS = 40;
export const KUBELET_VERSION = 'v1.33.0';

export function nodeName(i: number): string {
  return `kubesim-node-${i}`;
}

/** The node's own address, as kind's nodes get one on a docker network. */
export function nodeInternalIP(i: number): string {
  return `172.18.0.${i + 1}`;
}

export function podCIDR(i: number): string {
  return `10.244.${i - 1}.0/24`;
}

/** metav1.MicroTime: microseconds. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/Z$/, '000Z');
}

export function nodeObject(i: number, now: Date): KubeObject {
  const name = nodeName(i);
  const t = rfc3339(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  const capacity = { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: podCIDR(i), podCIDRs: [podCIDR(i)], providerID: `kubesim://${name}` },
    status: {
      capacity,
      allocatable: { ...capacity },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: nodeInternalIP(i) },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: machineId(name),
        systemUUID: machineId(name),
        bootID: machineId(`${name}-boot`),
        kernelVersion: '6.8.0-kubesim',
        osImage: 'kubesim (simulated node)',
        containerRuntimeVersion: 'kubesim://0.1.0',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** A stable 32-hex-digit id from a name (machine-id is 128 bits of hex). */
function machineId(seed: string): string {
  let out = '';
  let h = 2166136261;
  for (let round = 0; out.length < 32; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 32);
}

export function leaseObject(node: KubeObject, now: Date): KubeObject {
  const name = node.metadata.name!;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: NODE_LEASE_NAMESPACE,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid! }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) },
  };
}
