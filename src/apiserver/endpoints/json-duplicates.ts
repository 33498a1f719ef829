// Finds keys that appear twice in one JSON object, which JSON.parse silently resolves to
// the last one; kube-apiserver's strict decoder reports them as `duplicate field "a.b"`.
// A small scanner over already-valid JSON text (JSON.parse has accepted it). It runs on every
// write, so it reads char codes, skips strings with indexOf, decodes a key only when it holds
// an escape, and builds a field path only for a duplicate it reports.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Where a value sits: its parent's place and its own key or index, joined only on a report. */
interface Place {
  parent: Place | undefined;
  key: string | number;
}

function pathOf(place: Place | undefined): string {
  let out = '';
  for (let p = place; p; p = p.parent) {
    out = typeof p.key === 'number' ? `[${p.key}]${out}` : p.parent ? `.${p.key}${out}` : `${p.key}${out}`;
  }
  return out;
}

export function findDuplicateKeys(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  // The next backslash at or after the last string's start, found once per region, not per string.
  let nextSlash = -1;
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  };
  /** Skips the string starting at i (a quote); returns whether it holds an escape. */
  const skipString = (): boolean => {
    const start = i + 1;
    let j = start;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) throw new Error('unterminated string');
      // A quote after an odd run of backslashes is escaped, not the end.
      let backslashes = 0;
      for (let k = q - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
      j = q + 1;
      if (backslashes % 2 === 0) break;
    }
    i = j;
    if (nextSlash < start) {
      const at = text.indexOf('\\', start);
      nextSlash = at < 0 ? Infinity : at;
    }
    return nextSlash < j;
  };
  const key = (): string => {
    const start = i;
    const escaped = skipString();
    return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
  };
  const value = (place: Place | undefined): void => {
    ws();
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE) {
      i++;
      ws();
      if (text.charCodeAt(i) === CLOSE_BRACE) {
        i++;
        return;
      }
      const seen = new Set<string>();
      for (;;) {
        ws();
        const k = key();
        const child: Place = { parent: place, key: k };
        if (seen.has(k)) out.push(pathOf(child));
        else seen.add(k);
        ws();
        i++; // ':'
        value(child);
        ws();
        if (text.charCodeAt(i) === COMMA) {
          i++;
          continue;
        }
        i++; // '}'
        return;
      }
    }
    if (c === OPEN_BRACKET) {
      i++;
      ws();
      if (text.charCodeAt(i) === CLOSE_BRACKET) {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        value({ parent: place, key: index });
        ws();
        if (text.charCodeAt(i) === COMMA) {
          i++;
          continue;
        }
        i++; // ']'
        return;
      }
    }
    if (c === QUOTE) {
      skipString();
      return;
    }
    // A number, true, false or null: up to the next delimiter.
    for (let d = text.charCodeAt(i); i < n && d !== COMMA && d !== CLOSE_BRACE && d !== CLOSE_BRACKET && d !== 0x20 && d !== 0x0a && d !== 0x0d && d !== 0x09; d = text.charCodeAt(++i));
  };
  try {
    value(undefined);
  } catch {
    return out;
  }
  return out;
}
