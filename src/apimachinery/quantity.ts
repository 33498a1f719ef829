// resource.Quantity (k8s.io/apimachinery pkg/api/resource): "100m", "1.5Gi", "2e3", held
// exactly as unscaled * 10^-scale (binary suffixes are exact decimals too) and parsed with
// ParseQuantity's grammar and error wording. Shared by the API server (QoS class, CEL's
// quantity library) and the controllers (the scheduler's resource fit).

export class Quantity {
  constructor(
    /** The value is unscaled / 10^scale. */
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  cmp(o: Quantity): number {
    const [a, b] = align(this, o);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  add(o: Quantity): Quantity {
    const [a, b, scale] = align(this, o);
    return new Quantity(a + b, scale);
  }

  /** The integer value when there is one that fits int64 (Quantity.AsInt64). */
  asInt64(): bigint | undefined {
    const div = 10n ** BigInt(this.scale);
    if (this.unscaled % div !== 0n) return undefined;
    const v = this.unscaled / div;
    return v > 9223372036854775807n || v < -9223372036854775808n ? undefined : v;
  }
}

function align(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.unscaled * 10n ** BigInt(scale - a.scale), b.unscaled * 10n ** BigInt(scale - b.scale), scale];
}

const formatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** resource.ParseQuantity: a number and an SI, binary or exponent suffix; the message on failure. */
export function parseQuantity(s: string): Quantity | string {
  const m = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(s);
  if (!m) return formatWrong;
  const num = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(m[1]!);
  if (!num || (num[2] === '' && !num[3])) return 'unable to parse numeric part of quantity';
  const sign = num[1] === '-' ? -1n : 1n;
  const frac = num[3] ?? '';
  let unscaled = sign * BigInt((num[2] || '0') + frac);
  let scale = frac.length;
  const suffix = m[2]!;
  if (suffix in binarySuffixes) {
    unscaled *= 2n ** BigInt(binarySuffixes[suffix]!);
  } else if (suffix in decimalSuffixes) {
    scale -= decimalSuffixes[suffix]!;
  } else {
    const exp = /^[eE]([-+]?\d+)$/.exec(suffix);
    if (!exp) return "unable to parse quantity's suffix";
    scale -= Number(exp[1]);
  }
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return new Quantity(unscaled, scale);
}

/** A quantity's value as an approximate number of base units (a number passes through); undefined when it does not parse. */
export function quantityValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const q = parseQuantity(v.trim());
  if (typeof q === 'string') return undefined;
  return Number(q.unscaled) / 10 ** q.scale;
}
