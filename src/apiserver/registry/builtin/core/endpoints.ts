// core/v1 Endpoints (ValidateEndpoints): addresses are real, non-special IPs, ports are named
// when there are several. Written by the endpoints controller, or by hand for a Service
// without a selector; an update may create it (AllowCreateOnUpdate).
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { isValidIP } from '../../../validation/names.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asArray, defaultString, objects, str, validateDNS1123Label, validateDNS1123Subdomain, type Obj } from '../fields.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';
import { validatePortNum } from './pod-validation.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** ValidateNonSpecialIP: endpoints may not point at unspecified, loopback or link-local addresses. */
export function nonSpecialIPErrors(ip: string, path: string): FieldError[] {
  const v4 = ip.split('.').map(Number);
  const isV4 = v4.length === 4 && v4.every((n) => Number.isInteger(n));
  const lower = ip.toLowerCase();
  if ((isV4 && v4.every((n) => n === 0)) || lower === '::') return [fieldError.invalid(path, ip, `may not be unspecified (${ip})`)];
  if ((isV4 && v4[0] === 127) || lower === '::1') return [fieldError.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if ((isV4 && v4[0] === 169 && v4[1] === 254) || lower.startsWith('fe80:')) {
    return [fieldError.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  }
  if ((isV4 && v4[0] === 224 && v4[1] === 0 && v4[2] === 0) || lower.startsWith('ff02:')) {
    return [fieldError.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  }
  return [];
}

function validateAddress(a: Obj, path: string): FieldError[] {
  const ip = str(a.ip);
  const msgs = isValidIP(ip);
  const errs = msgs.map((msg) => fieldError.invalid(`${path}.ip`, ip, msg));
  if (str(a.hostname)) errs.push(...validateDNS1123Label(str(a.hostname), `${path}.hostname`));
  if (typeof a.nodeName === 'string') errs.push(...validateDNS1123Subdomain(a.nodeName, `${path}.nodeName`));
  if (msgs.length === 0) errs.push(...nonSpecialIPErrors(ip, `${path}.ip`));
  return errs;
}

function validateEndpoints(ep: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  asArray(ep.subsets).forEach((item, i) => {
    const ss = (typeof item === 'object' && item !== null ? item : {}) as Obj;
    const path = `subsets[${i}]`;
    const addresses = objects(ss.addresses);
    const notReady = objects(ss.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) errs.push(fieldError.required(path, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, `${path}.addresses[${j}]`)));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, `${path}.notReadyAddresses[${j}]`)));
    const ports = objects(ss.ports);
    ports.forEach((p, j) => {
      const pp = `${path}.ports[${j}]`;
      const name = str(p.name);
      if (ports.length > 1 && !name) errs.push(fieldError.required(`${pp}.name`, ''));
      else if (name) errs.push(...validateDNS1123Label(name, `${pp}.name`));
      errs.push(...validatePortNum(p.port, `${pp}.port`));
      const protocol = str(p.protocol);
      if (!protocol) errs.push(fieldError.required(`${pp}.protocol`, ''));
      else if (!PROTOCOLS.includes(protocol)) errs.push(fieldError.notSupported(`${pp}.protocol`, protocol, PROTOCOLS));
    });
  });
  return errs;
}

/** formatEndpoints: up to three ip:port pairs, then "+ N more...". */
function endpointsCell(ep: KubeObject): string {
  const subsets = objects(ep.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const add = (s: string): void => {
    if (list.length === max) more = true;
    else list.push(s);
  };
  for (const ss of subsets) {
    const addresses = objects(ss.addresses);
    const ports = objects(ss.ports);
    if (ports.length === 0) {
      // A headless Service's endpoints may have no ports.
      count += addresses.length;
      for (const a of addresses) add(str(a.ip));
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) {
        const ip = str(a.ip);
        add(ip.includes(':') ? `[${ip}]:${String(p.port)}` : `${ip}:${String(p.port)}`);
      }
    }
  }
  const s = list.join(',');
  return more ? `${s} + ${count - max} more...` : s;
}

export function endpointsResource(): ResourceType {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'endpoints',
    kind: 'Endpoints',
    singularName: 'endpoints',
    shortNames: ['ep'],
    namespaced: true,
    openAPIDefinition: 'io.k8s.api.core.v1.Endpoints',
    strategy: {
      allowCreateOnUpdate: true,
      defaults(ep) {
        for (const ss of objects(ep.subsets)) for (const p of objects(ss.ports)) defaultString(p, 'protocol', 'TCP');
      },
      validate: validateEndpoints,
      validateUpdate: (ep) => validateEndpoints(ep),
    },
    printer: {
      columns: [nameColumn, column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), ageColumn],
      cells: (ep, now) => [ep.metadata.name, endpointsCell(ep), age(ep, now)],
    },
  });
}
