// Keys and sizes of ConfigMap and Secret data (k8s.io/apimachinery pkg/util/validation
// IsConfigMapKey; core validation's MaxSecretSize), and Go's standard base64 decoder's
// errors, since a Secret's data values are base64 in JSON.
import { DNS1123_SUBDOMAIN_MAX_LENGTH, maxLenError, regexError } from '../../../validation/names.js';

const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_KEY_RE = new RegExp(`^${CONFIG_KEY_FMT}$`);

/** MaxSecretSize: the data of a Secret or ConfigMap together may not exceed 1 MiB. */
export const MAX_SECRET_SIZE = 1024 * 1024;

/** validation.IsConfigMapKey: a file name a volume can project, so no "." or ".." either. */
export function isConfigMapKey(v: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(v, 'utf8') > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!CONFIG_KEY_RE.test(v)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (v === '.') errs.push("must not be '.'");
  else if (v === '..') errs.push("must not be '..'");
  else if (v.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Where Go's base64.StdEncoding would stop decoding `s`, as its CorruptInputError offset, or
 * undefined when `s` decodes. Padding is required; CR and LF are skipped, as in Go.
 */
export function base64ErrorOffset(s: string): number | undefined {
  let si = 0;
  const n = s.length;
  const isNewline = (c: string | undefined): boolean => c === '\n' || c === '\r';
  while (si < n) {
    // One quantum: up to four alphabet characters, ended early only by padding.
    let j = 0;
    while (j < 4) {
      if (si === n) {
        if (j === 0) return undefined;
        return si - j;
      }
      const c = s[si]!;
      si++;
      if (ALPHABET.includes(c)) {
        j++;
        continue;
      }
      if (isNewline(c)) continue;
      if (c !== '=') return si - 1;
      // Padding: only after two or three characters of a quantum.
      if (j < 2) return si - 1;
      if (j === 2) {
        while (si < n && isNewline(s[si])) si++;
        if (si === n) return n;
        if (s[si] !== '=') return si - 1;
        si++;
      }
      while (si < n && isNewline(s[si])) si++;
      return si < n ? si : undefined;
    }
  }
  return undefined;
}
