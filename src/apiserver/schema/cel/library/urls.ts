// Kubernetes' URL library: url(string), isURL(string) and the URL accessors getScheme,
// getHost, getHostname, getPort, getEscapedPath, getQuery. Parsing follows Go's
// url.ParseRequestURI (an absolute URI or an absolute path, no fragment), not WHATWG URL,
// which would normalise (lowercase hosts, add "/" paths) where Go keeps the text as written.

import type { Environment } from '@marcbachmann/cel-js';
import { celError } from '../values.js';

export class URLValue {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly rawQuery: string,
  ) {}
}

/** Go's url.ParseRequestURI; a string is the Go error text. */
export function parseRequestURI(raw: string): URLValue | string {
  const fail = (why: string) => `parse ${JSON.stringify(raw)}: ${why}`;
  if (raw === '') return fail('empty url');
  if (/[\x00-\x1f\x7f]/.test(raw)) return fail('net/url: invalid control character in URL');
  let rest = raw;
  let scheme = '';
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (sm) {
    scheme = sm[1]!.toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (/^[^/?]*:/.test(rest) && !rest.startsWith('/')) {
    return fail('missing protocol scheme');
  }
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return new URLValue(scheme, '', '', rawQuery); // opaque, e.g. mailto:x
    return fail('invalid URI for request');
  }
  let host = '';
  if (scheme !== '' && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    host = authority.slice(authority.lastIndexOf('@') + 1);
    if (host.includes('%') && !/^\[[^\]]*%25/.test(host)) return fail(`invalid URL escape "${host.slice(host.indexOf('%'), host.indexOf('%') + 3)}"`);
    const port = /:([^\]]*)$/.exec(host.startsWith('[') ? host.slice(host.indexOf(']') + 1) : host);
    if (port && !/^\d*$/.test(port[1]!)) return fail(`invalid port ${JSON.stringify(':' + port[1])} after host`);
  }
  const badEscape = /%(?![0-9a-fA-F]{2})/.exec(rest);
  if (badEscape) return fail(`invalid URL escape ${JSON.stringify(rest.slice(badEscape.index, badEscape.index + 3))}`);
  return new URLValue(scheme, host, rest, rawQuery);
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host.slice(1) : host.slice(1, end);
  }
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function port(host: string): string {
  const tail = host.startsWith('[') ? host.slice(host.indexOf(']') + 1) : host;
  const colon = tail.indexOf(':');
  return colon < 0 ? '' : tail.slice(colon + 1);
}

/** url.ParseQuery as URL.Query() uses it: pairs that do not decode are dropped. */
function query(raw: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of raw.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    try {
      const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
      const k = dec(eq < 0 ? pair : pair.slice(0, eq));
      const v = eq < 0 ? '' : dec(pair.slice(eq + 1));
      out.set(k, [...(out.get(k) ?? []), v]);
    } catch {
      continue;
    }
  }
  return out;
}

export function registerURLs(env: Environment): void {
  env.registerType('kubernetes.URL', URLValue);
  env.registerFunction('url(string): kubernetes.URL', (s: string) => {
    const u = parseRequestURI(s);
    if (typeof u === 'string') throw celError(`URL parse error during conversion from string: ${u}`);
    return u;
  });
  env.registerFunction('isURL(string): bool', (s: string) => typeof parseRequestURI(s) !== 'string');
  env.registerFunction('kubernetes.URL.getScheme(): string', (u: URLValue) => u.scheme);
  env.registerFunction('kubernetes.URL.getHost(): string', (u: URLValue) => u.host);
  env.registerFunction('kubernetes.URL.getHostname(): string', (u: URLValue) => hostname(u.host));
  env.registerFunction('kubernetes.URL.getPort(): string', (u: URLValue) => port(u.host));
  env.registerFunction('kubernetes.URL.getEscapedPath(): string', (u: URLValue) => u.path);
  env.registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', (u: URLValue) => query(u.rawQuery));
}
