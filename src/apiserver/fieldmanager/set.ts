// A set of field paths, shaped as structured-merge-diff's fieldpath.Set: the elements that are
// members at this level, and a child set per element with descendants. Elements are kept in
// their FieldsV1 spelling ("f:spec", "k:{\"name\":\"c\"}") so sets round-trip exactly.
import { compareElementStrings, parseElement } from './fieldpath.js';

/** The FieldsV1 JSON form: {"f:spec": {"f:replicas": {}}, ".": {} marks the element itself}. */
export type FieldsV1 = { [element: string]: FieldsV1 };

export class FieldSet {
  readonly members = new Set<string>();
  readonly children = new Map<string, FieldSet>();

  static fromPaths(paths: readonly (readonly string[])[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Decodes FieldsV1; throws on a malformed element (as fieldmanager's decoder does). */
  static fromFieldsV1(json: unknown): FieldSet {
    const s = new FieldSet();
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('FieldsV1 must be an object');
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
      if (k === '.') continue;
      parseElement(k);
      const child = FieldSet.fromFieldsV1(v);
      const isObj = typeof v === 'object' && v !== null;
      // A leaf ({}) or an element marked with "." is a member; anything else only has descendants.
      if (!isObj || Object.keys(v).length === 0 || '.' in v) s.members.add(k);
      if (!child.empty()) s.children.set(k, child);
    }
    return s;
  }

  toFieldsV1(): FieldsV1 {
    const out: FieldsV1 = {};
    const keys = [...new Set([...this.members, ...this.children.keys()])].sort(compareElementStrings);
    for (const k of keys) {
      const child = this.children.get(k);
      if (!child) out[k] = {};
      else out[k] = this.members.has(k) ? { '.': {}, ...child.toFieldsV1() } : child.toFieldsV1();
    }
    return out;
  }

  empty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  insert(path: readonly string[]): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.child(path[i]!);
    node.members.add(path[path.length - 1]!);
  }

  has(path: readonly string[]): boolean {
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]!);
    return Boolean(node && path.length && node.members.has(path[path.length - 1]!));
  }

  private child(pe: string): FieldSet {
    let c = this.children.get(pe);
    if (!c) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    return c;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const m of other.members) out.members.add(m);
    for (const k of new Set([...this.children.keys(), ...other.children.keys()])) {
      const a = this.children.get(k);
      const b = other.children.get(k);
      out.children.set(k, a && b ? a.union(b) : (a ?? b)!.union(new FieldSet()));
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    for (const [k, a] of this.children) {
      const b = other.children.get(k);
      if (!b) continue;
      const c = a.intersection(b);
      if (!c.empty()) out.children.set(k, c);
    }
    return out;
  }

  /** Whether some path is a member of both (difference would remove something). */
  overlaps(other: FieldSet): boolean {
    for (const m of this.members) if (other.members.has(m)) return true;
    for (const [k, a] of this.children) {
      const b = other.children.get(k);
      if (b && a.overlaps(b)) return true;
    }
    return false;
  }

  /** Paths of this set not in `other` (members and descendants compared separately, as SMD's Difference). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [k, a] of this.children) {
      const b = other.children.get(k);
      const c = b ? a.difference(b) : a.union(new FieldSet());
      if (!c.empty()) out.children.set(k, c);
    }
    return out;
  }

  /** Removes every path of this set that is `other`'s member or lies under one (SMD's RecursiveDifference). */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [k, a] of this.children) {
      if (other.members.has(k)) continue;
      const b = other.children.get(k);
      const c = b ? a.recursiveDifference(b) : a.union(new FieldSet());
      if (!c.empty()) out.children.set(k, c);
    }
    return out;
  }

  /** Only the members with no descendants in the set (SMD's Leaves). */
  leaves(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!this.children.has(m)) out.members.add(m);
    for (const [k, a] of this.children) {
      const c = a.leaves();
      if (!c.empty()) out.children.set(k, c);
    }
    return out;
  }

  /** Every member path, in SMD order. */
  paths(prefix: readonly string[] = []): string[][] {
    const out: string[][] = [];
    const keys = [...new Set([...this.members, ...this.children.keys()])].sort(compareElementStrings);
    for (const k of keys) {
      if (this.members.has(k)) out.push([...prefix, k]);
      const c = this.children.get(k);
      if (c) out.push(...c.paths([...prefix, k]));
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).empty() && other.difference(this).empty();
  }
}
