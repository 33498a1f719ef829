// The watchers of the `watch` scenario, in a child process of their own (so neither kubesim nor
// the writers share their event loop): `count` raw HTTP watch streams or client-node informers on
// one namespace. Each records when every burst ConfigMap (`burst-<i>`) arrived; once the parent
// sends the writers' response times, it reports delays and missed events over IPC.
//
//   node --import tsx bench/watch-load/watchers.ts '<WatchersConfig as JSON>'
import type * as K8s from '@kubernetes/client-node';
import { Agent, request, type IncomingMessage } from 'node:http';
import { percentile } from '../figures.js';
import { burstIndex, now, type WatchersConfig, type WatchersReport, type WatchersRequest } from './protocol.js';

const config = JSON.parse(process.argv[2]!) as WatchersConfig;
const { count, creates } = config;
/** arrivals[w * creates + i]: when watcher w saw burst-<i> (epoch ms), NaN until it did. */
const arrivals = new Float64Array(count * creates).fill(Number.NaN);
let received = 0;
let duplicates = 0;
let failures = 0;
let lastArrival = 0;
let whenAll: (() => void) | undefined;

function arrived(watcher: number, name: string | undefined, at: number): void {
  const i = burstIndex(name);
  if (i === undefined || i >= creates) return;
  const slot = watcher * creates + i;
  if (!Number.isNaN(arrivals[slot]!)) {
    duplicates++;
    return;
  }
  arrivals[slot] = at;
  received++;
  lastArrival = at;
  if (received === count * creates) whenAll?.();
}

// Raw streams: one socket each (the default agent would do too; say so explicitly), newline-delimited JSON.
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const responses: IncomingMessage[] = [];

/** metadata.name of the event line text[start, end): the first "name" key after "metadata". */
function nameIn(text: string, start: number, end: number): string | undefined {
  const key = '"name":"';
  const at = text.indexOf(key, text.indexOf('"metadata":{', start));
  if (at < 0 || at >= end) return undefined;
  const from = at + key.length;
  return text.slice(from, text.indexOf('"', from));
}

function openRaw(watcher: number): Promise<void> {
  const path = `/api/v1/namespaces/${config.namespace}/configmaps?watch=1&resourceVersion=${config.resourceVersion}`;
  return new Promise((resolve, reject) => {
    const req = request(`${config.url}${path}`, { agent }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`watch ${path}: ${res.statusCode}`));
      responses.push(res);
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = now();
        const text = pending + chunk;
        let start = 0;
        let nl: number;
        while ((nl = text.indexOf('\n', start)) >= 0) {
          // Not JSON.parse: 1,000 watchers parsing every event in one process would measure this
          // process, not kubesim's delivery (the informers round parses, as client-node does).
          if (text.startsWith('{"type":"ADDED"', start)) arrived(watcher, nameIn(text, start, nl), at);
          start = nl + 1;
        }
        pending = text.slice(start);
      });
      res.on('close', () => failures++);
      resolve();
    });
    req.on('error', reject);
    req.end();
  });
}

// Informers: makeInformer lists, then watches from the list's resourceVersion; 'add' is the delivery.
// client-node is imported only for them: it takes seconds to load.
const informers: K8s.Informer<K8s.V1ConfigMap>[] = [];

async function openInformer(k8s: typeof K8s, watcher: number, kc: K8s.KubeConfig, core: K8s.CoreV1Api): Promise<void> {
  const informer = k8s.makeInformer<K8s.V1ConfigMap>(kc, `/api/v1/namespaces/${config.namespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace: config.namespace }));
  informer.on('add', (o: K8s.V1ConfigMap) => arrived(watcher, o.metadata?.name, now()));
  informer.on('error', () => failures++);
  informers.push(informer);
  await informer.start();
}

async function open(): Promise<void> {
  if (config.mode === 'raw') return openAll((w) => openRaw(w));
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'kubesim', server: config.url, skipTLSVerify: true }],
    users: [{ name: 'bench' }],
    contexts: [{ name: 'kubesim', cluster: 'kubesim', user: 'bench' }],
    currentContext: 'kubesim',
  });
  const core = kc.makeApiClient(k8s.CoreV1Api);
  return openAll((w) => openInformer(k8s, w, kc, core));
}

async function openAll(openOne: (watcher: number) => Promise<void>): Promise<void> {
  // 100 at a time: the server's listen backlog is finite, and a refused SYN costs a second.
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(100, count) }, async () => {
      while (next < count) {
        const w = next++;
        await openOne(w);
      }
    }),
  );
}

async function report(req: WatchersRequest): Promise<WatchersReport> {
  const expected = count * creates;
  if (received < expected) {
    // Everything was written before the request came: wait for the rest, up to settleMs of no progress.
    await new Promise<void>((resolve) => {
      whenAll = resolve;
      let seen = received;
      const check = setInterval(() => {
        if (received === seen) {
          clearInterval(check);
          resolve();
        }
        seen = received;
      }, req.settleMs);
      whenAll = () => {
        clearInterval(check);
        resolve();
      };
    });
  }
  const delays: number[] = [];
  for (let w = 0; w < count; w++) {
    for (let i = 0; i < creates; i++) {
      const at = arrivals[w * creates + i]!;
      // The event can beat the create's response to its client (kubesim fans out before it answers),
      // so a delivery before the response counts as no delay rather than a negative one.
      if (!Number.isNaN(at)) delays.push(Math.max(0, at - req.responses[i]!));
    }
  }
  return { received, missed: expected - received, duplicates, failures, p50: percentile(delays, 50), p99: percentile(delays, 99), lastArrival };
}

process.on('message', (msg: WatchersRequest) => {
  void report(msg).then((r) => process.send!(r));
});

await open();
process.send!({ ready: true });
