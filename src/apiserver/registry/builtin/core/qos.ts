// A pod's quality-of-service class, which the Pod strategy records in status.qosClass on
// create (k8s.io/kubernetes pkg/apis/core/helper/qos GetPodQOS): BestEffort with no cpu or
// memory requests or limits anywhere, Guaranteed when every container limits both and the
// requests equal the limits, Burstable otherwise.
import { asObj, objects, type Obj } from '../fields.js';

const SUFFIXES: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A resource.Quantity's value as a number, or undefined when it does not parse. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(v.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIXES[m[3] ?? '']!;
}

const QOS_RESOURCES = ['cpu', 'memory'];

function nonZero(list: Obj | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of QOS_RESOURCES) {
    const q = parseQuantity(list?.[r]);
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
