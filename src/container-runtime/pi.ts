// π to N significant digits, as Perl's `bpi(N)` (Math::BigFloat) prints it for the classic
// Job example `perl -Mbignum=bpi -wle 'print bpi(2000)'`: rounded to N digits, so N-1 decimals.
// Machin's formula π = 16·atan(1/5) − 4·atan(1/239) in BigInt fixed point.

const cache = new Map<number, string>();

/** atan(1/x) scaled by `unity`, by its alternating series. */
function arctanInverse(x: bigint, unity: bigint): bigint {
  const x2 = x * x;
  let term = unity / x;
  let sum = term;
  for (let n = 3n, sign = -1n; term !== 0n; n += 2n, sign = -sign) {
    term /= x2;
    sum += (sign * term) / n;
  }
  return sum;
}

export function piDigits(significant: number): string {
  const n = Math.max(1, Math.min(Math.trunc(significant), 100_000));
  const hit = cache.get(n);
  if (hit !== undefined) return hit;
  const guard = 10;
  const unity = 10n ** BigInt(n + guard);
  const pi = 16n * arctanInverse(5n, unity) - 4n * arctanInverse(239n, unity);
  // pi is 3.14... scaled by 10^(n+guard): keep n digits, rounding half up on the rest.
  const digits = (pi + 5n * 10n ** BigInt(guard)) / 10n ** BigInt(guard + 1);
  const s = digits.toString();
  const out = n === 1 ? s : `${s[0]}.${s.slice(1)}`;
  cache.set(n, out);
  return out;
}
