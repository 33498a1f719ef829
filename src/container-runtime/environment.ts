// A container's environment as its process would see it: what the image sets (PATH, HOME),
// what the kubelet adds (HOSTNAME, the `kubernetes` Service's KUBERNETES_* variables), and the
// container's own `env` with `$(VAR)` references expanded (pkg/kubelet/kubelet_pods.go
// makeEnvironmentVariables, third_party/forked/golang/expansion). Only what is in the pod can
// be known here: a value from a ConfigMap or Secret is left out.

type Obj = Record<string, any>;

/** The `kubernetes` Service as kubesim bootstraps it (default/kubernetes, 10.96.0.1:443). */
const KUBERNETES_SERVICE_HOST = '10.96.0.1';

export interface EnvironmentInput {
  pod: { metadata: Obj; spec?: unknown; status?: unknown };
  container: Obj;
}

/** Kubernetes' `$(VAR)` expansion: defined names are replaced, `$$` escapes, others stay. */
export function expandReferences(s: string, lookup: (name: string) => string | undefined): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    const v = lookup(name!);
    return v === undefined ? m : v;
  });
}

/** A downward-API fieldRef read from the pod itself. */
function fieldRefValue(pod: EnvironmentInput['pod'], path: string): string | undefined {
  const spec = (pod.spec ?? {}) as Obj;
  const status = (pod.status ?? {}) as Obj;
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label) return pod.metadata[label[1]!]?.[label[2]!];
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return spec.nodeName;
    case 'spec.serviceAccountName':
      return spec.serviceAccountName;
    case 'status.hostIP':
      return status.hostIP;
    case 'status.podIP':
      return status.podIP;
    default:
      return undefined;
  }
}

/** The environment in the order `printenv` shows it on a real node. */
export function containerEnvironment({ pod, container }: EnvironmentInput): [string, string][] {
  const spec = (pod.spec ?? {}) as Obj;
  const own = new Map<string, string>();
  for (const e of (container.env ?? []) as Obj[]) {
    if (typeof e?.name !== 'string') continue;
    let value: string | undefined;
    if (typeof e.value === 'string') value = expandReferences(e.value, (n) => own.get(n));
    else if (e.value === undefined && !e.valueFrom) value = '';
    else if (typeof e.valueFrom?.fieldRef?.fieldPath === 'string') value = fieldRefValue(pod, e.valueFrom.fieldRef.fieldPath);
    if (value !== undefined) own.set(e.name, value);
  }
  const port = 443;
  // The master Service's variables come even with enableServiceLinks: false (getServiceEnvVarMap).
  const service: [string, string][] = [
    ['KUBERNETES_PORT_443_TCP_PROTO', 'tcp'],
    ['KUBERNETES_PORT_443_TCP_ADDR', KUBERNETES_SERVICE_HOST],
    ['KUBERNETES_SERVICE_HOST', KUBERNETES_SERVICE_HOST],
    ['KUBERNETES_SERVICE_PORT', String(port)],
    ['KUBERNETES_SERVICE_PORT_HTTPS', String(port)],
    ['KUBERNETES_PORT', `tcp://${KUBERNETES_SERVICE_HOST}:${port}`],
    ['KUBERNETES_PORT_443_TCP', `tcp://${KUBERNETES_SERVICE_HOST}:${port}`],
    ['KUBERNETES_PORT_443_TCP_PORT', String(port)],
  ];
  // A name the container sets itself wins over the image's or the kubelet's value of it.
  const unlessOwn = (pairs: [string, string][]) => pairs.filter(([k]) => !own.has(k));
  return [
    ...unlessOwn([
      ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['HOSTNAME', String(spec.hostname ?? pod.metadata.name ?? '')],
    ]),
    ...own,
    ...unlessOwn(service),
    ...unlessOwn([['HOME', '/root']]),
  ];
}
