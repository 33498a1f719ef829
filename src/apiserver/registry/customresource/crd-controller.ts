// The API server's own CRD controllers (apiextensions-apiserver's naming, establishing and
// finalizing controllers, and the crdHandler's serving table) in one place:
//   - names: a CRD whose plural, singular, kind, listKind or a shortName is taken by another
//     CRD of its group is NamesAccepted=False; otherwise its names are accepted;
//   - established: accepted names make it Established, and its served versions are added to
//     the catalogue, so discovery, OpenAPI and the wildcard routes serve them;
//   - deletion: a CRD being deleted is Terminating, all its custom resources are deleted,
//     then the customresourcecleanup finalizer is removed and its versions stop being served.
// It reacts to storage events of CRDs, but writes only through the CRD's generic store, so
// status changes take the same path as every other write.
import type { KubeObject } from '../../object.js';
import { storageResource, type ResourceCatalog } from '../catalog.js';
import { formatTimestamp, type RegistryContext } from '../context.js';
import { GenericStore } from '../generic-store.js';
import type { ResourceType } from '../strategy.js';
import { CLEANUP_FINALIZER, CRD_RESOURCE, isEstablished, type CRD, type CRDCondition, type CRDNames } from './crd.js';
import { customResourceTypes } from './resource-type.js';

const MANAGER = 'kube-apiserver';

export class CRDController {
  private readonly served = new Map<string, { generation: number; uid: string; types: ResourceType[] }>();
  private readonly pending = new Set<string>();
  private scheduled = false;
  private stopped = false;
  private handle?: { stop(): void };
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly ctx: RegistryContext,
    private readonly crdStore: GenericStore,
  ) {}

  private get catalog(): ResourceCatalog {
    return this.ctx.catalog;
  }

  start(): void {
    this.handle = this.ctx.storage.watch(CRD_RESOURCE, { sendInitialState: true }, (ev) => this.enqueue(ev.object.metadata.name!));
  }

  stop(): void {
    this.stopped = true;
    this.handle?.stop();
    if (this.retry) clearTimeout(this.retry);
  }

  /**
   * Storage delivers events inside the write; reconcile after it, never re-entrantly, and
   * on the next turn of the event loop so requests keep being served between rounds.
   */
  private enqueue(name: string): void {
    this.pending.add(name);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const names = [...this.pending];
      this.pending.clear();
      for (const n of names) {
        try {
          this.reconcile(n);
        } catch (err) {
          // A CRD the server cannot serve (a schema no validator compiles) must not take the
          // server down: it stays unserved, and is looked at again when it changes.
          this.unserve(n);
          if (process.env.KUBESIM_DEBUG) console.error(`crd controller: ${n}: ${(err as Error).message}`);
        }
      }
    });
  }

  private all(): CRD[] {
    return this.ctx.storage.list(CRD_RESOURCE).items as CRD[];
  }

  private reconcile(name: string): void {
    if (this.stopped) return;
    const crd = this.ctx.storage.get(CRD_RESOURCE, name) as CRD | undefined;
    if (!crd) {
      this.unserve(name);
      // Names it held may now be free for another CRD.
      for (const other of this.all()) if (conditionStatus(other, 'NamesAccepted') === 'False') this.enqueue(other.metadata.name!);
      return;
    }
    if (crd.metadata.deletionTimestamp) {
      this.finalize(crd);
      return;
    }
    const status = this.desiredStatus(crd);
    if (JSON.stringify(status) !== JSON.stringify(crd.status ?? {})) {
      this.writeStatus(crd, status);
      return; // the write's event brings us back with the new status
    }
    if (isEstablished(crd)) this.serve(crd);
  }

  private desiredStatus(crd: CRD): NonNullable<CRD['status']> {
    const now = formatTimestamp(this.ctx.clock.now());
    const names = withDefaults(crd.spec.names);
    const clash = this.nameClash(crd, names);
    const conditions: CRDCondition[] = [];
    const keep = (c: CRDCondition): CRDCondition => {
      const prev = crd.status?.conditions?.find((p) => p.type === c.type);
      return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
    };
    if (clash) {
      conditions.push(keep({ type: 'NamesAccepted', status: 'False', reason: 'NameConflict', message: clash }));
      conditions.push(keep({ type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }));
    } else {
      conditions.push(keep({ type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }));
      conditions.push(keep({ type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }));
    }
    const storage = crd.spec.versions.find((v) => v.storage)?.name;
    const stored = [...(crd.status?.storedVersions ?? [])];
    if (storage && !stored.includes(storage)) stored.push(storage);
    const acceptedNames = clash ? (crd.status?.acceptedNames ?? { plural: '', kind: '' }) : names;
    return { acceptedNames, conditions, storedVersions: stored };
  }

  /** The first name of `crd` another CRD of the same group already has accepted, worded as the naming controller words it. */
  private nameClash(crd: CRD, names: CRDNames): string | undefined {
    for (const other of this.all()) {
      if (other.metadata.name === crd.metadata.name || other.spec.group !== crd.spec.group) continue;
      const taken = other.status?.acceptedNames;
      if (!taken || !isEstablished(other)) continue;
      const theirs = new Set([taken.plural, taken.singular, ...(taken.shortNames ?? [])].filter(Boolean));
      if (theirs.has(names.plural)) return `"${names.plural}" is already in use`;
      if (names.singular && theirs.has(names.singular)) return `"${names.singular}" is already in use`;
      for (const s of names.shortNames ?? []) if (theirs.has(s)) return `"${s}" is already in use`;
      if (taken.kind === names.kind) return `"${names.kind}" is already in use`;
      if (taken.listKind && taken.listKind === names.listKind) return `"${names.listKind}" is already in use`;
    }
    return undefined;
  }

  private writeStatus(crd: CRD, status: NonNullable<CRD['status']>): void {
    try {
      this.crdStore.update('', crd.metadata.name!, { ...crd, status } as KubeObject, { dryRun: false, fieldManager: MANAGER, subresource: 'status' });
    } catch (err) {
      this.retryLater(crd.metadata.name!, err);
    }
  }

  /** A write that failed (a conflicting write came first, say) is retried after a pause, never in a hot loop. */
  private retryLater(name: string, err?: unknown): void {
    if (err && process.env.KUBESIM_DEBUG) console.error(`crd controller: ${name}: ${(err as Error).message}`);
    if (this.retry) clearTimeout(this.retry);
    this.retry = setTimeout(() => this.enqueue(name), 100);
    this.retry.unref();
  }

  private serve(crd: CRD): void {
    const name = crd.metadata.name!;
    const current = this.served.get(name);
    if (current && current.uid === crd.metadata.uid && current.generation === crd.metadata.generation) return;
    if (current) for (const rt of current.types) this.catalog.remove(rt);
    const types = customResourceTypes(crd, () => Boolean((this.ctx.storage.get(CRD_RESOURCE, name) as CRD | undefined)?.metadata.deletionTimestamp));
    for (const rt of types) this.catalog.add(rt);
    this.served.set(name, { uid: crd.metadata.uid!, generation: crd.metadata.generation ?? 1, types });
  }

  private unserve(name: string): void {
    const current = this.served.get(name);
    if (!current) return;
    for (const rt of current.types) this.catalog.remove(rt);
    this.served.delete(name);
  }

  /** Deletes every custom resource of a terminating CRD, then releases the CRD. */
  private finalize(crd: CRD): void {
    const name = crd.metadata.name!;
    const conditions = (crd.status?.conditions ?? []).filter((c) => c.type !== 'Terminating');
    const terminating: CRDCondition = {
      type: 'Terminating',
      status: 'True',
      reason: 'InstanceDeletionInProgress',
      message: 'CustomResource deletion is in progress',
      lastTransitionTime: formatTimestamp(this.ctx.clock.now()),
    };
    if (conditionStatus(crd, 'Terminating') !== 'True') {
      this.writeStatus(crd, { ...crd.status, conditions: [...conditions, terminating] });
      return;
    }
    if (!(crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return;
    const types = this.served.get(name)?.types ?? customResourceTypes(crd);
    const rt = types.find((t) => crd.spec.versions.find((v) => v.storage)?.name === t.version) ?? types[0];
    let remaining = 0;
    if (rt) {
      const store = new GenericStore(rt, this.ctx);
      for (const obj of this.ctx.storage.list(storageResource(rt)).items) {
        try {
          const { deleted } = store.delete(obj.metadata.namespace ?? '', obj.metadata.name!, { dryRun: false });
          if (!deleted) remaining++;
        } catch {
          // gone already
        }
      }
    }
    if (remaining > 0) {
      // Custom resources with finalizers of their own: look again until their owners let go.
      this.retryLater(name);
      return;
    }
    this.unserve(name);
    const finalizers = (crd.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    try {
      this.crdStore.update('', name, { ...crd, metadata: { ...crd.metadata, finalizers } }, { dryRun: false, fieldManager: MANAGER, subresource: '' });
    } catch (err) {
      this.retryLater(name, err);
    }
  }
}

function conditionStatus(crd: CRD, type: string): string | undefined {
  return crd.status?.conditions?.find((c) => c.type === type)?.status;
}

function withDefaults(n: CRDNames): CRDNames {
  return {
    ...n,
    singular: n.singular || n.kind.toLowerCase(),
    listKind: n.listKind || `${n.kind}List`,
  };
}
