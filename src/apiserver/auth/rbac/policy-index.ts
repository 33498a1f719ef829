// The RBAC objects the authorizer reads, kept in step with storage by a synchronous storage
// watch (kube's RBAC authorizer reads informer listers the same way), and indexed so a request
// looks at the bindings naming its user or one of its groups, never at every binding.
import type { KubeObject } from '../../object.js';
import type { Storage, WatchHandle } from '../../storage/interface.js';
import { rulesOf, type PolicyRule, type RoleRef, type Subject } from './rules.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export interface Binding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  /** '' for a ClusterRoleBinding. */
  namespace: string;
  roleRef: RoleRef;
  subjects: Subject[];
}

interface Role {
  rules: PolicyRule[];
}

const RESOURCES = {
  roles: `roles.${RBAC_GROUP}`,
  clusterroles: `clusterroles.${RBAC_GROUP}`,
  rolebindings: `rolebindings.${RBAC_GROUP}`,
  clusterrolebindings: `clusterrolebindings.${RBAC_GROUP}`,
} as const;

/** The index key of a subject: ServiceAccounts are users named system:serviceaccount:ns:name. */
function subjectKeys(subject: Subject, bindingNamespace: string): string | undefined {
  switch (subject.kind) {
    case 'User':
      return `u:${subject.name}`;
    case 'Group':
      return `g:${subject.name}`;
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns ? `u:system:serviceaccount:${ns}:${subject.name}` : undefined;
    }
    default:
      return undefined;
  }
}

function toBinding(obj: KubeObject, kind: Binding['kind']): Binding {
  const o = obj as KubeObject & { roleRef?: RoleRef; subjects?: Subject[] };
  return {
    kind,
    name: obj.metadata.name ?? '',
    namespace: obj.metadata.namespace ?? '',
    roleRef: o.roleRef ?? { kind: '', name: '' },
    subjects: Array.isArray(o.subjects) ? o.subjects.filter((s) => typeof s === 'object' && s !== null) : [],
  };
}

/** Bindings by subject key; a binding with several subjects is listed under each. */
class BindingIndex {
  private readonly byKey = new Map<string, Map<string, Binding>>();
  private readonly current = new Map<string, Binding>();

  set(id: string, b: Binding | undefined): void {
    const old = this.current.get(id);
    if (old) for (const k of this.keysOf(old)) this.byKey.get(k)?.delete(id);
    if (!b) {
      this.current.delete(id);
      return;
    }
    this.current.set(id, b);
    for (const k of this.keysOf(b)) {
      let m = this.byKey.get(k);
      if (!m) this.byKey.set(k, (m = new Map()));
      m.set(id, b);
    }
  }

  private keysOf(b: Binding): string[] {
    const keys = new Set<string>();
    for (const s of b.subjects) {
      const k = subjectKeys(s, b.namespace);
      if (k) keys.add(`${b.namespace}\u0000${k}`);
    }
    return [...keys];
  }

  /** The bindings in `namespace` ('' for cluster bindings) naming the user or a group of theirs. */
  *for(namespace: string, user: { name: string; groups: readonly string[] }): Iterable<Binding> {
    const seen = new Set<Binding>();
    const keys = [`u:${user.name}`, ...user.groups.map((g) => `g:${g}`)];
    for (const k of keys) {
      const m = this.byKey.get(`${namespace}\u0000${k}`);
      if (!m) continue;
      for (const b of m.values()) {
        if (seen.has(b)) continue;
        seen.add(b);
        yield b;
      }
    }
  }
}

export class PolicyIndex {
  private readonly roles = new Map<string, Role>();
  private readonly clusterRoles = new Map<string, Role>();
  private readonly roleBindings = new BindingIndex();
  private readonly clusterRoleBindings = new BindingIndex();
  private readonly watches: WatchHandle[] = [];

  constructor(storage: Storage) {
    const track = (resource: string, apply: (obj: KubeObject, deleted: boolean) => void) => {
      this.watches.push(storage.watch(resource, { sendInitialState: true }, (ev) => apply(ev.object, ev.type === 'DELETED')));
    };
    const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
    track(RESOURCES.roles, (o, del) => (del ? this.roles.delete(key(o)) : this.roles.set(key(o), { rules: rulesOf(o) })));
    track(RESOURCES.clusterroles, (o, del) => (del ? this.clusterRoles.delete(o.metadata.name ?? '') : this.clusterRoles.set(o.metadata.name ?? '', { rules: rulesOf(o) })));
    track(RESOURCES.rolebindings, (o, del) => this.roleBindings.set(key(o), del ? undefined : toBinding(o, 'RoleBinding')));
    track(RESOURCES.clusterrolebindings, (o, del) => this.clusterRoleBindings.set(key(o), del ? undefined : toBinding(o, 'ClusterRoleBinding')));
  }

  stop(): void {
    for (const w of this.watches) w.stop();
  }

  clusterBindingsFor(user: { name: string; groups: readonly string[] }): Iterable<Binding> {
    return this.clusterRoleBindings.for('', user);
  }

  namespaceBindingsFor(namespace: string, user: { name: string; groups: readonly string[] }): Iterable<Binding> {
    return this.roleBindings.for(namespace, user);
  }

  /**
   * The rules a binding's roleRef grants, or the error kube's GetRoleReferenceRules gives
   * (`clusterrole.rbac.authorization.k8s.io "x" not found`).
   */
  roleRules(roleRef: RoleRef, bindingNamespace: string): { rules: PolicyRule[]; error?: string } {
    if (roleRef.kind === 'ClusterRole') {
      const r = this.clusterRoles.get(roleRef.name);
      return r ? { rules: r.rules } : { rules: [], error: `clusterrole.${RBAC_GROUP} ${JSON.stringify(roleRef.name)} not found` };
    }
    if (roleRef.kind === 'Role') {
      const r = this.roles.get(`${bindingNamespace}/${roleRef.name}`);
      return r ? { rules: r.rules } : { rules: [], error: `role.${RBAC_GROUP} ${JSON.stringify(roleRef.name)} not found` };
    }
    return { rules: [], error: `unsupported role reference kind: ${JSON.stringify(roleRef.kind)}` };
  }
}
