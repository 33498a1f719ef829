// The bare fastify baseline, "the least an API server must do": parse a JSON body, keep it in a
// Map, answer JSON, on the URL shapes of kubesim's ConfigMaps API, with the minimum comparable
// bookkeeping (a resourceVersion counter, creationTimestamp, 409 on a taken name, 404, paged
// lists). Run as a child process it prints `listening on PORT` once it serves.
import Fastify, { type FastifyInstance } from 'fastify';

type Obj = { metadata: Record<string, unknown> } & Record<string, unknown>;

export async function startBaseline(options: { port?: number } = {}): Promise<{ server: FastifyInstance; port: number }> {
  const server = Fastify({ logger: false, bodyLimit: 3 * 1024 * 1024 });
  const namespaces = new Map<string, Map<string, Obj>>();
  let resourceVersion = 0;
  const bucket = (ns: string) => {
    let m = namespaces.get(ns);
    if (!m) namespaces.set(ns, (m = new Map()));
    return m;
  };
  const base = '/api/v1/namespaces/:ns/configmaps';
  type P = { ns: string; name: string };

  server.post<{ Params: P; Body: Obj }>(base, async (req, reply) => {
    const obj = req.body;
    const name = obj.metadata?.name as string;
    const m = bucket(req.params.ns);
    if (m.has(name)) return reply.code(409).send({ kind: 'Status', reason: 'AlreadyExists' });
    obj.metadata = { ...obj.metadata, namespace: req.params.ns, resourceVersion: String(++resourceVersion), creationTimestamp: new Date().toISOString() };
    m.set(name, obj);
    return reply.code(201).send(obj);
  });
  server.get<{ Params: P }>(`${base}/:name`, async (req, reply) => {
    const obj = namespaces.get(req.params.ns)?.get(req.params.name);
    return obj ?? reply.code(404).send({ kind: 'Status', reason: 'NotFound' });
  });
  server.put<{ Params: P; Body: Obj }>(`${base}/:name`, async (req, reply) => {
    const m = bucket(req.params.ns);
    const old = m.get(req.params.name);
    if (!old) return reply.code(404).send({ kind: 'Status', reason: 'NotFound' });
    const obj = req.body;
    obj.metadata = { ...obj.metadata, namespace: req.params.ns, resourceVersion: String(++resourceVersion), creationTimestamp: old.metadata.creationTimestamp };
    m.set(req.params.name, obj);
    return obj;
  });
  // A page in insertion order; the continue token is the offset to start from.
  server.get<{ Params: P; Querystring: { limit?: string; continue?: string } }>(base, async (req) => {
    const all = [...(namespaces.get(req.params.ns)?.values() ?? [])];
    const start = req.query.continue ? Number(Buffer.from(req.query.continue, 'base64url').toString()) : 0;
    const limit = req.query.limit ? Number(req.query.limit) : all.length;
    const items = all.slice(start, start + limit);
    const next = start + items.length;
    return {
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(resourceVersion), ...(next < all.length ? { continue: Buffer.from(String(next)).toString('base64url') } : {}) },
      items,
    };
  });

  await server.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = server.server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { port } = await startBaseline();
  console.log(`listening on ${port}`);
}
