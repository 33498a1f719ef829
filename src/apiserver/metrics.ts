// /metrics: the server's Prometheus metrics, named and labelled as kube-apiserver's
// (k8s.io/apiserver pkg/endpoints/metrics): apiserver_request_total,
// apiserver_request_duration_seconds, apiserver_current_inflight_requests,
// apiserver_longrunning_requests, apiserver_storage_objects, plus the process metrics.
// One Registry per server, never prom-client's global one, so clusters in one process never
// mix. A request costs a map lookup and a few increments on plain numbers kept per resource,
// verb, subresource and scope (prom-client's own children validate and hash their labels on
// every call); prom-client reads them and writes the text format when /metrics is scraped.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry, type MetricValueWithName } from 'prom-client';
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

/** One label set (without the code): its request counts by code, latency histogram, open long-running requests. */
interface Series {
  labels: Labels;
  byCode: Map<number, number>;
  /** Observations per bucket (not cumulative), the last one for +Inf. */
  buckets: number[];
  sum: number;
  count: number;
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
  /** Every series, for the scrape (the WeakMap below only finds them). */
  private readonly all: Series[] = [];
  private readonly series = new WeakMap<ResourceType, Map<string, Series>>();
  /** Non-resource requests (discovery, /openapi, /version ...): by method only, as paths are unbounded. */
  private readonly nonResource = new Map<string, Series>();
  private readonly longRunning = new Set<Series>();
  /** The resource request each HTTP request turned out to be, set by dispatch once resolved. */
  private readonly noted = new WeakMap<IncomingMessage, { rt: ResourceType; series: Series }>();

  constructor(ctx: Pick<RegistryContext, 'catalog' | 'storage'>, inFlight: InFlightCounts) {
    const registers = [this.registry];
    const all = this.all;
    new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, group, version, resource, scope, component, and HTTP response code.',
      labelNames: [...REQUEST_LABELS, 'code'],
      registers,
      collect() {
        this.reset();
        for (const s of all) for (const [code, n] of s.byCode) this.inc({ ...s.labels, code: String(code) }, n);
      },
    });
    this.registry.registerMetric(durationHistogram(all) as unknown as Counter<string>);
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
    app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const noted = this.noted.get(req.raw);
      const series = noted ? noted.series : this.nonResourceSeries(req.method);
      this.observe(series, reply.statusCode, reply.elapsedTime / 1000);
      done();
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
    s.byCode.set(code, (s.byCode.get(code) ?? 0) + 1);
    let b = 0;
    while (b < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[b]!) b++;
    s.buckets[b]!++;
    s.sum += seconds;
    s.count++;
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
    const s: Series = { labels, byCode: new Map(), buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0), sum: 0, count: 0, open: 0 };
    this.all.push(s);
    return s;
  }
}

/** apiserver_request_duration_seconds as prom-client's Registry reads a histogram: cumulative buckets, _sum, _count. */
function durationHistogram(all: Series[]) {
  const name = 'apiserver_request_duration_seconds';
  return {
    name,
    get() {
      const values: MetricValueWithName<string>[] = [];
      for (const s of all) {
        if (s.count === 0) continue;
        let cumulative = 0;
        DURATION_BUCKETS.forEach((le, i) => {
          cumulative += s.buckets[i]!;
          values.push({ metricName: `${name}_bucket`, labels: { ...s.labels, le: String(le) }, value: cumulative });
        });
        values.push({ metricName: `${name}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: s.count });
        values.push({ metricName: `${name}_sum`, labels: s.labels, value: s.sum });
        values.push({ metricName: `${name}_count`, labels: s.labels, value: s.count });
      }
      return {
        name,
        help: 'Response latency distribution in seconds for each verb, group, version, resource, subresource, scope and component.',
        type: 'histogram',
        aggregator: 'sum',
        values,
      };
    },
  };
}
