// The string formats a custom resource's schema may use, checked the way kube-apiserver checks
// them: apiextensions-apiserver's supported-format list (pkg/apiserver/validation/formats.go;
// any other format is stripped from the schema, so it validates nothing) with the checks of
// kube-openapi's strfmt registry (pkg/validation/strfmt, its forked govalidator and Go's
// net, net/url and time parsers). Written from those rules; Node's own parsers differ in edge
// cases (leading zeros in IPv4, zones in IPv6), which is why they are not used directly.
import { isIPv6 } from 'node:net';

type Check = (s: string) => boolean;

const hex = '[0-9a-fA-F]';

/** IPv4 as netutils.ParseIPSloppy reads it: four decimal octets, leading zeros tolerated. */
function isSloppyIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
}

/** net.ParseIP: an IPv4 or IPv6 literal without a zone. */
function parsesAsIP(s: string): boolean {
  if (isSloppyIPv4(s)) return true;
  if (s.includes('%')) return false;
  // An IPv6 with an embedded IPv4 may have leading zeros in the IPv4 part (sloppy parsing).
  const embedded = /^(.*:)([0-9.]+)$/.exec(s);
  if (embedded && embedded[2]!.includes('.')) {
    if (!isSloppyIPv4(embedded[2]!)) return false;
    return isIPv6(`${embedded[1]}0.0.0.0`);
  }
  return isIPv6(s);
}

function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(bits)) return false;
  if (isSloppyIPv4(ip)) return Number(bits) <= 32;
  return parsesAsIP(ip) && ip.includes(':') && Number(bits) <= 128;
}

/** net.ParseMAC: 6, 8 or 20 octets, as xx:xx.., xx-xx.. or xxxx.xxxx.. */
function isMAC(s: string): boolean {
  for (const n of [6, 8, 20]) {
    if (new RegExp(`^${hex}{2}(:${hex}{2}){${n - 1}}$`).test(s)) return true;
    if (new RegExp(`^${hex}{2}(-${hex}{2}){${n - 1}}$`).test(s)) return true;
    if (new RegExp(`^${hex}{4}(\\.${hex}{4}){${n / 2 - 1}}$`).test(s)) return true;
  }
  return false;
}

/** time.Parse("2006-01-02", s): the calendar date must exist. */
function isDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** strfmt.IsDateTime: a full date, "t", then hh:mm:ss[.frac](z|±hh:mm), compared loosely. */
function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0]!)) return false;
  // The '.' before the fraction is unescaped upstream, so any character is accepted there.
  const m = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/u.exec(parts[1]!);
  return !!m && m[1]! <= '23' && m[2]! <= '59' && m[3]! <= '59';
}

const goDurationUnit = '(ns|us|\u00b5s|\u03bcs|ms|s|m|h)';
const goDuration = new RegExp(`^[-+]?(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)${goDurationUnit})+$`, 'u');
// strfmt's Scala-style units: the last spelling of each may be extended ("hours", "nanos").
const scalaUnits = [['ns', 'nano'], ['us', 'µs', 'micro'], ['ms', 'milli'], ['s', 'sec'], ['m', 'min'], ['h', 'hr', 'hour'], ['d', 'day'], ['w', 'wk', 'week']];

/** strfmt.ParseDuration: Go's time.ParseDuration, else "3 days", "2h 5 min" and the like. */
function isDuration(s: string): boolean {
  if (s === '0' || s === '+0' || s === '-0' || goDuration.test(s)) return true;
  let ok = false;
  for (const m of s.matchAll(/(((?:-\s?)?\d+)\s*([A-Za-zµ]+))/gu)) {
    const digits = m[2]!.replace(/^-/, '').trim();
    if (!Number.isSafeInteger(Number(digits))) return false; // strconv.Atoi overflow
    const unit = m[3]!.trim().toLowerCase();
    for (const variants of scalaUnits) {
      variants.forEach((v, i) => {
        if ((i === variants.length - 1 && unit.startsWith(v)) || v === unit) ok = true;
      });
    }
  }
  return ok;
}

/** url.ParseRequestURI: an absolute URI or an absolute path, no control bytes, valid escapes. */
function isRequestURI(s: string): boolean {
  if (s === '' || /[\x00-\x1f\x7f]/.test(s) || /%(?![0-9a-fA-F]{2})/.test(s)) return false;
  if (s.startsWith('/')) return true;
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:(.*)$/s.exec(s);
  if (!m) return false;
  const rest = m[1]!;
  if (!rest.startsWith('//')) return true; // opaque ("mailto:x") or an absolute path
  const authority = rest.slice(2).split(/[/?]/, 1)[0]!;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort.startsWith('[')) return /^\[[0-9a-fA-F:.]+(%25[^\]]*)?\](:[0-9]*)?$/.test(hostPort);
  return /^[A-Za-z0-9\-._~!$&'()*+,;=%]*(:[0-9]*)?$/.test(hostPort);
}

/** net/mail.ParseAddress, for the forms people write: a@b.c or Name <a@b.c>. */
function isEmail(s: string): boolean {
  const atom = '[^\\s()<>\\[\\]:;@\\\\,."\\x00-\\x1f]+';
  const dotAtom = `${atom}(\\.${atom})*`;
  const addr = `(${dotAtom}|"([^"\\\\]|\\\\.)*")@(${dotAtom}|\\[[^\\[\\]\\\\]*\\])`;
  return new RegExp(`^\\s*(${addr}|[^<>]*<${addr}>)\\s*$`, 'u').test(s);
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function isISBN(s: string, size: 10 | 13): boolean {
  const v = s.replace(/[\s-]/g, '');
  if (size === 10) {
    if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(v)) return false;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += (i + 1) * Number(v[i]);
    sum += v[9] === 'X' ? 100 : 10 * Number(v[9]);
    return sum % 11 === 0;
  }
  if (!/^[0-9]{13}$/.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(v[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(v[12]);
}

const hostname =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const octet = '(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])';

/** The formats kube-apiserver validates, keyed by name with dashes removed (go-openapi's normalisation). */
export const kubeFormats: Readonly<Record<string, Check>> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: isRequestURI,
  email: isEmail,
  hostname: (s) => hostname.test(s) && Buffer.byteLength(s) <= 255 && s.split('.').every((p) => Buffer.byteLength(p) <= 63),
  ipv4: (s) => parsesAsIP(s) && s.includes('.'),
  ipv6: (s) => parsesAsIP(s) && s.includes(':'),
  cidr: isCIDR,
  mac: isMAC,
  uuid: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  uuid3: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  uuid4: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(s),
  uuid5: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(s),
  isbn: (s) => isISBN(s, 10) || isISBN(s, 13),
  isbn10: (s) => isISBN(s, 10),
  isbn13: (s) => isISBN(s, 13),
  creditcard: (s) => {
    const d = s.replace(/[^0-9]/g, '');
    return /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/.test(d) && luhn(d);
  },
  ssn: (s) => s.length === 11 && /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
  hexcolor: (s) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s),
  rgbcolor: (s) => new RegExp(`^rgb\\(\\s*${octet}\\s*,\\s*${octet}\\s*,\\s*${octet}\\s*\\)$`).test(s),
  byte: (s) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(s),
  password: () => true,
  date: isDate,
  duration: isDuration,
  datetime: isDateTime,
};

/**
 * The registry name a schema's format validates as, or undefined when kube-apiserver strips it
 * (StripUnsupportedFormatsPostProcess): int32, int64, float, double, binary and anything unknown.
 */
export function supportedFormat(format: string | undefined): string | undefined {
  if (!format) return undefined;
  const normalized = format.replaceAll('-', '');
  return Object.hasOwn(kubeFormats, normalized) ? normalized : undefined;
}
