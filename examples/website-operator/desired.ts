// What a Website asks for, as plain functions: the ConfigMap, Deployment and Service the
// operator applies, and the status it reports. No API calls here, so each can be read (and
// tested) on its own; operator.ts does the talking to the cluster.
import { createHash } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';

export const GROUP = 'web.example.com';
export const VERSION = 'v1';
export const PLURAL = 'websites';
/** The field manager of every apply, and the managed-by label the operator watches by. */
export const MANAGER = 'website-operator';
export const NAME_LABEL = 'app.kubernetes.io/name';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** On the pod template: changing it (new content) makes the Deployment roll new pods. */
export const CONTENT_HASH = 'web.example.com/content-hash';
/** Where nginx serves files from, in the official nginx image. */
export const HTML_DIR = '/usr/share/nginx/html';

export interface WebsiteSpec {
  replicas?: number;
  image?: string;
  content: string;
  port?: number;
}

export interface WebsiteCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface WebsiteStatus {
  readyReplicas?: number;
  url?: string;
  observedGeneration?: number;
  conditions?: WebsiteCondition[];
}

export interface Website extends k8s.KubernetesObject {
  spec: WebsiteSpec;
  status?: WebsiteStatus;
}

// The API server fills these in from the CRD's defaults; the same values here keep the
// builders right for a Website read from anywhere (a test, a file) without them.
const replicasOf = (w: Website) => w.spec.replicas ?? 1;
const imageOf = (w: Website) => w.spec.image ?? 'nginx:1.27';
const portOf = (w: Website) => w.spec.port ?? 80;

export const configMapName = (w: Website) => `${w.metadata!.name}-content`;

/** A short hash of the page, so the pod template changes exactly when the content does. */
export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 10);
}

/** The labels on everything a Website makes; the Service selects pods by the name label alone. */
export function labelsFor(w: Website): Record<string, string> {
  return { [NAME_LABEL]: w.metadata!.name!, [MANAGED_BY_LABEL]: MANAGER };
}

/** The metadata every owned object shares: the Website's namespace, labels and ownerReference. */
function ownedMetadata(w: Website, name: string): k8s.V1ObjectMeta {
  return {
    name,
    namespace: w.metadata!.namespace,
    labels: labelsFor(w),
    // controller: true marks the Website as the one object managing this one (the garbage
    // collector deletes it when the Website goes); blockOwnerDeletion lets a foreground
    // deletion of the Website wait until it is gone.
    ownerReferences: [
      { apiVersion: `${GROUP}/${VERSION}`, kind: 'Website', name: w.metadata!.name!, uid: w.metadata!.uid!, controller: true, blockOwnerDeletion: true },
    ],
  };
}

/** The page, as the index.html key of a ConfigMap named <website>-content. */
export function configMapFor(w: Website): k8s.V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: ownedMetadata(w, configMapName(w)),
    data: { 'index.html': w.spec.content },
  };
}

/** nginx pods with the ConfigMap mounted where nginx looks for files. */
export function deploymentFor(w: Website): k8s.V1Deployment {
  const name = w.metadata!.name!;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: ownedMetadata(w, name),
    spec: {
      replicas: replicasOf(w),
      selector: { matchLabels: { [NAME_LABEL]: name } },
      template: {
        metadata: {
          labels: labelsFor(w),
          // A mounted ConfigMap changes in running pods only after a while, and nginx may
          // cache; a new hash here rolls fresh pods instead, as `kubectl rollout restart` does.
          annotations: { [CONTENT_HASH]: contentHash(w.spec.content) },
        },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: imageOf(w),
              ports: [{ name: 'http', containerPort: 80 }],
              volumeMounts: [{ name: 'content', mountPath: HTML_DIR, readOnly: true }],
            },
          ],
          volumes: [{ name: 'content', configMap: { name: configMapName(w) } }],
        },
      },
    },
  };
}

/** A ClusterIP Service on spec.port, forwarding to nginx's port 80. */
export function serviceFor(w: Website): k8s.V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ownedMetadata(w, w.metadata!.name!),
    spec: {
      type: 'ClusterIP',
      selector: { [NAME_LABEL]: w.metadata!.name! },
      ports: [{ name: 'http', protocol: 'TCP', port: portOf(w), targetPort: 80 }],
    },
  };
}

/** The Service's DNS name inside the cluster; the port only when it is not HTTP's 80. */
export function urlFor(w: Website): string {
  const port = portOf(w);
  return `http://${w.metadata!.name}.${w.metadata!.namespace}.svc.cluster.local${port === 80 ? '' : `:${port}`}`;
}

/**
 * The status a Website should show, given its Deployment as last read (undefined before it
 * exists). Available is True once every asked-for pod is ready; its lastTransitionTime
 * changes only when its status does, as metav1.Condition's convention asks.
 */
export function statusFor(opts: { website: Website; deployment?: k8s.V1Deployment; now: Date }): WebsiteStatus {
  const { website, deployment } = opts;
  const wanted = replicasOf(website);
  const ready = deployment?.status?.readyReplicas ?? 0;
  const available: WebsiteCondition =
    wanted === 0
      ? { type: 'Available', status: 'False', reason: 'ScaledToZero', message: 'spec.replicas is 0: no pod serves the site' }
      : ready >= wanted
        ? { type: 'Available', status: 'True', reason: 'ReplicasReady', message: `${ready} of ${wanted} replicas ready` }
        : { type: 'Available', status: 'False', reason: 'ReplicasNotReady', message: `${ready} of ${wanted} replicas ready` };
  const previous = website.status?.conditions?.find((c) => c.type === 'Available');
  available.lastTransitionTime = previous?.status === available.status && previous.lastTransitionTime ? previous.lastTransitionTime : rfc3339(opts.now);
  return {
    readyReplicas: ready,
    url: urlFor(website),
    observedGeneration: website.metadata!.generation,
    conditions: [available],
  };
}

/** Kubernetes timestamps have whole seconds: 2026-01-02T03:04:05Z. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}
