// Pod spec defaulting, as k8s.io/kubernetes pkg/apis/core/v1/defaults.go fills it wherever a
// PodSpec appears (pods, and the templates of workloads): SetDefaults_PodSpec, _Container,
// _ContainerPort, _Probe, _HTTPGetAction, _ObjectFieldSelector, _Volume and the volume
// sources' defaultMode. SetDefaults_Pod adds what only a Pod gets.
import { asObj, defaultString, defaultValue, ensureObj, objects, str, type Obj } from '../fields.js';

/** The mode 0644 that secret, configMap, downwardAPI and projected volumes default to. */
const DEFAULT_VOLUME_MODE = 0o644;

/**
 * SetDefaults_Container's pull policy: Always for ":latest" or an untagged image (the tag
 * defaults to latest), IfNotPresent for any other tag or for an image pinned only by digest.
 */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  // An image that does not parse as a reference gets no tag, hence IfNotPresent.
  if (!image || image !== image.trim()) return 'IfNotPresent';
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > lastSlash ? name.slice(colon + 1) : '';
  if (tag) return tag === 'latest' ? 'Always' : 'IfNotPresent';
  return at >= 0 ? 'IfNotPresent' : 'Always';
}

function defaultHandler(handler: Obj | undefined): void {
  const httpGet = asObj(handler?.httpGet);
  if (!httpGet) return;
  defaultString(httpGet, 'path', '/');
  defaultString(httpGet, 'scheme', 'HTTP');
}

function defaultProbe(probe: Obj | undefined): void {
  if (!probe) return;
  // Zero counts as unset for these int32 fields, as in Go.
  for (const [k, v] of [
    ['timeoutSeconds', 1],
    ['periodSeconds', 10],
    ['successThreshold', 1],
    ['failureThreshold', 3],
  ] as const) {
    if (!probe[k]) probe[k] = v;
  }
  defaultHandler(probe);
}

function defaultFieldRef(ref: unknown): void {
  const r = asObj(ref);
  if (r) defaultString(r, 'apiVersion', 'v1');
}

function defaultContainer(c: Obj): void {
  defaultString(c, 'imagePullPolicy', defaultImagePullPolicy(str(c.image)));
  defaultString(c, 'terminationMessagePath', '/dev/termination-log');
  defaultString(c, 'terminationMessagePolicy', 'File');
  // ResourceRequirements is a struct, not a pointer: the real server always prints `resources: {}`.
  ensureObj(c, 'resources');
  for (const p of objects(c.ports)) defaultString(p, 'protocol', 'TCP');
  for (const e of objects(c.env)) defaultFieldRef(asObj(e.valueFrom)?.fieldRef);
  defaultProbe(asObj(c.livenessProbe));
  defaultProbe(asObj(c.readinessProbe));
  defaultProbe(asObj(c.startupProbe));
  const lifecycle = asObj(c.lifecycle);
  defaultHandler(asObj(lifecycle?.postStart));
  defaultHandler(asObj(lifecycle?.preStop));
}

function defaultVolume(v: Obj): void {
  // SetDefaults_Volume: a volume with no source at all is an emptyDir.
  if (Object.keys(v).every((k) => k === 'name')) v.emptyDir = {};
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = asObj(v[k]);
    if (src) defaultValue(src, 'defaultMode', DEFAULT_VOLUME_MODE);
  }
  for (const item of objects(asObj(v.downwardAPI)?.items)) defaultFieldRef(item.fieldRef);
  for (const source of objects(asObj(v.projected)?.sources)) {
    const token = asObj(source.serviceAccountToken);
    if (token) defaultValue(token, 'expirationSeconds', 3600);
    for (const item of objects(asObj(source.downwardAPI)?.items)) defaultFieldRef(item.fieldRef);
  }
  const hostPath = asObj(v.hostPath);
  if (hostPath) defaultValue(hostPath, 'type', '');
}

/** SetDefaults_PodSpec and the defaults of everything inside it. */
export function defaultPodSpec(spec: Obj): void {
  defaultString(spec, 'dnsPolicy', 'ClusterFirst');
  defaultString(spec, 'restartPolicy', 'Always');
  defaultValue(spec, 'securityContext', {});
  defaultValue(spec, 'terminationGracePeriodSeconds', 30);
  defaultString(spec, 'schedulerName', 'default-scheduler');
  for (const c of objects(spec.containers)) defaultContainer(c);
  for (const c of objects(spec.initContainers)) defaultContainer(c);
  for (const v of objects(spec.volumes)) defaultVolume(v);
}

/** A workload's pod template: defaults apply to its spec (creating an empty one if missing). */
export function defaultPodTemplate(template: Obj): void {
  defaultPodSpec(ensureObj(template, 'spec'));
}

/** SetDefaults_Pod: what only a Pod (not a template) gets, on top of the pod spec defaults. */
export function defaultPod(pod: Obj): void {
  const spec = ensureObj(pod, 'spec');
  defaultPodSpec(spec);
  for (const c of [...objects(spec.containers), ...objects(spec.initContainers)]) {
    // Requests default to limits where only a limit is given.
    const resources = asObj(c.resources);
    const limits = asObj(resources?.limits);
    if (!resources || !limits) continue;
    const requests = ensureObj(resources, 'requests');
    for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
  }
  defaultValue(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    // With the host's network a container port is a host port.
    for (const c of [...objects(spec.containers), ...objects(spec.initContainers)]) {
      for (const p of objects(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
}
