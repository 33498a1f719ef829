// Pod spec validation, as k8s.io/kubernetes pkg/apis/core/validation ValidatePodSpec and
// ValidatePodTemplateSpec check it: containers (name, image, ports, env, policies, unique
// names), volumes and their mounts, restart and DNS policy, node selector, tolerations and the
// names a pod refers to. Field paths and details match kube-apiserver's Invalid causes.
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { validateAnnotations, validateLabels } from '../../../validation/object-meta.js';
import { isEnvVarName, isQualifiedName, isValidLabelValue, isValidPortName } from '../../../validation/names.js';
import { asArray, asObj, objects, str, validateDNS1123Label, validateDNS1123Subdomain, type Obj } from '../fields.js';

/** validation.IsValidPortNum's detail (InclusiveRangeError(1, 65535)). */
export const PORT_RANGE_MSG = 'must be between 1 and 65535, inclusive';

export function validatePortNum(v: unknown, path: string): FieldError[] {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? [] : [fieldError.invalid(path, v ?? null, PORT_RANGE_MSG)];
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A policy field that defaulting normally fills: Required when empty, else one of `valid`. */
function validateEnum(v: unknown, path: string, valid: string[]): FieldError[] {
  if (v === undefined || v === null || v === '') return [fieldError.required(path, '')];
  return valid.includes(v as string) ? [] : [fieldError.notSupported(path, v, valid)];
}

/** validateContainerPorts: named ports unique and IANA-style, port numbers in range, a protocol. */
export function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArray(ports).forEach((item, i) => {
    const p = asObj(item) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(p.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const msg of msgs) errs.push(fieldError.invalid(`${idx}.name`, name, msg));
      else if (names.has(name)) errs.push(fieldError.duplicate(`${idx}.name`, name));
      else names.add(name);
    }
    if (!p.containerPort) errs.push(fieldError.required(`${idx}.containerPort`, ''));
    else errs.push(...validatePortNum(p.containerPort, `${idx}.containerPort`));
    if (p.hostPort) errs.push(...validatePortNum(p.hostPort, `${idx}.hostPort`));
    errs.push(...validateEnum(p.protocol, `${idx}.protocol`, PROTOCOLS));
  });
  return errs;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(env).forEach((item, i) => {
    const name = str(asObj(item)?.name);
    const namePath = `${path}[${i}].name`;
    if (!name) errs.push(fieldError.required(namePath, ''));
    else for (const msg of isEnvVarName(name)) errs.push(fieldError.invalid(namePath, name, msg));
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPaths = new Set<string>();
  asArray(mounts).forEach((item, i) => {
    const m = asObj(item) ?? {};
    const idx = `${path}[${i}]`;
    const name = str(m.name);
    if (!name) errs.push(fieldError.required(`${idx}.name`, ''));
    else if (!volumes.has(name)) errs.push(fieldError.notFound(`${idx}.name`, name));
    const mountPath = str(m.mountPath);
    if (!mountPath) errs.push(fieldError.required(`${idx}.mountPath`, ''));
    else if (mountPaths.has(mountPath)) errs.push(fieldError.invalid(`${idx}.mountPath`, mountPath, 'must be unique'));
    mountPaths.add(mountPath);
  });
  return errs;
}

interface PodSpecContext {
  volumes: Set<string>;
  /** Pods (not templates) also reject images with surrounding whitespace. */
  isPod: boolean;
}

/** validateContainerCommon: what every container, regular or init, must get right. */
function validateContainer(c: Obj, path: string, ctx: PodSpecContext): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(fieldError.required(`${path}.name`, ''));
  else errs.push(...validateDNS1123Label(name, `${path}.name`));
  const image = str(c.image);
  if (!image) errs.push(fieldError.required(`${path}.image`, ''));
  else if (ctx.isPod && image !== image.trim()) {
    errs.push(fieldError.invalid(`${path}.image`, image, 'must not have leading or trailing whitespace'));
  }
  errs.push(...validateEnum(c.terminationMessagePolicy, `${path}.terminationMessagePolicy`, TERMINATION_MESSAGE_POLICIES));
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateVolumeMounts(c.volumeMounts, ctx.volumes, `${path}.volumeMounts`));
  errs.push(...validateEnum(c.imagePullPolicy, `${path}.imagePullPolicy`, PULL_POLICIES));
  return errs;
}

/**
 * validateContainers / validateInitContainers: at least one regular container, and names
 * unique across both lists (an init container may not reuse a regular container's name).
 */
function validateContainerLists(spec: Obj, path: string, ctx: PodSpecContext): FieldError[] {
  const errs: FieldError[] = [];
  const containers = asArray(spec.containers);
  const names = new Set<string>();
  if (containers.length === 0) errs.push(fieldError.required(`${path}.containers`, ''));
  containers.forEach((item, i) => {
    const c = asObj(item) ?? {};
    const idx = `${path}.containers[${i}]`;
    errs.push(...validateContainer(c, idx, ctx));
    const name = str(c.name);
    if (names.has(name)) errs.push(fieldError.duplicate(`${idx}.name`, name));
    else names.add(name);
  });
  asArray(spec.initContainers).forEach((item, i) => {
    const c = asObj(item) ?? {};
    const idx = `${path}.initContainers[${i}]`;
    errs.push(...validateContainer(c, idx, ctx));
    const name = str(c.name);
    if (names.has(name)) errs.push(fieldError.duplicate(`${idx}.name`, name));
    else if (name) names.add(name);
  });
  return errs;
}

function validateVolumes(volumes: unknown, path: string): { names: Set<string>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArray(volumes).forEach((item, i) => {
    const name = str(asObj(item)?.name);
    const namePath = `${path}[${i}].name`;
    if (!name) errs.push(fieldError.required(namePath, ''));
    else errs.push(...validateDNS1123Label(name, namePath));
    if (name && names.has(name)) errs.push(fieldError.duplicate(namePath, name));
    else if (name) names.add(name);
  });
  return { names, errs };
}

/** validateTolerations, without the feature-gated operators. */
function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objects(tolerations).forEach((t, i) => {
    const idx = `${path}[${i}]`;
    const key = str(t.key);
    const operator = str(t.operator);
    const effect = str(t.effect);
    if (key) for (const msg of isQualifiedName(key)) errs.push(fieldError.invalid(`${idx}.key`, key, msg));
    if (!key && operator !== 'Exists') {
      errs.push(
        fieldError.invalid(`${idx}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'),
      );
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      errs.push(fieldError.invalid(`${idx}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(str(t.value));
      if (msgs.length) errs.push(fieldError.invalid(`${idx}.operator`, str(t.value), msgs.join(';')));
    } else if (operator === 'Exists') {
      if (str(t.value)) errs.push(fieldError.invalid(`${idx}.operator`, t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(fieldError.notSupported(`${idx}.operator`, operator, ['Equal', 'Exists']));
    }
    if (effect && !TAINT_EFFECTS.includes(effect)) errs.push(fieldError.notSupported(`${idx}.effect`, effect, TAINT_EFFECTS));
  });
  return errs;
}

/** ValidatePodSpec (the parts a simulator can check without nodes or a kubelet). */
export function validatePodSpec(specValue: unknown, path: string, opts: { isPod: boolean }): FieldError[] {
  const spec = asObj(specValue) ?? {};
  const { names: volumes, errs } = validateVolumes(spec.volumes, `${path}.volumes`);
  errs.push(...validateContainerLists(spec, path, { volumes, isPod: opts.isPod }));
  errs.push(...validateEnum(spec.restartPolicy, `${path}.restartPolicy`, RESTART_POLICIES));
  errs.push(...validateEnum(spec.dnsPolicy, `${path}.dnsPolicy`, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  const serviceAccountName = str(spec.serviceAccountName);
  if (serviceAccountName) errs.push(...validateDNS1123Subdomain(serviceAccountName, `${path}.serviceAccountName`));
  const nodeName = str(spec.nodeName);
  if (nodeName) errs.push(...validateDNS1123Subdomain(nodeName, `${path}.nodeName`));
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && !(typeof deadline === 'number' && deadline >= 1 && deadline <= 2147483647)) {
    errs.push(fieldError.invalid(`${path}.activeDeadlineSeconds`, deadline, 'must be between 1 and 2147483647, inclusive'));
  }
  for (const k of ['hostname', 'subdomain']) {
    const v = str(spec[k]);
    if (v) errs.push(...validateDNS1123Label(v, `${path}.${k}`));
  }
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  return errs;
}

/** ValidatePodTemplateSpec: the template's labels and annotations, then its pod spec. */
export function validatePodTemplateSpec(templateValue: unknown, path: string): FieldError[] {
  const template = asObj(templateValue) ?? {};
  const meta = asObj(template.metadata) ?? {};
  const errs = [
    ...validateLabels(meta.labels, `${path}.metadata.labels`),
    ...validateAnnotations(meta.annotations, `${path}.metadata.annotations`),
    ...validatePodSpec(template.spec, `${path}.spec`, { isPod: false }),
  ];
  if (asArray(asObj(template.spec)?.ephemeralContainers).length > 0) {
    errs.push(fieldError.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
