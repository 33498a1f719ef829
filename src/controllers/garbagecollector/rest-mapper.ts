// Which resource serves an ownerReference's apiVersion and kind, and whether it is namespaced,
// learned from discovery (the garbage collector's RESTMapper). An ownerReference carries no
// resource name and no scope, so every live read of an owner goes through this.
import type { ResourceRef } from '../../clients/interfaces.js';

export interface DiscoveredResource extends ResourceRef {
  kind: string;
  verbs: string[];
}

/** No served resource has this kind in this group: maybe a CRD not yet discovered (restMappingError). */
export class RestMappingError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`unable to get REST mapping for ${apiVersion}/${kind}.`);
    this.name = 'RestMappingError';
  }
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOf(ref: Pick<ResourceRef, 'group' | 'version'>): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

export class RestMapper {
  /** "group/kind" -> resource and scope; the version comes from the reference itself. */
  private byGroupKind = new Map<string, { resource: string; namespaced: boolean }>();

  /** Replace what is known with a fresh discovery. */
  update(resources: readonly DiscoveredResource[]): void {
    const next = new Map<string, { resource: string; namespaced: boolean }>();
    for (const r of resources) next.set(`${r.group}/${r.kind}`, { resource: r.resource, namespaced: r.namespaced });
    this.byGroupKind = next;
  }

  /**
   * The resource for a reference's apiVersion and kind. Discovery lists each group's
   * preferred version only; a resource has one name in every version of its group, so the
   * reference's own version is kept.
   */
  resourceFor(apiVersion: string, kind: string): ResourceRef {
    const { group, version } = parseApiVersion(apiVersion);
    const found = this.byGroupKind.get(`${group}/${kind}`);
    if (!found || !version) throw new RestMappingError(apiVersion, kind);
    return { group, version, resource: found.resource, namespaced: found.namespaced };
  }

  /** true / false when known, undefined when the kind has not been discovered. */
  isNamespaced(apiVersion: string, kind: string): boolean | undefined {
    return this.byGroupKind.get(`${parseApiVersion(apiVersion).group}/${kind}`)?.namespaced;
  }
}
