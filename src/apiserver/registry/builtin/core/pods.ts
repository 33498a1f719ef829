// core/v1 Pod (k8s.io/kubernetes pkg/registry/core/pod/strategy.go): created Pending with its
// QoS class, spec nearly immutable afterwards, status written through pods/status.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { isValidIP } from '../../../validation/names.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, deepEqual, keepAllButStatus, keepStatus, objects, str, validateDNS1123Subdomain, type Obj } from '../fields.js';
import { defaultPod } from './pod-defaults.js';
import { podPrinter } from './pod-printer.js';
import { validatePodSpec } from './pod-validation.js';
import { podQOSClass } from './qos.js';

/** The wording of ValidatePodUpdate when a client changes more than it may. */
export const POD_UPDATE_FORBIDDEN_MSG =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const specOf = (o: KubeObject): Obj => asObj(o.spec) ?? {};

/** Copies the images of `from`'s containers onto `to`'s (same list lengths only). */
function overlayImages(to: Obj, from: Obj, key: string): void {
  const a = to[key];
  const b = from[key];
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return;
  a.forEach((c: unknown, i) => {
    const n = asObj(b[i]);
    const o = asObj(c);
    if (o && n) o.image = n.image;
  });
}

/** ValidatePodUpdate: only images, a shorter deadline, added tolerations and a few more may change. */
function validatePodSpecUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(pod);
  const oldSpec = specOf(old);
  const errs: FieldError[] = [];
  const deadline = spec.activeDeadlineSeconds;
  const oldDeadline = oldSpec.activeDeadlineSeconds;
  if (typeof deadline === 'number') {
    if (deadline < 0 || deadline > 2147483647) {
      return [fieldError.invalid('spec.activeDeadlineSeconds', deadline, 'must be between 0 and 2147483647, inclusive')];
    }
    if (typeof oldDeadline === 'number' && oldDeadline < deadline) {
      return [fieldError.invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value')];
    }
  } else if (typeof oldDeadline === 'number') {
    errs.push(fieldError.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // Compare the old spec with the allowed changes applied to it; anything else is forbidden.
  const masked = structuredClone(oldSpec) as Obj;
  overlayImages(masked, spec, 'containers');
  overlayImages(masked, spec, 'initContainers');
  masked.activeDeadlineSeconds = spec.activeDeadlineSeconds;
  const oldTolerations = objects(oldSpec.tolerations);
  const newTolerations = objects(spec.tolerations);
  if (oldTolerations.every((t) => newTolerations.some((n) => deepEqual(n, t)))) masked.tolerations = spec.tolerations;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && spec.terminationGracePeriodSeconds === 1) {
    masked.terminationGracePeriodSeconds = 1;
  }
  // Scheduling gates may only be removed.
  const oldGates = objects(oldSpec.schedulingGates);
  if (objects(spec.schedulingGates).every((g) => oldGates.some((o) => deepEqual(o, g)))) masked.schedulingGates = spec.schedulingGates;
  if (!deepEqual(masked, spec)) errs.push(fieldError.forbidden('spec', POD_UPDATE_FORBIDDEN_MSG));
  return errs;
}

function validatePodStatus(pod: KubeObject): FieldError[] {
  const status = asObj(pod.status) ?? {};
  const errs: FieldError[] = [];
  const nominated = str(status.nominatedNodeName);
  if (nominated) errs.push(...validateDNS1123Subdomain(nominated, 'status.nominatedNodeName'));
  objects(status.podIPs).forEach((p, i) => {
    for (const msg of isValidIP(str(p.ip))) errs.push(fieldError.invalid(`status.podIPs[${i}].ip`, str(p.ip), msg));
  });
  return errs;
}

/** A field set value: spec.hostNetwork and friends print as Go's strconv would. */
function podField(get: (pod: KubeObject) => unknown): (pod: KubeObject) => string {
  return (pod) => {
    const v = get(pod);
    return typeof v === 'boolean' ? String(v) : str(v);
  };
}

export function podsResource(): ResourceType {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    singularName: 'pod',
    shortNames: ['po'],
    categories: ['all'],
    namespaced: true,
    subresources: { status: true },
    openAPIDefinition: 'io.k8s.api.core.v1.Pod',
    strategy: {
      defaults: (pod) => defaultPod(pod),
      prepareForCreate(pod) {
        const status: Obj = { phase: 'Pending', qosClass: podQOSClass(asObj(pod.spec)) };
        // A pod held by scheduling gates says so in its PodScheduled condition.
        if (objects(asObj(pod.spec)?.schedulingGates).length > 0) {
          status.conditions = [
            { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
          ];
        }
        pod.status = status;
      },
      prepareForUpdate: (pod, old) => keepStatus(pod, old),
      validate: (pod) => validatePodSpec(pod.spec, 'spec', { isPod: true }),
      validateUpdate: (pod, old) => [...validatePodSpec(pod.spec, 'spec', { isPod: true }), ...validatePodSpecUpdate(pod, old)],
      // pods/status may not touch the spec, nor the owner references old kubelets used to corrupt.
      prepareForStatusUpdate: (pod, old) => keepAllButStatus(pod, old, ['ownerReferences']),
      validateStatusUpdate: (pod) => validatePodStatus(pod),
      // podStrategy.CheckGracefulDelete: the requested period, else terminationGracePeriodSeconds;
      // a pod no node runs, or one that has finished, has nothing to stop and goes at once.
      gracefulDeletePeriod(pod, requested) {
        let period = requested ?? (typeof specOf(pod).terminationGracePeriodSeconds === 'number' ? (specOf(pod).terminationGracePeriodSeconds as number) : 0);
        const phase = asObj(pod.status)?.phase;
        if (!specOf(pod).nodeName || phase === 'Succeeded' || phase === 'Failed') period = 0;
        return period < 0 ? 1 : period;
      },
    },
    fieldSelectors: {
      'spec.nodeName': podField((p) => specOf(p).nodeName),
      'spec.restartPolicy': podField((p) => specOf(p).restartPolicy),
      'spec.schedulerName': podField((p) => specOf(p).schedulerName),
      'spec.serviceAccountName': podField((p) => specOf(p).serviceAccountName),
      'spec.hostNetwork': (p) => String(specOf(p).hostNetwork === true),
      'status.phase': podField((p) => asObj(p.status)?.phase),
      'status.podIP': (p) => str(objects(asObj(p.status)?.podIPs)[0]?.ip) || str(asObj(p.status)?.podIP),
      'status.nominatedNodeName': podField((p) => asObj(p.status)?.nominatedNodeName),
    },
    printer: podPrinter,
  });
}
