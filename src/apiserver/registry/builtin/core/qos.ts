// A pod's quality-of-service class, which the Pod strategy records in status.qosClass on
// create (k8s.io/kubernetes pkg/apis/core/helper/qos GetPodQOS): BestEffort with no cpu or
// memory requests or limits anywhere, Guaranteed when every container limits both and the
// requests equal the limits, Burstable otherwise.
import { quantityValue } from '../../../../apimachinery/quantity.js';
import { asObj, objects, type Obj } from '../fields.js';

const QOS_RESOURCES = ['cpu', 'memory'];

function nonZero(list: Obj | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of QOS_RESOURCES) {
    const q = quantityValue(list?.[r]);
    if (q !== undefined && q !== 0) out.set(r, q);
  }
  return out;
}

export function podQOSClass(spec: Obj | undefined): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...objects(spec?.containers), ...objects(spec?.initContainers)]) {
    const resources = asObj(c.resources);
    for (const [k, q] of nonZero(asObj(resources?.requests))) requests.set(k, (requests.get(k) ?? 0) + q);
    const lim = nonZero(asObj(resources?.limits));
    for (const [k, q] of lim) limits.set(k, (limits.get(k) ?? 0) + q);
    if (!QOS_RESOURCES.every((r) => lim.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, q] of requests) if (limits.get(k) !== q) guaranteed = false;
  }
  return guaranteed && limits.size === QOS_RESOURCES.length ? 'Guaranteed' : 'Burstable';
}
