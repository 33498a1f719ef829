// ResourceList arithmetic for quota (k8s.io/apiserver pkg/quota/v1/resources.go): add,
// subtract, mask, compare, and the "name=quantity" form quota's messages print. Values are
// exact resource.Quantity decimals and keep the format they were written in (1Gi + 512Mi is
// 1536Mi, 500m + 500m is 1), as Quantity.String canonicalises them.
import { parseQuantity, Quantity } from '../apimachinery/quantity.js';

export type QuantityFormat = 'DecimalSI' | 'BinarySI';

export interface FormattedQuantity {
  value: Quantity;
  format: QuantityFormat;
}

export type ResourceList = Map<string, FormattedQuantity>;

const ZERO = new Quantity(0n, 0);

export function quantity(text: string): FormattedQuantity | undefined {
  const q = parseQuantity(text.trim());
  if (typeof q === 'string') return undefined;
  return { value: q, format: /[KMGTPE]i$/.test(text.trim()) ? 'BinarySI' : 'DecimalSI' };
}

export function count(n: number): FormattedQuantity {
  return { value: new Quantity(BigInt(n), 0), format: 'DecimalSI' };
}

/** A JSON ResourceList ({"pods": "10", "limits.cpu": "2"}); entries that are not quantities are left out. */
export function parseResourceList(obj: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (!obj || typeof obj !== 'object') return out;
  for (const [name, v] of Object.entries(obj as Record<string, unknown>)) {
    const q = typeof v === 'string' ? quantity(v) : typeof v === 'number' && Number.isFinite(v) ? quantity(String(v)) : undefined;
    if (q) out.set(name, q);
  }
  return out;
}

/** The JSON form, names sorted as Go's map encoding sorts them. */
export function toJSONResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...list.keys()].sort()) out[name] = formatQuantity(list.get(name)!);
  return out;
}

export function add(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [name, q] of b) {
    const prev = out.get(name);
    out.set(name, prev ? { value: prev.value.add(q.value), format: prev.format } : q);
  }
  return out;
}

export function subtract(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [name, q] of b) {
    const prev = out.get(name) ?? { value: ZERO, format: q.format };
    out.set(name, { value: prev.value.add(negate(q.value)), format: prev.format });
  }
  return out;
}

/** Only the named resources. */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = new Map();
  for (const name of names) {
    const q = list.get(name);
    if (q) out.set(name, q);
  }
  return out;
}

/** Each resource is the larger of the two. */
export function max(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = new Map(a);
  for (const [name, q] of b) {
    const prev = out.get(name);
    if (!prev || prev.value.cmp(q.value) < 0) out.set(name, q);
  }
  return out;
}

/** Drops zero entries (quota.RemoveZeros). */
export function removeZeros(list: ResourceList): ResourceList {
  return new Map([...list].filter(([, q]) => q.value.unscaled !== 0n));
}

/**
 * quota.LessThanOrEqual: whether every resource of `a` named in `b` is within it; the names
 * that are not, sorted.
 */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { ok: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [name, q] of a) {
    const limit = b.get(name);
    if (limit && q.value.cmp(limit.value) > 0) exceeded.push(name);
  }
  exceeded.sort();
  return { ok: exceeded.length === 0, exceeded };
}

export function equals(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [name, q] of a) {
    const other = b.get(name);
    if (!other || other.value.cmp(q.value) !== 0) return false;
  }
  return true;
}

/** quota's prettyPrint: "name=quantity" pairs sorted by name, joined with commas. */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()]
    .sort()
    .map((name) => `${name}=${formatQuantity(list.get(name)!)}`)
    .join(',');
}

function negate(q: Quantity): Quantity {
  return new Quantity(-q.unscaled, q.scale);
}

const DECIMAL_SUFFIXES: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * Quantity.String's canonical form: BinarySI as the largest power of 1024 that divides an
 * integer of at least 1024, otherwise (and for DecimalSI) an integer with the largest SI
 * exponent (a multiple of 3) that keeps it whole; below 1n it rounds up to nanos, as kube does.
 */
export function formatQuantity(q: FormattedQuantity): string {
  let { unscaled, scale } = q.value;
  if (unscaled === 0n) return '0';
  const negative = unscaled < 0n;
  if (negative) unscaled = -unscaled;
  // At most nano precision: round up, as Quantity rounds to its smallest scale.
  if (scale > 9) {
    const div = 10n ** BigInt(scale - 9);
    unscaled = (unscaled + div - 1n) / div;
    scale = 9;
  }
  // 1.5Gi is held as 15 * 2^30 / 10: the whole number it is.
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  const sign = negative ? '-' : '';
  if (q.format === 'BinarySI' && scale <= 0) {
    let whole = unscaled * 10n ** BigInt(-scale);
    if (whole >= 1024n) {
      let i = 0;
      while (i < BINARY_SUFFIXES.length - 1 && whole % 1024n === 0n) {
        whole /= 1024n;
        i++;
      }
      return `${sign}${whole}${BINARY_SUFFIXES[i]}`;
    }
  }
  // value = unscaled * 10^-scale; write it as mantissa * 10^exp with exp a multiple of 3.
  let exp = -scale;
  let mantissa = unscaled;
  const r = ((exp % 3) + 3) % 3;
  if (r !== 0) {
    mantissa *= 10n ** BigInt(r);
    exp -= r;
  }
  while (exp < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (exp > 18) {
    mantissa *= 10n ** BigInt(exp - 18);
    exp = 18;
  }
  return `${sign}${mantissa}${DECIMAL_SUFFIXES[exp] ?? ''}`;
}
