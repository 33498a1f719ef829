// coordination.k8s.io/v1 Lease (ValidateLease): leader election and node heartbeats. A
// positive duration and a non-negative transition count.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, str, validateNonnegative } from '../fields.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';

function validateLease(lease: KubeObject): FieldError[] {
  const spec = asObj(lease.spec) ?? {};
  const errs: FieldError[] = [];
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === 'number' && duration <= 0) {
    errs.push(fieldError.invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  }
  errs.push(...validateNonnegative(spec.leaseTransitions, 'spec.leaseTransitions'));
  return errs;
}

export function leasesResource(): ResourceType {
  return defineResource({
    group: 'coordination.k8s.io',
    version: 'v1',
    resource: 'leases',
    kind: 'Lease',
    singularName: 'lease',
    namespaced: true,
    openAPIDefinition: 'io.k8s.api.coordination.v1.Lease',
    // A PUT may create a Lease (AllowCreateOnUpdate), as leader election clients expect.
    strategy: { allowCreateOnUpdate: true, validate: validateLease, validateUpdate: (l) => validateLease(l) },
    printer: {
      columns: [nameColumn, column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn],
      cells: (l, now) => [l.metadata.name, str(asObj(l.spec)?.holderIdentity), age(l, now)],
    },
  });
}
