// Kubernetes' IP and CIDR libraries: ip(), isIP(), ip.isCanonical(), IP.family(),
// isUnspecified(), isLoopback(), isLinkLocalMulticast(), isLinkLocalUnicast(),
// isGlobalUnicast(), cidr(), isCIDR(), CIDR.containsIP(), containsCIDR(), ip(), masked(),
// prefixLength(), string() and equality. Parsing follows Go's netip as kube uses it: no
// zones, no IPv4-mapped IPv6, no leading zeros in IPv4 octets.

import type { Environment } from '@marcbachmann/cel-js';
import { celError } from '../values.js';

export class IP {
  constructor(readonly bytes: Uint8Array) {}
  get family(): 4 | 6 {
    return this.bytes.length === 4 ? 4 : 6;
  }
  toString(): string {
    if (this.family === 4) return [...this.bytes].join('.');
    const words = Array.from({ length: 8 }, (_, i) => (this.bytes[2 * i]! << 8) | this.bytes[2 * i + 1]!);
    // RFC 5952 (netip's String): the longest run of two or more zero words becomes "::".
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && words[j] === 0) j++;
      if (j - i > bestLen) [best, bestLen] = [i, j - i];
      i = j === i ? i + 1 : j;
    }
    const hex = words.map((w) => w.toString(16));
    if (best < 0) return hex.join(':');
    return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
  }
}

export class CIDR {
  constructor(
    readonly ip: IP,
    readonly prefix: number,
  ) {}
  contains(ip: IP): boolean {
    if (ip.family !== this.ip.family) return false;
    for (let bit = 0; bit < this.prefix; bit++) {
      const mask = 0x80 >> bit % 8;
      if ((ip.bytes[bit >> 3]! & mask) !== (this.ip.bytes[bit >> 3]! & mask)) return false;
    }
    return true;
  }
  masked(): CIDR {
    const b = Uint8Array.from(this.ip.bytes);
    for (let bit = this.prefix; bit < b.length * 8; bit++) b[bit >> 3]! &= ~(0x80 >> bit % 8);
    return new CIDR(new IP(b), this.prefix);
  }
  toString(): string {
    return `${this.ip}/${this.prefix}`;
  }
}

function parseIPv4(s: string): Uint8Array | string {
  const parts = s.split('.');
  if (parts.length !== 4) return 'unable to parse IP';
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p)) return 'unable to parse IP';
    if (p.length > 1 && p.startsWith('0')) return 'IPv4 field has octet with leading zero';
    if (Number(p) > 255) return 'IPv4 field has value >255';
    out[i] = Number(p);
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | string {
  let head = s;
  let tail: number[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = parseIPv4(v4[1]!);
    if (typeof b === 'string') return b;
    tail = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
    head = s.slice(0, -v4[1]!.length); // ends with ':'; keep a trailing '::'
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return 'unable to parse IP';
  const words = (part: string) => (part === '' ? [] : part.split(':'));
  const left = words(halves[0]!);
  const right = halves.length === 2 ? words(halves[1]!) : [];
  if ([...left, ...right].some((w) => !/^[0-9a-fA-F]{1,4}$/.test(w))) return 'unable to parse IP';
  const given = left.length + right.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return 'unable to parse IP';
  const all = [...left.map((w) => parseInt(w, 16)), ...Array(8 - given).fill(0), ...right.map((w) => parseInt(w, 16)), ...tail];
  return Uint8Array.from(all.flatMap((w) => [w >> 8, w & 0xff]));
}

/** kube's parseIPAddr: an IP, or the error text. */
export function parseIP(raw: string): IP | string {
  if (raw.includes('%')) {
    return typeof parseIPBytes(raw.slice(0, raw.indexOf('%'))) === 'string'
      ? `IP Address ${JSON.stringify(raw)} parse error during conversion from string: ParseAddr(${JSON.stringify(raw)}): unable to parse IP`
      : `IP address ${JSON.stringify(raw)} with zone value is not allowed`;
  }
  const b = parseIPBytes(raw);
  if (typeof b === 'string') return `IP Address ${JSON.stringify(raw)} parse error during conversion from string: ParseAddr(${JSON.stringify(raw)}): ${b}`;
  if (b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) {
    return `IPv4-mapped IPv6 address ${JSON.stringify(raw)} is not allowed`;
  }
  return new IP(b);
}

function parseIPBytes(s: string): Uint8Array | string {
  if (s === '') return 'unable to parse IP';
  return s.includes(':') ? parseIPv6(s) : parseIPv4(s);
}

export function parseCIDR(raw: string): CIDR | string {
  const fail = (why: string) => `network address ${JSON.stringify(raw)} parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(raw)}): ${why}`;
  const slash = raw.lastIndexOf('/');
  if (slash < 0) return fail('no \'/\'');
  const ip = parseIP(raw.slice(0, slash));
  if (typeof ip === 'string') return raw.includes('%') ? `network address ${JSON.stringify(raw)} with zone value is not allowed` : fail('ParseAddr: unable to parse IP');
  const bits = raw.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(bits) || Number(bits) > ip.bytes.length * 8) return fail(`bad bits after slash: ${JSON.stringify(bits)}`);
  return new CIDR(ip, Number(bits));
}

function must<T>(v: T | string): T {
  if (typeof v === 'string') throw celError(v);
  return v;
}

class IPNamespace {}

export function registerIP(env: Environment): void {
  env.registerType('net.IP', IP);
  env.registerType('net.CIDR', CIDR);
  env.registerType('kubernetes.ip', IPNamespace);
  env.registerConstant('ip', 'kubernetes.ip', new IPNamespace());
  env.registerFunction('ip(string): net.IP', (s: string) => must(parseIP(s)));
  env.registerFunction('isIP(string): bool', (s: string) => typeof parseIP(s) !== 'string');
  env.registerFunction('kubernetes.ip.isCanonical(string): bool', (_ns: unknown, s: string) => must(parseIP(s)).toString() === s);
  env.registerFunction('net.IP.family(): int', (ip: IP) => BigInt(ip.family));
  env.registerFunction('net.IP.isUnspecified(): bool', (ip: IP) => ip.bytes.every((b) => b === 0));
  env.registerFunction('net.IP.isLoopback(): bool', (ip: IP) =>
    ip.family === 4 ? ip.bytes[0] === 127 : ip.bytes.slice(0, 15).every((b) => b === 0) && ip.bytes[15] === 1,
  );
  env.registerFunction('net.IP.isLinkLocalMulticast(): bool', (ip: IP) =>
    ip.family === 4 ? ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0 : ip.bytes[0] === 0xff && (ip.bytes[1]! & 0x0f) === 0x02,
  );
  env.registerFunction('net.IP.isLinkLocalUnicast(): bool', (ip: IP) =>
    ip.family === 4 ? ip.bytes[0] === 169 && ip.bytes[1] === 254 : ip.bytes[0] === 0xfe && (ip.bytes[1]! & 0xc0) === 0x80,
  );
  env.registerFunction('net.IP.isGlobalUnicast(): bool', (ip: IP) => {
    const b = ip.bytes;
    if (ip.family === 4) {
      if (b.every((x) => x === 0) || b.every((x) => x === 255)) return false;
      return !(b[0] === 127 || b[0]! >= 224 || (b[0] === 169 && b[1] === 254));
    }
    const unspecified = b.every((x) => x === 0);
    const loopback = b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
    return !(unspecified || loopback || b[0] === 0xff || (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80));
  });
  env.registerFunction('string(net.IP): string', (ip: IP) => ip.toString());
  env.registerOperator('net.IP == net.IP', (a: IP, b: IP) => a.toString() === b.toString());

  env.registerFunction('cidr(string): net.CIDR', (s: string) => must(parseCIDR(s)));
  env.registerFunction('isCIDR(string): bool', (s: string) => typeof parseCIDR(s) !== 'string');
  env.registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CIDR, ip: IP) => c.contains(ip));
  env.registerFunction('net.CIDR.containsIP(string): bool', (c: CIDR, s: string) => c.contains(must(parseIP(s))));
  const containsCIDR = (c: CIDR, o: CIDR) => o.prefix >= c.prefix && c.contains(o.ip);
  env.registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', containsCIDR);
  env.registerFunction('net.CIDR.containsCIDR(string): bool', (c: CIDR, s: string) => containsCIDR(c, must(parseCIDR(s))));
  env.registerFunction('net.CIDR.ip(): net.IP', (c: CIDR) => c.ip);
  env.registerFunction('net.CIDR.masked(): net.CIDR', (c: CIDR) => c.masked());
  env.registerFunction('net.CIDR.prefixLength(): int', (c: CIDR) => BigInt(c.prefix));
  env.registerFunction('string(net.CIDR): string', (c: CIDR) => c.toString());
  env.registerOperator('net.CIDR == net.CIDR', (a: CIDR, b: CIDR) => a.toString() === b.toString());
}
