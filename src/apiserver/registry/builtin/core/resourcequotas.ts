// core/v1 ResourceQuota (pkg/registry/core/resourcequota + ValidateResourceQuota): spec.hard
// names a quota resource and a non-negative quantity for each; status (hard and used) belongs
// to the resourcequota controller, written through resourcequotas/status. Printed as kube
// prints it: "pods: 1/10, requests.cpu: 500m/2" under REQUEST, limits.* under LIMIT.
import type { KubeObject } from '../../../object.js';
import { parseQuantity } from '../../../../apimachinery/quantity.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, keepAllButStatus, keepStatus, keyPath } from '../fields.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';
import { formatQuantity, parseResourceList } from '../../../../quota/resource-list.js';

const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];

/** A resource name: a qualified name, at most one "/" (count/deployments.apps, example.com/gpu). */
function validateResourceName(name: string, path: string): FieldError[] {
  if (!/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9](\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(name)) {
    return [fieldError.invalid(path, name, "must be a standard resource type or fully qualified")];
  }
  return [];
}

function validateResourceList(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, v] of Object.entries(asObj(list) ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const p = keyPath(path, name);
    errs.push(...validateResourceName(name, p));
    const q = typeof v === 'string' ? parseQuantity(v.trim()) : typeof v === 'number' ? parseQuantity(String(v)) : 'must be a quantity';
    if (typeof q === 'string') errs.push(fieldError.invalid(p, v, q));
    else if (q.unscaled < 0n) errs.push(fieldError.invalid(p, v, 'must be greater than or equal to 0'));
  }
  return errs;
}

function validateResourceQuota(rq: KubeObject): FieldError[] {
  const spec = asObj(rq.spec) ?? {};
  const errs = validateResourceList(spec.hard, 'spec.hard');
  const scopes = Array.isArray(spec.scopes) ? spec.scopes : [];
  scopes.forEach((s, i) => {
    if (!SCOPES.includes(s as string)) errs.push(fieldError.notSupported(`spec.scopes[${i}]`, s, SCOPES));
  });
  return errs;
}

function validateResourceQuotaStatus(rq: KubeObject): FieldError[] {
  const status = asObj(rq.status) ?? {};
  return [...validateResourceList(status.hard, 'status.hard'), ...validateResourceList(status.used, 'status.used')];
}

/** kube's printResourceQuota cells: "name: used/hard" pairs sorted by name, limits.* apart. */
export function quotaColumns(rq: KubeObject): { request: string; limit: string } {
  const hardNames = Object.keys(asObj(asObj(rq.spec)?.hard) ?? {}).sort();
  const status = asObj(rq.status) ?? {};
  const used = parseResourceList(status.used);
  const hard = parseResourceList(status.hard);
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of hardNames) {
    const show = (q: ReturnType<typeof used.get>) => (q ? formatQuantity(q) : '0');
    (name.startsWith('limits.') ? limit : request).push(`${name}: ${show(used.get(name))}/${show(hard.get(name))}`);
  }
  return { request: request.join(', '), limit: limit.join(', ') };
}

export function resourceQuotasResource(): ResourceType {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'resourcequotas',
    kind: 'ResourceQuota',
    singularName: 'resourcequota',
    shortNames: ['quota'],
    namespaced: true,
    subresources: { status: true },
    openAPIDefinition: 'io.k8s.api.core.v1.ResourceQuota',
    strategy: {
      prepareForCreate(rq) {
        rq.status = {};
      },
      prepareForUpdate: (rq, old) => keepStatus(rq, old),
      validate: validateResourceQuota,
      validateUpdate: (rq) => validateResourceQuota(rq),
      prepareForStatusUpdate: (rq, old) => keepAllButStatus(rq, old),
      validateStatusUpdate: (rq) => validateResourceQuotaStatus(rq),
    },
    printer: {
      columns: [
        nameColumn,
        ageColumn,
        column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
        column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
      ],
      cells: (rq, now) => {
        const { request, limit } = quotaColumns(rq);
        return [rq.metadata.name, age(rq, now), request, limit];
      },
    },
  });
}
