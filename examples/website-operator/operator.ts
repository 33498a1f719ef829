// The Website operator: the operator pattern in one program. A Website (web.example.com/v1,
// examples/website-operator/crd.yaml) describes a small static site; this program, talking to
// the cluster only through @kubernetes/client-node, keeps three objects in step with it:
//
//   ConfigMap  <name>-content   the page, as index.html
//   Deployment <name>           nginx pods serving that ConfigMap
//   Service    <name>           a ClusterIP address in front of the pods
//
// Each is owned by the Website (a controller ownerReference), so deleting the Website deletes
// them through the garbage collector. Whatever wakes it (a Website changed, or one of those
// objects changed or vanished), the operator re-applies all three with server-side apply and
// lets the API server work out what differs: an edit by hand (a deleted Service, a Deployment
// scaled by hand) is put back. Then it reports what it sees in the Website's status.
//
//   KUBECONFIG=.kubesim/kubeconfig npx tsx examples/website-operator/operator.ts [--namespace NS]
import { isDeepStrictEqual } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { configMapFor, deploymentFor, GROUP, MANAGED_BY_LABEL, MANAGER, PLURAL, serviceFor, statusFor, VERSION, type Website } from './desired.js';

// Watch one namespace (--namespace NS, or $NAMESPACE) or, by default, all of them.
const flag = process.argv.indexOf('--namespace');
const namespace = flag >= 0 ? process.argv[flag + 1] : process.env.NAMESPACE;

const kc = new k8s.KubeConfig();
kc.loadFromDefault(); // $KUBECONFIG, else ~/.kube/config, else the in-cluster service account
const custom = kc.makeApiClient(k8s.CustomObjectsApi);
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);

/**
 * Server-side apply: we send the whole object as we want it, the API server merges it into
 * what is there and remembers which fields we own (managedFields, under MANAGER). force takes
 * a field back from whoever changed it since (kubectl scale), which is the point of an operator.
 */
const APPLY = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);

/** Call the API; a 404 Not Found becomes undefined, any other error is thrown. */
async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof k8s.ApiException && err.code === 404) return undefined;
    throw err;
  }
}

/** An error in one line; for an API error, its HTTP code and the message of the Status it carries. */
function describe(err: unknown): string {
  if (!(err instanceof k8s.ApiException)) return String((err as Error)?.message ?? err);
  let body: { message?: string } | undefined;
  try {
    body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
  } catch {
    // not JSON: the code alone says enough
  }
  return `HTTP ${err.code}${body?.message ? `: ${body.message}` : ''}`;
}

interface Named {
  name: string;
  namespace: string;
}

/** One object a Website owns: how it should look, and how to read and apply its kind. */
interface Owned<T extends k8s.KubernetesObject> {
  kind: string;
  desired: T;
  read(at: Named): Promise<T>;
  apply(at: Named & { body: T; fieldManager: string; force: boolean }): Promise<T>;
}

/**
 * Applies one owned object and logs what changed. An object of that name that this Website
 * does not control (someone else's, or left by an older Website of the same name that the
 * garbage collector has yet to delete) is left alone: undefined.
 */
async function ensure<T extends k8s.KubernetesObject>(website: Website, owned: Owned<T>): Promise<T | undefined> {
  const at = { name: owned.desired.metadata!.name!, namespace: website.metadata!.namespace! };
  const what = `${owned.kind} ${at.namespace}/${at.name}`;
  const live = await unlessNotFound(owned.read(at));
  if (live && live.metadata?.ownerReferences?.find((ref) => ref.controller)?.uid !== website.metadata!.uid) {
    console.log(`${what} exists and is not this Website's; leaving it alone`);
    return undefined;
  }
  const applied = await owned.apply({ ...at, body: owned.desired, fieldManager: MANAGER, force: true });
  // An apply that changes nothing writes nothing: the resourceVersion stays the same.
  if (!live) console.log(`created ${what}`);
  else if (applied.metadata?.resourceVersion !== live.metadata?.resourceVersion) console.log(`updated ${what}`);
  return applied;
}

/** Bring the objects and status of the Website namespace/name in line with its spec. */
async function reconcile(ns: string, name: string): Promise<void> {
  // Read it from the API server rather than trusting the event that woke us: it may be old.
  const website = (await unlessNotFound(custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: PLURAL, name }))) as Website | undefined;
  // Gone or going: the garbage collector deletes what it owned, nothing for us to do.
  if (!website || website.metadata!.deletionTimestamp) return;

  // The ConfigMap first, so the Deployment's pods find their volume.
  await ensure(website, {
    kind: 'configmap',
    desired: configMapFor(website),
    read: (at) => core.readNamespacedConfigMap(at),
    apply: (at) => core.patchNamespacedConfigMap(at, APPLY),
  });
  const deployment = await ensure(website, {
    kind: 'deployment',
    desired: deploymentFor(website),
    read: (at) => apps.readNamespacedDeployment(at),
    apply: (at) => apps.patchNamespacedDeployment(at, APPLY),
  });
  await ensure(website, {
    kind: 'service',
    desired: serviceFor(website),
    read: (at) => core.readNamespacedService(at),
    apply: (at) => core.patchNamespacedService(at, APPLY),
  });

  // Report through the status subresource (users own spec, the operator owns status); an
  // unchanged status is not written, or each write would wake us again for nothing.
  const status = statusFor({ website, deployment, now: new Date() });
  if (isDeepStrictEqual(status, website.status)) return;
  await custom.patchNamespacedCustomObjectStatus(
    { group: GROUP, version: VERSION, namespace: ns, plural: PLURAL, name, body: { status } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  const available = status.conditions!.find((c) => c.type === 'Available')!;
  console.log(`status website ${ns}/${name}: readyReplicas=${status.readyReplicas} Available=${available.status}`);
}

// One reconcile at a time, in the order events arrive: simple, and two events about the same
// Website can never race each other. A Website already waiting is not queued twice (its
// Deployment's status changes often); a failed reconcile is tried again after a pause.
const RETRY_MS = 1000;
let queue = Promise.resolve();
const waiting = new Set<string>();
let stopping = false;
const timers = new Set<NodeJS.Timeout>();
function enqueue(ns: string, name: string): void {
  const key = `${ns}/${name}`;
  if (waiting.has(key)) return;
  waiting.add(key);
  queue = queue.then(async () => {
    waiting.delete(key); // from here on, a new event queues it again
    if (stopping) return;
    try {
      await reconcile(ns, name);
    } catch (err) {
      console.error(`website ${key}: ${describe(err)}; retrying in ${RETRY_MS}ms`);
      const timer = setTimeout(() => (timers.delete(timer), enqueue(ns, name)), RETRY_MS);
      timers.add(timer);
    }
  });
}

// Informers list, then watch, and keep a cache; we use only their add/update/delete callbacks.
const websites = namespace
  ? k8s.makeInformer<Website>(kc, `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`, () =>
      custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL }),
    )
  : k8s.makeInformer<Website>(kc, `/apis/${GROUP}/${VERSION}/${PLURAL}`, () => custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL }));

// Only what we made carries our managed-by label; watch just those of each kind we own.
const selector = `${MANAGED_BY_LABEL}=${MANAGER}`;
const prefix = (group: string) => (namespace ? `${group}/namespaces/${namespace}` : group);
const owned = {
  ConfigMaps: k8s.makeInformer<k8s.V1ConfigMap>(
    kc,
    `${prefix('/api/v1')}/configmaps`,
    () => (namespace ? core.listNamespacedConfigMap({ namespace, labelSelector: selector }) : core.listConfigMapForAllNamespaces({ labelSelector: selector })),
    selector,
  ),
  Deployments: k8s.makeInformer<k8s.V1Deployment>(
    kc,
    `${prefix('/apis/apps/v1')}/deployments`,
    () => (namespace ? apps.listNamespacedDeployment({ namespace, labelSelector: selector }) : apps.listDeploymentForAllNamespaces({ labelSelector: selector })),
    selector,
  ),
  Services: k8s.makeInformer<k8s.V1Service>(
    kc,
    `${prefix('/api/v1')}/services`,
    () => (namespace ? core.listNamespacedService({ namespace, labelSelector: selector }) : core.listServiceForAllNamespaces({ labelSelector: selector })),
    selector,
  ),
};

const onWebsite = (w: Website) => enqueue(w.metadata!.namespace!, w.metadata!.name!);
for (const verb of ['add', 'update', 'delete'] as const) websites.on(verb, onWebsite);
// Something we made changed or went: reconcile the Website that owns it.
const onOwned = (obj: k8s.KubernetesObject) => {
  const owner = obj.metadata?.ownerReferences?.find((ref) => ref.controller && ref.kind === 'Website' && ref.apiVersion.startsWith(`${GROUP}/`));
  if (owner) enqueue(obj.metadata!.namespace!, owner.name);
};
const ownedInformers: k8s.Informer<k8s.KubernetesObject>[] = Object.values(owned);
for (const informer of ownedInformers) for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, onOwned);

// An informer stops on an error (the CRD not installed yet, the server restarting): start it again.
const informers = { Websites: websites, ...owned };
for (const [what, informer] of Object.entries(informers)) {
  informer.on('error', (err: unknown) => {
    if (stopping) return;
    const hint = what === 'Websites' && err instanceof k8s.ApiException && err.code === 404 ? ' (is the CRD installed? kubectl apply -f examples/website-operator/crd.yaml)' : '';
    console.error(`watching ${what}: ${describe(err)}${hint}; restarting in 5s`);
    const timer = setTimeout(() => (timers.delete(timer), void informer.start()), 5000);
    timers.add(timer);
  });
}

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  for (const timer of timers) clearTimeout(timer);
  await Promise.all(Object.values(informers).map((informer) => informer.stop()));
  await queue; // let the reconcile in progress finish
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await Promise.all(Object.values(informers).map((informer) => informer.start()));
console.log(`watching Websites in ${namespace ? `namespace ${namespace}` : 'all namespaces'}`);
