// fast-check generators for Kubernetes inputs: valid ones drawn from small pools (so names,
// label keys and data keys collide and updates, selectors and conflicts meet each other), and
// invalid ones that kube-apiserver's validation must refuse (apimachinery/pkg/util/validation).
import fc from 'fast-check';

export const NAMES = ['a', 'b', 'c', 'web-1', 'x.y'] as const;
export const LABEL_KEYS = ['app', 'tier', 'example.com/team', 'k8s.io/x_y', 'a-b.c'] as const;
export const LABEL_VALUES = ['', 'v1', 'v2', 'A.b-c_d', 'z'] as const;
export const DATA_KEYS = ['a', 'b', 'c.d', 'e_f', '-g', 'hH'] as const;

export const name = fc.constantFrom(...NAMES);
export const labelKey = fc.constantFrom(...LABEL_KEYS);
export const labelValue = fc.constantFrom(...LABEL_VALUES);
export const dataKey = fc.constantFrom(...DATA_KEYS);
/** Any well-formed text: unicode graphemes, JSON's special characters, empty. */
export const dataValue = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('', '"', '\\', '\n', 'null', '{}'));

export const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 4 });
export const data = fc.dictionary(dataKey, dataValue, { maxKeys: 4 });
/** A merge patch of a string map: a value sets the key, null removes it. */
export const mapPatch = <T>(key: fc.Arbitrary<string>, value: fc.Arbitrary<T>) => fc.dictionary(key, fc.option(value, { nil: null }), { maxKeys: 3 });

/** Names kube refuses as a DNS-1123 subdomain (metadata.name of most kinds). */
export const invalidName = fc.oneof(
  fc.constantFrom('Upper', 'under_score', '-lead', 'trail-', 'a..b', '.dot', 'sp ace', 'é', 'a/b'),
  fc.integer({ min: 254, max: 400 }).map((n) => 'a'.repeat(n)),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s) && !s.includes('/') && !s.includes('%') && s !== '.' && s !== '..' && s.trim() === s && !/[?#\\]/.test(s)),
);

/** Label values kube refuses: over 63 characters, or not [A-Za-z0-9._-] framed by alphanumerics. */
export const invalidLabelValue = fc.oneof(
  fc.constantFrom('-x', 'x-', 'a b', 'a/b', 'ü', '_a', 'a.'),
  fc.integer({ min: 64, max: 300 }).map((n) => 'v'.repeat(n)),
);

/** Label keys kube refuses: empty name, bad prefix, over 63 characters in the name. */
export const invalidLabelKey = fc.oneof(
  fc.constantFrom('', '/x', 'UPPER.com/x', 'a/', 'a/b/c', '-x', 'x-', 'sp ace'),
  fc.integer({ min: 64, max: 200 }).map((n) => 'k'.repeat(n)),
);

/** JSON values that are not strings (what a ConfigMap's data refuses). */
export const nonString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null).map(() => ({ x: 1 })), fc.constant([1, 2]), fc.double({ noNaN: true, noDefaultInfinity: true }));
