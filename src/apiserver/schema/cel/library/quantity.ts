// Kubernetes' quantity library: quantity("1.5Gi"), isQuantity, and the Quantity methods sign,
// isInteger, asInteger, asApproximateFloat, add, sub, compareTo, isGreaterThan, isLessThan,
// plus equality, over src/apimachinery/quantity.ts (exact, resource.ParseQuantity's wording).

import type { Environment } from '@marcbachmann/cel-js';
import { parseQuantity, Quantity } from '../../../../apimachinery/quantity.js';
import { celError } from '../values.js';

function quantityOf(s: string): Quantity {
  const q = parseQuantity(s);
  if (typeof q === 'string') throw celError(q);
  return q;
}

export function registerQuantity(env: Environment): void {
  env.registerType('kubernetes.Quantity', Quantity);
  env.registerFunction('quantity(string): kubernetes.Quantity', quantityOf);
  env.registerFunction('isQuantity(string): bool', (s: string) => typeof parseQuantity(s) !== 'string');
  env.registerFunction('kubernetes.Quantity.sign(): int', (q: Quantity) => (q.unscaled > 0n ? 1n : q.unscaled < 0n ? -1n : 0n));
  env.registerFunction('kubernetes.Quantity.isInteger(): bool', (q: Quantity) => q.asInt64() !== undefined);
  env.registerFunction('kubernetes.Quantity.asInteger(): int', (q: Quantity) => {
    const v = q.asInt64();
    if (v === undefined) throw celError('cannot convert value to integer');
    return v;
  });
  env.registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (q: Quantity) => Number(`${q.unscaled}e-${q.scale}`));
  env.registerFunction('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.add(b));
  env.registerFunction('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.add(new Quantity(b, 0)));
  env.registerFunction('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) =>
    a.add(new Quantity(-b.unscaled, b.scale)),
  );
  env.registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.add(new Quantity(-b, 0)));
  env.registerFunction('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: Quantity, b: Quantity) => BigInt(a.cmp(b)));
  env.registerFunction('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.cmp(b) > 0);
  env.registerFunction('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.cmp(b) < 0);
  env.registerOperator('kubernetes.Quantity == kubernetes.Quantity', (a: Quantity, b: Quantity) => a.cmp(b) === 0);
}
