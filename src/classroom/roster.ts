// Who is in the class: `--students N` names them student-1 ... student-N; `--roster FILE`
// lists them, one per line. Each name becomes a namespace and a user name, so it must be a
// valid namespace name (a DNS-1123 label), unique, and not one of the cluster's own.

/** Namespaces a student may not be given: the cluster's own (kube-*, default), and kubesim's. */
const RESERVED = /^(default|kube-.*|kubesim-.*)$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class RosterError extends Error {}

/** student-1 ... student-N. */
export function numberedStudents(n: number): string[] {
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new RosterError(`--students must be a whole number from 1 to 1000, not ${n}`);
  return Array.from({ length: n }, (_, i) => `student-${i + 1}`);
}

/**
 * The names in a roster file: one per line; blank lines and lines starting with # are
 * skipped; surrounding spaces are trimmed. Every problem is reported at once, by line.
 */
export function parseRoster(text: string, file = 'roster'): string[] {
  const names: string[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const name = raw.trim();
    const line = i + 1;
    if (name === '' || name.startsWith('#')) return;
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      problems.push(`${file}:${line}: "${name}" is not a valid name: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`);
    } else if (RESERVED.test(name)) {
      problems.push(`${file}:${line}: "${name}" is a namespace the cluster keeps for itself`);
    } else if (seen.has(name)) {
      problems.push(`${file}:${line}: "${name}" is already on line ${seen.get(name)}`);
    } else {
      seen.set(name, line);
      names.push(name);
    }
  });
  if (problems.length) throw new RosterError(problems.join('\n'));
  if (names.length === 0) throw new RosterError(`${file}: no names (one per line; # starts a comment)`);
  return names;
}
