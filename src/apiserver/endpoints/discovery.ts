// Discovery documents: /api, /apis, /api/v1, /apis/{group}[/{version}], and aggregated
// discovery (apidiscovery.k8s.io v2 and v2beta1), negotiated by Accept as kube-apiserver
// does (k8s.io/apiserver pkg/endpoints/discovery). Built from the catalogue on demand and
// cached until a resource is added or removed.
import type { ResourceCatalog } from '../registry/catalog.js';
import type { ResourceType, Verb } from '../registry/strategy.js';

const SUBRESOURCE_VERBS: Verb[] = ['get', 'patch', 'update'];

function sortedVerbs(verbs: readonly Verb[]): Verb[] {
  return [...verbs].sort();
}

function apiResource(rt: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: rt.resource,
    singularName: rt.singularName,
    namespaced: rt.namespaced,
    kind: rt.kind,
    verbs: sortedVerbs(rt.verbs),
  };
  if (rt.shortNames?.length) main.shortNames = rt.shortNames;
  if (rt.categories?.length) main.categories = rt.categories;
  const out = [main];
  if (rt.subresources?.status) {
    out.push({ name: `${rt.resource}/status`, singularName: '', namespaced: rt.namespaced, kind: rt.kind, verbs: SUBRESOURCE_VERBS });
  }
  for (const sub of Object.keys(rt.strategy.subresourceUpdates ?? {})) {
    out.push({ name: `${rt.resource}/${sub}`, singularName: '', namespaced: rt.namespaced, kind: rt.kind, verbs: ['update'] });
  }
  if (rt.group === '' && rt.resource === 'pods') {
    out.push({ name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
    out.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  }
  if (rt.group === '' && rt.resource === 'serviceaccounts') {
    out.push({ name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  }
  if (rt.subresources?.scale) {
    out.push({ name: `${rt.resource}/scale`, singularName: '', namespaced: rt.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: SUBRESOURCE_VERBS });
  }
  return out;
}

export class Discovery {
  private cachedAt = -1;
  private cache = new Map<string, unknown>();

  constructor(
    private readonly catalog: ResourceCatalog,
    private readonly serverAddress: () => string,
  ) {}

  private memo<T>(key: string, build: () => T): T {
    if (this.cachedAt !== this.catalog.generation) {
      this.cache.clear();
      this.cachedAt = this.catalog.generation;
    }
    if (!this.cache.has(key)) this.cache.set(key, build());
    return this.cache.get(key) as T;
  }

  apiVersions(): unknown {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.serverAddress() }],
    };
  }

  private groupEntry(group: string, versions: string[]): Record<string, unknown> {
    const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return { name: group, versions: vs, preferredVersion: vs[0] };
  }

  apiGroupList(): unknown {
    return this.memo('groups', () => {
      const groups = [...this.catalog.groups()].filter(([g]) => g !== '').map(([g, vs]) => this.groupEntry(g, vs));
      return { kind: 'APIGroupList', apiVersion: 'v1', groups };
    });
  }

  apiGroup(group: string): unknown | undefined {
    const versions = this.catalog.groups().get(group);
    if (!group || !versions) return undefined;
    return { kind: 'APIGroup', apiVersion: 'v1', ...this.groupEntry(group, versions) };
  }

  apiResourceList(group: string, version: string): unknown | undefined {
    return this.memo(`rl:${group}/${version}`, () => {
      const rts = this.catalog.resourcesIn(group, version);
      if (rts.length === 0) return undefined;
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : version,
        resources: rts.flatMap(apiResource),
      };
    });
  }

  /** Aggregated discovery for /api (legacy core group only) or /apis (every named group). */
  aggregated(legacy: boolean, version: 'v2' | 'v2beta1'): unknown {
    return this.memo(`agg:${legacy}:${version}`, () => {
      const items = [...this.catalog.groups()]
        .filter(([g]) => (legacy ? g === '' : g !== ''))
        .map(([group, versions]) => ({
          metadata: group ? { name: group } : {},
          versions: versions.map((v) => ({
            version: v,
            resources: this.catalog.resourcesIn(group, v).map((rt) => {
              const res: Record<string, unknown> = {
                resource: rt.resource,
                responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
                scope: rt.namespaced ? 'Namespaced' : 'Cluster',
                singularResource: rt.singularName,
                verbs: sortedVerbs(rt.verbs),
              };
              if (rt.shortNames?.length) res.shortNames = rt.shortNames;
              if (rt.categories?.length) res.categories = rt.categories;
              const subs: Record<string, unknown>[] = [];
              if (rt.group === '' && rt.resource === 'pods') subs.push({ subresource: 'log', responseKind: res.responseKind, verbs: ['get'] });
              if (rt.group === '' && rt.resource === 'serviceaccounts') {
                subs.push({ subresource: 'token', responseKind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] });
              }
              for (const sub of Object.keys(rt.strategy.subresourceUpdates ?? {})) subs.push({ subresource: sub, responseKind: res.responseKind, verbs: ['update'] });
              if (rt.subresources?.status) subs.push({ subresource: 'status', responseKind: res.responseKind, verbs: SUBRESOURCE_VERBS });
              if (rt.subresources?.scale) {
                subs.push({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: SUBRESOURCE_VERBS });
              }
              if (subs.length) res.subresources = subs;
              return res;
            }),
            freshness: 'Current',
          })),
        }));
      return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
    });
  }
}

/** The aggregated-discovery version a client asks for in Accept, if any (v2 preferred in order given). */
export function aggregatedDiscoveryVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const p = part.replace(/\s/g, '');
    if (!p.startsWith('application/json;') || !p.includes('g=apidiscovery.k8s.io') || !p.includes('as=APIGroupDiscoveryList')) continue;
    if (p.includes('v=v2beta1')) return 'v2beta1';
    if (p.includes('v=v2')) return 'v2';
  }
  return undefined;
}
