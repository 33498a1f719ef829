// /metrics: the server's Prometheus metrics, named and labelled as kube-apiserver's
// (k8s.io/apiserver pkg/endpoints/metrics): apiserver_request_total,
// apiserver_request_duration_seconds, apiserver_current_inflight_requests,
// apiserver_longrunning_requests, apiserver_storage_objects, plus the process metrics.
// One Registry per server, never prom-client's global one, so clusters in one process never
// mix. Label children are cached per resource, verb, subresource and scope, so a request costs
// one map lookup and an increment, not a label hash built from strings.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ResourceRequestInfo } from './endpoints/request-info.js';
import type { RegistryContext } from './registry/context.js';
import { storageResource } from './registry/catalog.js';
import type { ResourceType } from './registry/strategy.js';

const COMPONENT = 'apiserver';
const APPLY_PATCH = 'application/apply-patch+yaml';
/** kube-apiserver's buckets for apiserver_request_duration_seconds. */
const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];
const REQUEST_LABELS = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;

type Labels = Record<(typeof REQUEST_LABELS)[number], string>;
type CounterChild = ReturnType<Counter<string>['labels']>;
type HistogramChild = ReturnType<Histogram<string>['labels']>;

/** One label set (without the code) and its cached children. */
interface Series {
  labels: Labels;
  duration: HistogramChild;
  byCode: Map<number, CounterChild>;
  /** Open long-running requests (watches, logs) with these labels. */
  open: number;
}

/** What the in-flight gauge reads: the in-flight limiter's counts. */
export interface InFlightCounts {
  readOnly(): number;
  mutating(): number;
}

/**
 * The process metrics (process_cpu_seconds_total, nodejs_heap_size_used_bytes ...) are the
 * process's, not a cluster's: collected once, lazily, in a registry of their own that every
 * server's /metrics appends (prom-client's collectors keep observers that are never released).
 */
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The verb label kube records (metrics.CleanVerb): LIST and WATCH for collections, APPLY for server-side apply. */
export function reportedVerb(info: Pick<ResourceRequestInfo, 'verb'>, method: string, contentType: string | string[] | undefined): string {
  switch (info.verb) {
    case 'list':
      return 'LIST';
    case 'watch':
      return 'WATCH';
    case 'patch':
      return typeof contentType === 'string' && contentType.startsWith(APPLY_PATCH) ? 'APPLY' : 'PATCH';
    default:
      return method;
  }
}

/** kube's scope label: resource (a named object), namespace, or cluster. */
export function scopeOf(info: Pick<ResourceRequestInfo, 'name' | 'namespace'>): string {
  return info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster';
}

export class ApiServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<string>;
  private readonly durations: Histogram<string>;
  private readonly series = new WeakMap<ResourceType, Map<string, Series>>();
  /** Non-resource requests (discovery, /openapi, /version ...): by method only, as paths are unbounded. */
  private readonly nonResource = new Map<string, Series>();
  private readonly longRunning = new Set<Series>();
  /** The resource request each HTTP request turned out to be, set by dispatch once resolved. */
  private readonly noted = new WeakMap<IncomingMessage, { rt: ResourceType; series: Series }>();

  constructor(ctx: Pick<RegistryContext, 'catalog' | 'storage'>, inFlight: InFlightCounts) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, group, version, resource, scope, component, and HTTP response code.',
      labelNames: [...REQUEST_LABELS, 'code'],
      registers,
    });
    this.durations = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, group, version, resource, subresource, scope and component.',
      labelNames: [...REQUEST_LABELS],
      buckets: DURATION_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      labelNames: ['request_kind'],
      registers,
      collect() {
        this.set({ request_kind: 'readOnly' }, inFlight.readOnly());
        this.set({ request_kind: 'mutating' }, inFlight.mutating());
      },
    });
    const longRunning = this.longRunning;
    new Gauge({
      name: 'apiserver_longrunning_requests',
      help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.',
      labelNames: [...REQUEST_LABELS],
      registers,
      collect() {
        this.reset();
        for (const s of longRunning) if (s.open > 0) this.set(s.labels, s.open);
      },
    });
    new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects at the time of last check split by kind.',
      labelNames: ['resource'],
      registers,
      collect() {
        this.reset();
        const seen = new Set<string>();
        for (const rt of ctx.catalog.all()) {
          const resource = storageResource(rt);
          if (seen.has(resource)) continue;
          seen.add(resource);
          this.set({ resource }, ctx.storage.count(resource));
        }
      },
    });
  }

  /** The Prometheus text exposition of this server's metrics and the process's. */
  async render(): Promise<string> {
    return (await this.registry.metrics()) + (await processMetrics().metrics());
  }

  /** Serves GET /metrics and records every HTTP request when it is answered. */
  register(app: FastifyInstance): void {
    app.get('/metrics', async (_req, reply) => reply.header('content-type', this.registry.contentType).send(await this.render()));
    app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
      const noted = this.noted.get(req.raw);
      const series = noted ? noted.series : this.nonResourceSeries(req.method);
      this.observe(series, reply.statusCode, reply.elapsedTime / 1000);
    });
  }

  /** Dispatch resolved an HTTP request to a resource: its answer is recorded with these labels. */
  noteResource(raw: IncomingMessage, info: ResourceRequestInfo, rt: ResourceType): void {
    this.noted.set(raw, { rt, series: this.seriesFor(info, rt, raw.method ?? 'GET', raw.headers['content-type']) });
  }

  /** A request answered without fastify (the in-process client's direct path). */
  recordDirect(info: ResourceRequestInfo, rt: ResourceType | undefined, method: string, contentType: string | undefined, code: number, seconds: number): void {
    this.observe(rt ? this.seriesFor(info, rt, method, contentType) : this.nonResourceSeries(method), code, seconds);
  }

  /** A long-running request (watch, logs) started; the returned function ends it. */
  openLongRunning(info: ResourceRequestInfo, rt: ResourceType, method: string): () => void {
    const s = this.seriesFor(info, rt, method, undefined);
    s.open++;
    this.longRunning.add(s);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      s.open--;
    };
  }

  private observe(s: Series, code: number, seconds: number): void {
    let counter = s.byCode.get(code);
    if (!counter) s.byCode.set(code, (counter = this.requests.labels({ ...s.labels, code: String(code) })));
    counter.inc();
    s.duration.observe(seconds);
  }

  private seriesFor(info: ResourceRequestInfo, rt: ResourceType, method: string, contentType: string | string[] | undefined): Series {
    let byKey = this.series.get(rt);
    if (!byKey) this.series.set(rt, (byKey = new Map()));
    const verb = reportedVerb(info, method, contentType);
    const scope = scopeOf(info);
    const subresource = info.subresource ?? '';
    const key = `${verb} ${scope} ${subresource}`;
    let s = byKey.get(key);
    if (!s) {
      const labels: Labels = { verb, group: rt.group, version: rt.version, resource: rt.resource, subresource, scope, component: COMPONENT };
      byKey.set(key, (s = this.newSeries(labels)));
    }
    return s;
  }

  private nonResourceSeries(method: string): Series {
    let s = this.nonResource.get(method);
    if (!s) {
      const labels: Labels = { verb: method, group: '', version: '', resource: '', subresource: '', scope: '', component: COMPONENT };
      this.nonResource.set(method, (s = this.newSeries(labels)));
    }
    return s;
  }

  private newSeries(labels: Labels): Series {
    return { labels, duration: this.durations.labels(labels), byCode: new Map(), open: 0 };
  }
}
