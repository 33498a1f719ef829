// Compares a command's output with the walk-through's expected output by shape: the words
// and the columns must match, the parts that differ on every run must not. Both sides go
// through the same normalisation, so the docs can show real-looking output (an AGE of 5s,
// a pod named my-new-cron-object-xk2p9) and still match a run where they differ.

/**
 * Volatile tokens, replaced on both sides. Generated name suffixes use the alphabet of
 * apimachinery's rand.String / SafeEncodeString (no vowels, no 0 1 3), so ordinary words
 * after a dash are left alone.
 */
const VOLATILE: [RegExp, string][] = [
  [/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\b/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uid>'],
  [/\/\S*\/\.kubesim\/kubeconfig\b/g, '<dir>/.kubesim/kubeconfig'],
  [/\b(127\.0\.0\.1|localhost):\d+/g, '$1:<port>'],
  [/\bkubesim \d+\.\d+\.\d+\S*/g, 'kubesim <version>'],
  [/(resourceVersion"?:\s*"?)\d+/g, '$1<rv>'],
  [/(Resource Version:\s+)\d+/g, '$1<rv>'],
  // A Service's ClusterIP is picked at random from the service range (10.96.0.0/12).
  [/\b10\.(9[6-9]|10\d|11[01])\.\d{1,3}\.\d{1,3}\b/g, '<cluster-ip>'],
  [/-[bcdfghjklmnpqrstvwxz2456789]{5,10}(?![a-z0-9])/g, '-<id>'],
  // AGE, DURATION, LAST SEEN: 0s, 45s, 3m12s, 2d4h.
  [/(?<![\w.:/-])\d+(ms|s|m|h|d|y)(\d+(s|m|h))?(?![\w.:/-])/g, '<age>'],
];

/** One line in a comparable form: volatile tokens replaced, column padding collapsed. */
export function normaliseLine(line: string): string {
  let out = line;
  for (const [pattern, replacement] of VOLATILE) out = out.replace(pattern, replacement);
  // kubectl's tabwriter pads columns to the widest cell; the width follows the values.
  return out.replace(/\t| {2,}/g, '  ').replace(/\s+$/, '');
}

/**
 * The output's lines, normalised, without leading and trailing blank lines, and a run of
 * blank lines counted as one (kubectl explain puts two after FIELD since 1.28, one before).
 */
export function normaliseOutput(text: string): string[] {
  const lines = text
    .split('\n')
    // kubectl rollout status prints progress until the rollout is done; how many lines depends
    // on when it ran, the last line (the outcome) does not.
    .filter((line) => !/^Waiting for (deployment|daemon set|statefulset|rollout) .* to finish/.test(line))
    .map(normaliseLine)
    .filter((line, i, all) => line !== '' || i === 0 || all[i - 1] !== '');
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** True when `actual` has the shape of `expected`; a line `...` in expected matches any lines. */
export function matchesShape(expected: string, actual: string): boolean {
  const want = normaliseOutput(expected);
  const got = normaliseOutput(actual);
  // match(i, j): want[i..] matches got[j..]; memoised, as `...` can stand for any count.
  const memo = new Map<string, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === want.length) result = j === got.length;
    else if (want[i] === '...') result = match(i + 1, j) || (j < got.length && match(i, j + 1));
    else result = j < got.length && want[i] === got[j] && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** The first line where `actual` departs from `expected`, for a failure message; undefined with `...` lines. */
export function firstDifference(expected: string, actual: string): string | undefined {
  const want = normaliseOutput(expected);
  const got = normaliseOutput(actual);
  if (want.includes('...')) return undefined;
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return `line ${i + 1} (normalised): expected ${JSON.stringify(want[i] ?? '(end of output)')}, got ${JSON.stringify(got[i] ?? '(end of output)')}`;
  }
  return undefined;
}
