// One store for every resource, configured by the resource's strategy: the write pipelines
// of k8s.io/apiserver pkg/registry/generic/registry/store.go and pkg/registry/rest
// (BeforeCreate / BeforeUpdate). Every write (create, update, each patch type, status)
// goes through create() or update() here, so a rule is written once.
import { produce, type Draft } from 'immer';
import * as errors from '../errors.js';
import type { KubeObject, ManagedFieldsEntry, ObjectMeta } from '../object.js';
import { isPlainObject, sameJSON } from '../object.js';
import { StorageError, objectKey, type Preconditions } from '../storage/interface.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta.js';
import type { FieldError } from '../validation/field-errors.js';
import { storageResource } from './catalog.js';
import { formatTimestamp, type RegistryContext } from './context.js';
import { planDelete, shouldDeleteDuringUpdate, type DeleteOptions } from './deletion.js';
import { typeOfResource } from '../fieldmanager/resource-schema.js';
import { updateManagedFields } from './managed-fields.js';
import { OBJECT_META_COLLECTIONS, omitEmpty } from './omit-empty.js';
import { apiVersionOf, type ResourceType } from './strategy.js';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  subresource: string;
  /** The managers a server-side apply settled; every other write is recorded as an Update. */
  managedFields?: ManagedFieldsEntry[];
}

/** Converts a storage failure into the Status error kube-apiserver gives for this resource. */
export function storageToStatus(rt: ResourceType, name: string, err: unknown): errors.StatusError {
  const gr = { group: rt.group, resource: rt.resource };
  if (err instanceof StorageError) {
    switch (err.code) {
      case 'NotFound':
        return errors.notFound(gr, name);
      case 'AlreadyExists':
        return errors.alreadyExists(gr, name);
      case 'Conflict':
        return errors.conflict(gr, name, errors.OPTIMISTIC_LOCK_MESSAGE);
      case 'InvalidPrecondition':
        return errors.conflict(gr, name, err.message);
      case 'Expired':
        return errors.expired(err.message);
      case 'TooLargeResourceVersion':
        return errors.timeout(err.message);
    }
  }
  return errors.toStatusError(err);
}

/** Everything but metadata and status: a change here bumps metadata.generation. */
function specOf(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = obj;
  void _m;
  void _s;
  return rest;
}

function withoutManagedFieldTimes(obj: KubeObject): KubeObject {
  const mf = obj.metadata.managedFields?.map((e) => ({ ...e, time: undefined }));
  return { ...obj, metadata: { ...obj.metadata, managedFields: mf, resourceVersion: undefined } };
}

export class GenericStore {
  readonly resource: string;
  private readonly gr: errors.GroupResource;

  constructor(
    readonly rt: ResourceType,
    private readonly ctx: RegistryContext,
  ) {
    this.resource = storageResource(rt);
    this.gr = { group: rt.group, resource: rt.resource };
  }

  key(namespace: string, name: string): string {
    return objectKey(this.rt.namespaced ? namespace : undefined, name);
  }

  get(namespace: string, name: string): KubeObject {
    const obj = this.ctx.storage.get(this.resource, this.key(namespace, name));
    if (!obj) throw errors.notFound(this.gr, name);
    return this.fromStorage(obj);
  }

  /** The stored object as this version serves it. */
  fromStorage(obj: KubeObject): KubeObject {
    return this.rt.conversion ? this.rt.conversion.fromStorage(obj) : obj;
  }

  private toStorage(obj: KubeObject): KubeObject {
    return this.rt.conversion ? this.rt.conversion.toStorage(obj) : obj;
  }

  private stored(key: string): KubeObject | undefined {
    const obj = this.ctx.storage.get(this.resource, key);
    return obj && this.fromStorage(obj);
  }

  /** Custom resources may carry unqualified finalizer names (the real server only warns). */
  private metaOptions() {
    const rt = this.rt;
    return { namespaced: rt.namespaced, nameValidation: rt.nameValidation ?? 'dns1123Subdomain', requireQualifiedFinalizers: !(rt.isCustomResource || rt.genericObjectMetaValidation) } as const;
  }

  private invalid(name: string, errs: FieldError[]): errors.StatusError {
    return errors.invalid({ group: this.rt.group, kind: this.rt.kind }, name, errs);
  }

  create(namespace: string, body: KubeObject, opts: WriteOptions): KubeObject {
    const rt = this.rt;
    const now = formatTimestamp(this.ctx.clock.now());
    const strategy = rt.strategy;
    const obj = produce(body, (d: Draft<KubeObject>) => {
      d.apiVersion = apiVersionOf(rt);
      d.kind = rt.kind;
      const m = d.metadata as ObjectMeta;
      if (rt.namespaced) m.namespace = namespace;
      else delete m.namespace;
      // FillObjectMetaSystemFields, then BeforeCreate: clients may not set these.
      m.uid = this.ctx.newUID();
      m.creationTimestamp = now;
      delete m.resourceVersion;
      delete m.deletionTimestamp;
      delete m.deletionGracePeriodSeconds;
      delete m.selfLink;
      omitEmpty(m as Record<string, unknown>, OBJECT_META_COLLECTIONS);
      if (!m.name && m.generateName) m.name = `${m.generateName}${this.ctx.randomSuffix()}`;
      if (rt.tracksGeneration) m.generation = 1;
      else delete m.generation;
      strategy.defaults?.(d as KubeObject);
      strategy.prepareForCreate?.(d as KubeObject);
    });
    const errs = [
      ...validateObjectMeta(obj.metadata, this.metaOptions()),
      ...(strategy.validate?.(obj) ?? []),
    ];
    if (errs.length) throw this.invalid(obj.metadata.name ?? '', errs);
    const canonical = strategy.canonicalize ? produce(obj, (d: Draft<KubeObject>) => strategy.canonicalize!(d as KubeObject)) : obj;
    const managedFields = opts.managedFields
      ? withoutEmpty(opts.managedFields)
      : withoutEmpty(updateManagedFields(canonical, undefined, { manager: opts.fieldManager, apiVersion: apiVersionOf(rt), time: now, subresource: '', type: typeOfResource(rt) }));
    const final = withMetadata(canonical, { managedFields });
    const name = final.metadata.name!;
    const key = this.key(namespace, name);
    if (opts.dryRun) {
      if (this.stored(key)) throw errors.alreadyExists(this.gr, name);
      return final;
    }
    try {
      return this.fromStorage(this.ctx.storage.create(this.resource, key, this.toStorage(final)));
    } catch (e) {
      throw storageToStatus(rt, name, e);
    }
  }

  /**
   * Runs the update pipeline on `body`, the full new object a client sent (a PUT, or the
   * result of applying a patch to the current object).
   */
  update(namespace: string, name: string, body: KubeObject, opts: WriteOptions & { allowCreate?: boolean }): { object: KubeObject; created: boolean } {
    const rt = this.rt;
    const key = this.key(namespace, name);
    const old = this.stored(key);
    if (!old) {
      if ((opts.allowCreate ?? rt.strategy.allowCreateOnUpdate) && !opts.subresource) {
        return { object: this.create(namespace, body, opts), created: true };
      }
      throw errors.notFound(this.gr, name);
    }
    const requestedRV = body.metadata.resourceVersion;
    if (!requestedRV && !rt.strategy.allowUnconditionalUpdate) {
      throw this.invalid(name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', badValue: '0x0', omitValue: true, detail: 'must be specified for an update' }]);
    }
    if (requestedRV && requestedRV !== old.metadata.resourceVersion) {
      throw errors.conflict(this.gr, name, errors.OPTIMISTIC_LOCK_MESSAGE);
    }
    const strategy = rt.strategy;
    const isStatus = opts.subresource === 'status';
    const sub = !isStatus && opts.subresource ? strategy.subresourceUpdates?.[opts.subresource] : undefined;
    const obj = produce(body, (d: Draft<KubeObject>) => {
      d.apiVersion = apiVersionOf(rt);
      d.kind = rt.kind;
      const m = d.metadata as ObjectMeta;
      const om = old.metadata;
      // System fields come from the stored object whatever the client sent (rest.BeforeUpdate).
      if (rt.namespaced) m.namespace = namespace;
      else delete m.namespace;
      // rest.BeforeUpdate: uid is filled in only when the client left it out (a changed one fails
      // validation); creationTimestamp always comes from the stored object.
      if (!m.uid) m.uid = om.uid;
      m.creationTimestamp = om.creationTimestamp;
      if (om.generation !== undefined) m.generation = om.generation;
      else delete m.generation;
      m.resourceVersion = om.resourceVersion;
      if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
      else delete m.deletionTimestamp;
      if (om.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
      else delete m.deletionGracePeriodSeconds;
      omitEmpty(m as Record<string, unknown>, OBJECT_META_COLLECTIONS);
      if (body.metadata.managedFields === undefined && om.managedFields) m.managedFields = om.managedFields as Draft<typeof om.managedFields>;
      if (isStatus) {
        if (strategy.prepareForStatusUpdate) strategy.prepareForStatusUpdate(d as KubeObject, old);
        else keepAllButStatus(d as KubeObject, old);
      } else {
        strategy.defaults?.(d as KubeObject);
        if (sub) sub.prepareForUpdate(d as KubeObject, old);
        else strategy.prepareForUpdate?.(d as KubeObject, old);
      }
    });
    const errs = [
      ...validateObjectMeta(obj.metadata, this.metaOptions()),
      ...validateObjectMetaUpdate(obj.metadata, old.metadata, { requireQualifiedFinalizers: !(rt.isCustomResource || rt.genericObjectMetaValidation) }),
      ...((isStatus ? strategy.validateStatusUpdate?.(obj, old) : sub ? sub.validateUpdate(obj, old) : strategy.validateUpdate?.(obj, old)) ?? []),
    ];
    if (errs.length) throw this.invalid(name, dedupeFieldErrors(errs));
    const now = formatTimestamp(this.ctx.clock.now());
    const canonical = !isStatus && strategy.canonicalize ? produce(obj, (d: Draft<KubeObject>) => strategy.canonicalize!(d as KubeObject)) : obj;
    // Generation counts changes a controller must act on: anything but metadata and status.
    const bumpGeneration = rt.tracksGeneration && !isStatus && !sameJSON(specOf(canonical), specOf(old));
    const managedFields = opts.managedFields
      ? withoutEmpty(opts.managedFields)
      : withoutEmpty(updateManagedFields(canonical, old, { manager: opts.fieldManager, apiVersion: apiVersionOf(rt), time: now, subresource: opts.subresource, type: typeOfResource(rt) }));
    const final = withMetadata(canonical, bumpGeneration ? { managedFields, generation: (old.metadata.generation ?? 1) + 1 } : { managedFields });
    // The update that leaves no finalizer on an object being deleted removes the object
    // (checked before the no-op test, as in kube's tryUpdate; a namespace also waits for its
    // spec.finalizers); the client gets the object it sent (deleteWithoutFinalizers).
    if (shouldDeleteDuringUpdate(final.metadata, old.metadata) && (strategy.readyToDelete?.(final) ?? true)) {
      if (!opts.dryRun) this.remove(key, name, old.metadata.resourceVersion);
      return { object: final, created: false };
    }
    // A write that changes nothing is not a write: no new resourceVersion, no watch event.
    if (sameJSON(withoutManagedFieldTimes(final), withoutManagedFieldTimes(old))) return { object: old, created: false };
    if (opts.dryRun) return { object: final, created: false };
    try {
      return { object: this.fromStorage(this.ctx.storage.update(this.resource, key, this.toStorage(final), old.metadata.resourceVersion)), created: false };
    } catch (e) {
      throw storageToStatus(rt, name, e);
    }
  }

  /**
   * A write that bypasses the strategy, as kube's subresource storages that call
   * GuaranteedUpdate directly do (pods/binding): `mutate` returns the new object, or throws a
   * Status error; the optimistic-concurrency check against the object read still applies.
   */
  guaranteedUpdate(namespace: string, name: string, mutate: (current: KubeObject) => KubeObject, opts: { dryRun: boolean }): KubeObject {
    const key = this.key(namespace, name);
    const current = this.stored(key);
    if (!current) throw errors.notFound(this.gr, name);
    const next = mutate(current);
    if (opts.dryRun) return next;
    try {
      return this.fromStorage(this.ctx.storage.update(this.resource, key, this.toStorage(next), current.metadata.resourceVersion));
    } catch (e) {
      throw storageToStatus(this.rt, name, e);
    }
  }

  /**
   * Deletes an object, or marks it as being deleted (deletionTimestamp) and leaves it while
   * finalizers or a grace period hold it, as the generic store's Delete does; the decisions
   * (grace, garbage-collector finalizers) are planDelete's. `deleted` tells which happened.
   */
  delete(namespace: string, name: string, opts: DeleteOptions): { object: KubeObject; deleted: boolean } {
    const key = this.key(namespace, name);
    const current = this.stored(key);
    if (!current) throw errors.notFound(this.gr, name);
    this.checkDeletePreconditions(current, opts.preconditions);
    const strategy = this.rt.strategy;
    const plan = planDelete({
      metadata: current.metadata,
      options: opts,
      policy: strategy.defaultGarbageCollectionPolicy,
      gracefulPeriod: strategy.gracefulDeletePeriod && ((requested) => strategy.gracefulDeletePeriod!(current, requested)),
      finalizersOnFirstDelete: strategy.finalizersOnDelete && (() => strategy.finalizersOnDelete!(current)),
      now: this.ctx.clock.now().getTime(),
    });
    if (plan.action === 'keep') return { object: current, deleted: false };
    if (plan.action === 'delete') {
      if (opts.dryRun) return { object: current, deleted: true };
      return { object: this.remove(key, name, current.metadata.resourceVersion), deleted: true };
    }
    const marked = produce(current, (d: Draft<KubeObject>) => {
      for (const [field, value] of Object.entries(plan.metadata)) {
        const f = field as keyof typeof plan.metadata;
        if (value === undefined || (f === 'finalizers' && (value as string[]).length === 0)) delete d.metadata[f];
        else (d.metadata as Record<string, unknown>)[f] = value;
      }
    });
    // Marking it again the same way writes nothing, as etcd skips an unchanged GuaranteedUpdate.
    if (opts.dryRun || JSON.stringify(marked) === JSON.stringify(current)) return { object: marked, deleted: false };
    try {
      return { object: this.fromStorage(this.ctx.storage.update(this.resource, key, this.toStorage(marked), current.metadata.resourceVersion)), deleted: false };
    } catch (e) {
      throw storageToStatus(this.rt, name, e);
    }
  }

  /** BeforeDelete checks preconditions early; its Conflict names the kind, not the resource. */
  private checkDeletePreconditions(current: KubeObject, p: Preconditions | undefined): void {
    const gk = { group: this.rt.group, resource: this.rt.kind };
    const name = current.metadata.name ?? '';
    if (p?.uid !== undefined && p.uid !== current.metadata.uid) {
      throw errors.conflict(gk, name, `the UID in the precondition (${p.uid}) does not match the UID in record (${current.metadata.uid ?? ''}). The object might have been deleted and then recreated`);
    }
    if (p?.resourceVersion !== undefined && p.resourceVersion !== current.metadata.resourceVersion) {
      throw errors.conflict(
        gk,
        name,
        `the ResourceVersion in the precondition (${p.resourceVersion}) does not match the ResourceVersion in record (${current.metadata.resourceVersion ?? ''}). The object might have been modified`,
      );
    }
  }

  private remove(key: string, name: string, resourceVersion: string | undefined): KubeObject {
    let deleted: KubeObject;
    try {
      deleted = this.ctx.storage.delete(this.resource, key, { resourceVersion });
    } catch (e) {
      throw storageToStatus(this.rt, name, e);
    }
    deleted = this.fromStorage(deleted);
    this.rt.strategy.afterDelete?.(deleted);
    return deleted;
  }
}

/** A status update may change only status (and labels/annotations, as the real status strategies allow none of it either). */
function keepAllButStatus(d: KubeObject, old: KubeObject): void {
  const status = d.status;
  for (const k of Object.keys(d)) if (k !== 'metadata' && k !== 'status') delete d[k];
  for (const [k, v] of Object.entries(old)) if (k !== 'metadata' && k !== 'status') d[k] = v;
  d.metadata.labels = old.metadata.labels as Record<string, string> | undefined;
  d.metadata.annotations = old.metadata.annotations as Record<string, string> | undefined;
  if (d.metadata.labels === undefined) delete d.metadata.labels;
  if (d.metadata.annotations === undefined) delete d.metadata.annotations;
  d.metadata.finalizers = old.metadata.finalizers;
  if (d.metadata.finalizers === undefined) delete d.metadata.finalizers;
  d.metadata.ownerReferences = old.metadata.ownerReferences;
  if (d.metadata.ownerReferences === undefined) delete d.metadata.ownerReferences;
  if (status === undefined) delete d.status;
  else d.status = status;
}

function dedupeFieldErrors(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.type}|${e.field}|${e.detail ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function isKubeObject(v: unknown): v is KubeObject {
  return isPlainObject(v) && isPlainObject(v.metadata);
}

/**
 * The object with some metadata fields replaced (undefined removes one); the rest is shared
 * with `obj`, which is frozen, so nothing is copied deeply. Done on plain objects rather than
 * in an immer recipe because the managed-fields walk reads the whole object, and reading
 * through a draft's proxies costs several times more. Not frozen here: storage keeps a frozen
 * copy of its own (stored-copy.ts), and nothing else holds on to it.
 */
function withMetadata(obj: KubeObject, fields: Partial<ObjectMeta>): KubeObject {
  const metadata: ObjectMeta = { ...obj.metadata };
  for (const [k, v] of Object.entries(fields) as Array<[keyof ObjectMeta, unknown]>) {
    if (v === undefined) delete metadata[k];
    else (metadata as Record<string, unknown>)[k] = v;
  }
  return { ...obj, metadata };
}

/** No managedFields at all (not an empty list) when no manager owns anything, as kube encodes an empty set. */
function withoutEmpty(managedFields: ManagedFieldsEntry[]): ManagedFieldsEntry[] | undefined {
  return managedFields.length ? managedFields : undefined;
}
