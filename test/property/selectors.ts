// Label selectors as text plus the predicate kube's labels.Parse gives them, for comparing
// a server's filtered list (or watch) with the same filter applied to the model.
import fc from 'fast-check';
import { labelKey, labelValue, LABEL_VALUES } from './arbitraries.js';

export interface Selector {
  text: string;
  matches: (labels: Record<string, string>) => boolean;
}

const nonEmptyValue: fc.Arbitrary<string> = fc.constantFrom(...LABEL_VALUES.filter((v) => v !== ''));

const requirement: fc.Arbitrary<Selector> = fc.oneof(
  fc.tuple(labelKey, labelValue, fc.constantFrom('=', '==')).map(([k, v, op]) => ({ text: `${k}${op}${v}`, matches: (l: Record<string, string>) => l[k] === v })),
  // != and notin also match an object without the key (labels.Requirement.Matches).
  fc.tuple(labelKey, labelValue).map(([k, v]) => ({ text: `${k}!=${v}`, matches: (l: Record<string, string>) => l[k] !== v })),
  fc.tuple(labelKey, fc.uniqueArray(nonEmptyValue, { minLength: 1, maxLength: 3 })).map(([k, vs]) => ({
    text: `${k} in (${vs.join(',')})`, matches: (l: Record<string, string>) => k in l && vs.includes(l[k]),
  })),
  fc.tuple(labelKey, fc.uniqueArray(nonEmptyValue, { minLength: 1, maxLength: 3 })).map(([k, vs]) => ({
    text: `${k} notin (${vs.join(', ')})`, matches: (l: Record<string, string>) => !(k in l) || !vs.includes(l[k]),
  })),
  labelKey.map((k) => ({ text: k, matches: (l: Record<string, string>) => k in l })),
  labelKey.map((k) => ({ text: `!${k}`, matches: (l: Record<string, string>) => !(k in l) })),
);

/** Zero to three requirements, ANDed; the empty selector matches everything. */
export const labelSelector: fc.Arbitrary<Selector> = fc.array(requirement, { maxLength: 3 }).map((rs) => ({
  text: rs.map((r) => r.text).join(','),
  matches: (l: Record<string, string>) => rs.every((r) => r.matches(l)),
}));

/** Selector texts labels.Parse refuses. */
// ("a in ()" and "a==" parse: the empty value, as labels.Parse reads them.)
export const invalidLabelSelector = fc.constantFrom('a in (', '=x', 'a=b=c', 'a notin', '!', 'a,,b', 'a in (x', 'Inv@lid=x', 'a=(b)', 'a in (b c)');
