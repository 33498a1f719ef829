// ClusterIP and NodePort allocation for Services (k8s.io/kubernetes pkg/registry/core/service
// ipallocator and portallocator), one per cluster. Allocations are recorded per owning
// Service (namespace/name), which keeps them consistent without a delete hook: a create that
// fails after allocating, a dry run, or the re-creation of a deleted Service reuses what that
// Service already held. release() gives everything back when a Service is deleted.
import { asObj, ensureObj, objects, str, type Obj } from '../fields.js';

export interface ServiceAllocatorOptions {
  /** The service CIDR (kube-apiserver --service-cluster-ip-range). */
  serviceCIDR?: string;
  /** The node port range (--service-node-port-range), inclusive. */
  nodePortRange?: [number, number];
}

function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export class ServiceAllocator {
  readonly serviceCIDR: string;
  readonly nodePortRange: [number, number];
  private readonly base: number;
  private readonly size: number;
  private readonly ipOwner = new Map<number, string>();
  private readonly ownerIP = new Map<string, number>();
  private readonly portOwner = new Map<number, string>();
  private readonly ownerPorts = new Map<string, Set<number>>();
  private nextIP: number;
  private nextPort: number;

  constructor(opts: ServiceAllocatorOptions = {}) {
    this.serviceCIDR = opts.serviceCIDR ?? '10.96.0.0/12';
    this.nodePortRange = opts.nodePortRange ?? [30000, 32767];
    const [addr, bits] = this.serviceCIDR.split('/');
    const prefix = Number(bits);
    const start = parseIPv4(addr ?? '');
    if (start === undefined || !(prefix >= 1 && prefix <= 30)) throw new Error(`invalid service CIDR ${this.serviceCIDR}`);
    this.size = 2 ** (32 - prefix);
    this.base = start - (start % this.size);
    // Dynamic allocation starts above the low band kept for Services that ask for a fixed IP
    // (the ServiceIPStaticSubrange rule: min(max(16, size/16), 256) addresses), and above
    // the low part of the node port range likewise (min(max(16, size/32), 128) ports).
    this.nextIP = 1 + Math.min(Math.max(16, Math.floor(this.size / 16)), 256);
    const portCount = this.nodePortRange[1] - this.nodePortRange[0] + 1;
    this.nextPort = this.nodePortRange[0] + Math.min(Math.max(16, Math.floor(portCount / 32)), 128);
  }

  /** Why `ip` cannot be given to `owner`, worded as the allocator's error, or undefined. */
  checkClusterIP(ip: string, owner: string): string | undefined {
    const n = parseIPv4(ip);
    // The network and broadcast addresses are outside the usable range.
    if (n === undefined || n <= this.base || n >= this.base + this.size - 1) {
      return `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.serviceCIDR}`;
    }
    const holder = this.ipOwner.get(n);
    if (holder !== undefined && holder !== owner) return `failed to allocate IP ${ip}: provided IP is already allocated`;
    return undefined;
  }

  /** Why node port `port` cannot be given to `owner`, or undefined. */
  checkNodePort(port: number, owner: string): string | undefined {
    const [lo, hi] = this.nodePortRange;
    if (!Number.isInteger(port) || port < lo || port > hi) {
      return `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`;
    }
    const holder = this.portOwner.get(port);
    if (holder !== undefined && holder !== owner) return 'provided port is already allocated';
    return undefined;
  }

  /**
   * Makes `owner`'s allocations exactly what the Service (a draft, already validated) holds:
   * a missing clusterIP or nodePort is filled in, a held one no longer used is released.
   */
  sync(owner: string, svc: Obj): void {
    const spec = ensureObj(svc, 'spec');
    const type = str(spec.type);
    if (type === 'ExternalName') {
      this.releaseIP(owner);
    } else {
      this.syncClusterIP(owner, spec);
      if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
      if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = 'SingleStack';
    }
    const wantsNodePorts = type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
    this.syncNodePorts(owner, wantsNodePorts ? objects(spec.ports) : []);
  }

  release(owner: string): void {
    this.releaseIP(owner);
    this.syncNodePorts(owner, []);
  }

  private syncClusterIP(owner: string, spec: Obj): void {
    const requested = str(spec.clusterIP);
    if (requested === 'None') {
      this.releaseIP(owner);
      spec.clusterIPs = ['None'];
      return;
    }
    let n = requested ? parseIPv4(requested) : this.ownerIP.get(owner);
    if (n === undefined) n = this.nextFreeIP();
    if (n === undefined) return; // the range is full; nothing to give
    if (this.ownerIP.get(owner) !== n) {
      this.releaseIP(owner);
      this.ipOwner.set(n, owner);
      this.ownerIP.set(owner, n);
    }
    spec.clusterIP = formatIPv4(n);
    spec.clusterIPs = [spec.clusterIP];
  }

  private nextFreeIP(): number | undefined {
    const usable = this.size - 2;
    for (let i = 0; i < usable; i++) {
      const offset = ((this.nextIP - 1 + i) % usable) + 1;
      if (!this.ipOwner.has(this.base + offset)) {
        this.nextIP = offset + 1;
        return this.base + offset;
      }
    }
    return undefined;
  }

  private releaseIP(owner: string): void {
    const n = this.ownerIP.get(owner);
    if (n === undefined) return;
    this.ownerIP.delete(owner);
    if (this.ipOwner.get(n) === owner) this.ipOwner.delete(n);
  }

  private syncNodePorts(owner: string, ports: Obj[]): void {
    const held = this.ownerPorts.get(owner) ?? new Set<number>();
    const kept = new Set<number>();
    for (const p of ports) if (typeof p.nodePort === 'number' && p.nodePort !== 0) kept.add(p.nodePort);
    // Ports still missing one get back what this Service held before, then fresh ones.
    const reusable = [...held].filter((port) => !kept.has(port));
    for (const p of ports) {
      if (typeof p.nodePort === 'number' && p.nodePort !== 0) continue;
      const port = reusable.shift() ?? this.nextFreePort();
      if (port === undefined) continue;
      p.nodePort = port;
      kept.add(port);
    }
    for (const port of held) if (!kept.has(port) && this.portOwner.get(port) === owner) this.portOwner.delete(port);
    for (const port of kept) this.portOwner.set(port, owner);
    if (kept.size) this.ownerPorts.set(owner, kept);
    else this.ownerPorts.delete(owner);
  }

  private nextFreePort(): number | undefined {
    const [lo, hi] = this.nodePortRange;
    const count = hi - lo + 1;
    for (let i = 0; i < count; i++) {
      const port = lo + ((this.nextPort - lo + i) % count);
      if (!this.portOwner.has(port)) {
        this.nextPort = port + 1;
        return port;
      }
    }
    return undefined;
  }
}

/** The allocation owner of a Service: its namespace and name. */
export function serviceOwner(svc: { metadata: { namespace?: string; name?: string } }): string {
  return `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
}

/** Whether a Service is headless (clusterIP None). */
export function isHeadless(spec: Obj | undefined): boolean {
  const ips = spec?.clusterIPs;
  if (Array.isArray(ips) && ips.length > 0) return ips.length === 1 && ips[0] === 'None';
  return str(asObj(spec)?.clusterIP) === 'None';
}
