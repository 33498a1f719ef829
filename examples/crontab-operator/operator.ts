// The CronTab operator: a custom controller written the way you would write your first one,
// as a standalone program that talks to the cluster only through @kubernetes/client-node.
// It runs unchanged against kubesim or any cluster that has examples/crontab-operator/crd.yaml.
//
// The lesson: a controller watches the objects it owns (CronTabs, and the Jobs it makes for
// them) and, whatever woke it, compares what exists with what should exist and fixes the
// difference ("level-triggered", as kube-controller-manager's controllers work). For each
// CronTab it keeps one Job of the same name that runs spec.image spec.replicas times, and it
// copies the Job's progress into the CronTab's status.
//
//   KUBECONFIG=.kubesim/kubeconfig npx tsx examples/crontab-operator/operator.ts [--namespace NS]
import { createHash } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';

const GROUP = 'stable.example.com';
const VERSION = 'v1';
const PLURAL = 'crontabs';
/** The Job remembers which CronTab spec it was made from, to notice when that spec changes. */
const SPEC_HASH = 'stable.example.com/spec-hash';

interface CronTab extends k8s.KubernetesObject {
  spec: { cronSpec?: string; image: string; replicas?: number };
  status?: { jobName?: string; active?: number; succeeded?: number; observedGeneration?: number };
}

// Watch one namespace (--namespace NS, or $NAMESPACE) or, by default, all of them.
const flag = process.argv.indexOf('--namespace');
const namespace = flag >= 0 ? process.argv[flag + 1] : process.env.NAMESPACE;

const kc = new k8s.KubeConfig();
kc.loadFromDefault(); // $KUBECONFIG, else ~/.kube/config, else the in-cluster service account
const custom = kc.makeApiClient(k8s.CustomObjectsApi);
const batch = kc.makeApiClient(k8s.BatchV1Api);

/** A short hash of the CronTab's spec; keys sorted so the same spec always hashes the same. */
function specHash(spec: CronTab['spec']): string {
  const json = JSON.stringify(spec, Object.keys(spec).sort());
  return createHash('sha256').update(json).digest('hex').slice(0, 10);
}

/** The Job a CronTab asks for: its name, in its namespace, owned by it. */
function jobFor(cronTab: CronTab): k8s.V1Job {
  const name = cronTab.metadata!.name!;
  const replicas = cronTab.spec.replicas ?? 1;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cronTab.metadata!.namespace,
      labels: { crontab: name },
      annotations: { [SPEC_HASH]: specHash(cronTab.spec) },
      // controller: true marks the CronTab as the one object managing this Job;
      // blockOwnerDeletion lets a foreground deletion of the CronTab wait for the Job.
      ownerReferences: [
        { apiVersion: `${GROUP}/${VERSION}`, kind: 'CronTab', name, uid: cronTab.metadata!.uid!, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      parallelism: replicas,
      completions: replicas,
      template: {
        metadata: { labels: { crontab: name } },
        // A CronTab has no command: the container runs its image's default command.
        spec: { restartPolicy: 'OnFailure', containers: [{ name: 'crontab', image: cronTab.spec.image }] },
      },
    },
  };
}

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

/** Bring the Job and status of the CronTab namespace/name in line with its spec. */
async function reconcile(ns: string, name: string): Promise<void> {
  // Read both from the API server rather than trusting the event that woke us: it may be old.
  const cronTab: CronTab | undefined = await unlessNotFound(custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: PLURAL, name }));
  let job = await unlessNotFound(batch.readNamespacedJob({ name, namespace: ns }));

  const owner = job?.metadata?.ownerReferences?.find((ref) => ref.controller);
  if (job && owner?.kind !== 'CronTab') {
    console.log(`${ns}/${name}: a Job of this name exists and is not a CronTab's; leaving it alone`);
    return;
  }
  // Deleted CronTab, or a Job left by an older CronTab of the same name: the Job goes. Real
  // clusters' garbage collector would do this too; deleting it ourselves works everywhere.
  if (job && (!cronTab || owner!.uid !== cronTab.metadata!.uid)) {
    await deleteJob(job, cronTab ? 'it belongs to an older CronTab' : 'its CronTab was deleted');
    job = undefined;
  }
  if (!cronTab || cronTab.metadata!.deletionTimestamp) return;

  // The spec changed since the Job was made: a Job's pod template cannot be changed, so replace it.
  if (job && job.metadata?.annotations?.[SPEC_HASH] !== specHash(cronTab.spec)) {
    await deleteJob(job, 'the CronTab spec changed');
    job = undefined;
  }
  if (!job) {
    // If the old Job is still being deleted this fails with 409 AlreadyExists; the error
    // handler below tries again shortly.
    job = await batch.createNamespacedJob({ namespace: ns, body: jobFor(cronTab) });
    console.log(`${ns}/${name}: created Job ${job.metadata!.name}`);
  }

  // Report the Job's progress through the status subresource (users own spec, we own status).
  const status = {
    jobName: job.metadata!.name,
    active: job.status?.active ?? 0,
    succeeded: job.status?.succeeded ?? 0,
    observedGeneration: cronTab.metadata!.generation, // the spec we have acted on
  };
  const old = cronTab.status ?? {};
  if (Object.entries(status).every(([k, v]) => old[k as keyof typeof status] === v)) return; // unchanged: no write, no new event
  await custom.patchNamespacedCustomObjectStatus(
    { group: GROUP, version: VERSION, namespace: ns, plural: PLURAL, name, body: { status } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  console.log(`${ns}/${name}: status active=${status.active} succeeded=${status.succeeded}`);
}

async function deleteJob(job: k8s.V1Job, why: string): Promise<void> {
  const { name, namespace: ns, uid } = job.metadata!;
  // Background: the Job goes now, its pods after it. The uid precondition makes sure we
  // delete the Job we looked at, not a newer one of the same name. Both travel in the body:
  // the API server reads DeleteOptions from the body when there is one and ignores the query.
  await unlessNotFound(batch.deleteNamespacedJob({ name: name!, namespace: ns!, body: { propagationPolicy: 'Background', preconditions: { uid } } }));
  console.log(`${ns}/${name}: deleted Job (${why})`);
}

// One reconcile at a time, in the order events arrive: simple, and two events about the same
// CronTab can never race each other. A CronTab already waiting is not queued twice (a Job
// running changes often); a failed reconcile is tried again after a pause.
const RETRY_MS = 1000;
let queue = Promise.resolve();
const waiting = new Set<string>();
let stopping = false;
const retries = new Set<NodeJS.Timeout>();
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
      console.error(`${ns}/${name}: ${describe(err)}; retrying in ${RETRY_MS}ms`);
      const timer = setTimeout(() => (retries.delete(timer), enqueue(ns, name)), RETRY_MS);
      retries.add(timer);
    }
  });
}

// Informers list, then watch, and keep a cache; we use only their add/update/delete callbacks.
const cronTabs = namespace
  ? k8s.makeInformer<CronTab>(kc, `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`, () =>
      custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL }),
    )
  : k8s.makeInformer<CronTab>(kc, `/apis/${GROUP}/${VERSION}/${PLURAL}`, () => custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL }));
// Only the Jobs we made carry the crontab label; watch just those.
const jobs = namespace
  ? k8s.makeInformer<k8s.V1Job>(kc, `/apis/batch/v1/namespaces/${namespace}/jobs`, () => batch.listNamespacedJob({ namespace, labelSelector: 'crontab' }), 'crontab')
  : k8s.makeInformer<k8s.V1Job>(kc, '/apis/batch/v1/jobs', () => batch.listJobForAllNamespaces({ labelSelector: 'crontab' }), 'crontab');

const onCronTab = (ct: CronTab) => enqueue(ct.metadata!.namespace!, ct.metadata!.name!);
for (const verb of ['add', 'update', 'delete'] as const) cronTabs.on(verb, onCronTab);
// A Job changed: reconcile the CronTab that owns it, so its status follows the Job.
const onJob = (job: k8s.V1Job) => {
  const owner = job.metadata?.ownerReferences?.find((ref) => ref.controller && ref.kind === 'CronTab');
  if (owner) enqueue(job.metadata!.namespace!, owner.name);
};
for (const verb of ['add', 'update', 'delete'] as const) jobs.on(verb, onJob);

// An informer stops on an error (the CRD not installed yet, the server restarting): start it again.
for (const [what, informer] of [['CronTabs', cronTabs], ['Jobs', jobs]] as const) {
  informer.on('error', (err: unknown) => {
    if (stopping) return;
    const hint = what === 'CronTabs' && err instanceof k8s.ApiException && err.code === 404 ? ' (is the CRD installed? kubectl apply -f examples/crontab-operator/crd.yaml)' : '';
    console.error(`watching ${what}: ${describe(err)}${hint}; restarting in 5s`);
    const timer = setTimeout(() => (retries.delete(timer), void informer.start()), 5000);
    retries.add(timer);
  });
}

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  for (const timer of retries) clearTimeout(timer);
  await Promise.all([cronTabs.stop(), jobs.stop()]);
  await queue; // let the reconcile in progress finish
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await Promise.all([cronTabs.start(), jobs.start()]);
console.log(`watching CronTabs in ${namespace ? `namespace ${namespace}` : 'all namespaces'}`);
