// The set of resources this server serves, looked up per request by group/version/resource
// (and by kind, for manifests and OpenAPI). Custom resources will register here too, at
// run time, which is why lookups are dynamic rather than fastify routes (STYLE.md #15).
import type { ResourceType } from './strategy.js';

export class ResourceCatalog {
  private readonly byGVR = new Map<string, ResourceType>();
  private readonly byGVK = new Map<string, ResourceType>();
  private generationCounter = 0;

  constructor(resources: ResourceType[] = []) {
    for (const r of resources) this.add(r);
  }

  add(rt: ResourceType): void {
    this.byGVR.set(`${rt.group}/${rt.version}/${rt.resource}`, rt);
    this.byGVK.set(`${rt.group}/${rt.version}/${rt.kind}`, rt);
    this.generationCounter++;
  }

  remove(rt: ResourceType): void {
    this.byGVR.delete(`${rt.group}/${rt.version}/${rt.resource}`);
    this.byGVK.delete(`${rt.group}/${rt.version}/${rt.kind}`);
    this.generationCounter++;
  }

  /** Changes whenever a resource is added or removed, so discovery and OpenAPI caches know to rebuild. */
  get generation(): number {
    return this.generationCounter;
  }

  lookup(group: string, version: string, resource: string): ResourceType | undefined {
    return this.byGVR.get(`${group}/${version}/${resource}`);
  }

  lookupKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.byGVK.get(`${group}/${version}/${kind}`);
  }

  all(): ResourceType[] {
    return [...this.byGVR.values()];
  }

  /** Group -> versions served, in the order resources were registered (preferred version first). */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const rt of this.byGVR.values()) {
      const vs = out.get(rt.group) ?? [];
      if (!vs.includes(rt.version)) vs.push(rt.version);
      out.set(rt.group, vs);
    }
    return out;
  }

  resourcesIn(group: string, version: string): ResourceType[] {
    return this.all().filter((r) => r.group === group && r.version === version);
  }
}

/** The storage key prefix of a resource: "pods", "deployments.apps". */
export function storageResource(rt: Pick<ResourceType, 'group' | 'resource' | 'storageResource'>): string {
  if (rt.storageResource) return rt.storageResource;
  return rt.group ? `${rt.resource}.${rt.group}` : rt.resource;
}
