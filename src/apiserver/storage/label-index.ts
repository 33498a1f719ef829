// An inverted index from label key=value to the keys of the objects carrying it, one per
// resource, so a list with `app=a17` visits the objects that have that label instead of every
// object (the watch cache in k8s.io/apiserver pkg/storage/cacher keeps indexers for the same
// reason). A value held by one object keeps its key as a bare string: unique-valued labels
// (a job's controller-uid) then cost no Set per object.
type Labels = Readonly<Record<string, string>> | undefined;
type Bucket = string | Set<string>;

export class LabelIndex {
  private readonly byLabel = new Map<string, Map<string, Bucket>>();

  /** Moves `key` from the labels of its previous state to those of its new one (undefined: absent). */
  update(key: string, prev: Labels, next: Labels): void {
    if (prev === next) return;
    if (prev) {
      for (const name in prev) {
        if (next && next[name] === prev[name] && Object.prototype.hasOwnProperty.call(next, name)) continue;
        this.remove(name, prev[name]!, key);
      }
    }
    if (next) {
      for (const name in next) {
        if (prev && prev[name] === next[name] && Object.prototype.hasOwnProperty.call(prev, name)) continue;
        this.add(name, next[name]!, key);
      }
    }
  }

  /** How many objects carry label `name` with one of `values`. */
  count(name: string, values: readonly string[]): number {
    const byValue = this.byLabel.get(name);
    if (!byValue) return 0;
    let n = 0;
    for (const v of new Set(values)) {
      const b = byValue.get(v);
      if (b !== undefined) n += typeof b === 'string' ? 1 : b.size;
    }
    return n;
  }

  /** The keys of the objects carrying label `name` with one of `values`, appended to `out`. */
  collect(name: string, values: readonly string[], out: string[]): void {
    const byValue = this.byLabel.get(name);
    if (!byValue) return;
    for (const v of new Set(values)) {
      const b = byValue.get(v);
      if (b === undefined) continue;
      if (typeof b === 'string') out.push(b);
      else for (const k of b) out.push(k);
    }
  }

  private add(name: string, value: string, key: string): void {
    let byValue = this.byLabel.get(name);
    if (!byValue) this.byLabel.set(name, (byValue = new Map()));
    const b = byValue.get(value);
    if (b === undefined) byValue.set(value, key);
    else if (typeof b === 'string') byValue.set(value, new Set([b, key]));
    else b.add(key);
  }

  private remove(name: string, value: string, key: string): void {
    const byValue = this.byLabel.get(name);
    const b = byValue?.get(value);
    if (!byValue || b === undefined) return;
    if (typeof b === 'string') {
      if (b === key) byValue.delete(value);
    } else {
      b.delete(key);
      if (b.size === 1) byValue.set(value, b.values().next().value!);
    }
    if (byValue.size === 0) this.byLabel.delete(name);
  }
}
