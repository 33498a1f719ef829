// Finding an object's resource from its apiVersion and kind through the discovery API, as
// kubectl's RESTMapper does: /api and /apis list the group versions, /api/v1 and
// /apis/<group>/<version> list their resources. Cached for one run; a miss refreshes once,
// so a CustomResourceDefinition created earlier in the same run is found.

export interface ResourceMapping {
  group: string;
  version: string;
  /** Plural resource name, e.g. `configmaps`. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

export interface ApiClient {
  /** GETs a path under the server URL and returns the parsed JSON body, or throws ApiError. */
  getJson(path: string): Promise<unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export class Discovery {
  private groupVersions: Promise<Set<string>> | undefined;
  private readonly resources = new Map<string, Promise<APIResource[]>>();

  constructor(private readonly api: ApiClient) {}

  /** The resource for apiVersion + kind; throws an Error with kubectl's wording when none. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceMapping> {
    const found = await this.lookup(apiVersion, kind);
    if (found) return found;
    this.reset();
    const retried = await this.lookup(apiVersion, kind);
    if (retried) return retried;
    throw new Error(`no matches for kind "${kind}" in version "${apiVersion}" (ensure CRDs are installed first)`);
  }

  reset(): void {
    this.groupVersions = undefined;
    this.resources.clear();
  }

  private async lookup(apiVersion: string, kind: string): Promise<ResourceMapping | undefined> {
    const { group, version } = splitApiVersion(apiVersion);
    if (!(await this.listGroupVersions()).has(apiVersion)) return undefined;
    const resources = await this.listResources(group, version);
    // Subresources (`pods/status`) share their parent's kind; only a top-level resource fits.
    const match = resources.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!match) return undefined;
    return { group, version, resource: match.name, kind, namespaced: match.namespaced };
  }

  private listGroupVersions(): Promise<Set<string>> {
    this.groupVersions ??= this.fetchGroupVersions().catch((err: unknown) => {
      this.groupVersions = undefined; // do not cache a failure
      throw err;
    });
    return this.groupVersions;
  }

  private async fetchGroupVersions(): Promise<Set<string>> {
    const [core, groups] = await Promise.all([this.api.getJson('/api'), this.api.getJson('/apis')]);
    const out = new Set<string>();
    for (const v of (core as { versions?: string[] }).versions ?? []) out.add(v);
    const list = groups as { groups?: { versions?: { groupVersion: string }[] }[] };
    for (const g of list.groups ?? []) for (const v of g.versions ?? []) out.add(v.groupVersion);
    return out;
  }

  private listResources(group: string, version: string): Promise<APIResource[]> {
    const key = group ? `${group}/${version}` : version;
    let cached = this.resources.get(key);
    if (!cached) {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      cached = this.api
        .getJson(path)
        .then((body) => (body as { resources?: APIResource[] }).resources ?? [])
        .catch((err: unknown) => {
          this.resources.delete(key);
          throw err;
        });
      this.resources.set(key, cached);
    }
    return cached;
  }
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
