// The Client with no socket: every request goes through the cluster's fastify instance with
// inject(), which runs the same routing, hooks, content-type parsing and handlers as a request
// off the wire (the way controller-runtime's envtest talks to a real apiserver, minus TCP).
// Watches use light-my-request's payloadAsStream: the handler hijacks the reply and writes
// the stream to reply.raw, and inject hands us those writes as a Readable as they happen.
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { RestClient, type RestClientOptions } from './rest-client.js';
import { pathWithQuery, type Transport, type TransportRequest, type TransportResponse, type TransportStream } from './transport.js';

export function inProcessTransport(server: FastifyInstance): Transport {
  const options = (req: TransportRequest) => ({
    method: req.method,
    url: pathWithQuery(req),
    headers: req.headers,
    ...(req.body !== undefined ? { payload: req.body } : {}),
  });
  return {
    async request(req): Promise<TransportResponse> {
      const res = await server.inject(options(req));
      return { status: res.statusCode, headers: res.headers, body: res.rawPayload };
    },
    async stream(req): Promise<TransportStream> {
      const res = await server.inject({ ...options(req), payloadAsStream: true });
      const body = res.stream() as Readable;
      // The server's end of the response: destroying it emits 'close' there, which is what
      // the watch handler listens for to stop its storage watch (a client disconnect).
      const serverResponse = (res.raw as { res?: { destroy(): void } }).res;
      return {
        status: res.statusCode,
        headers: res.headers,
        body,
        cancel: () => serverResponse?.destroy(),
      };
    },
  };
}

export interface InProcessClientOptions extends RestClientOptions {}

/** The Client over a cluster's fastify instance (`startCluster().server`), no socket involved. */
export class InProcessClient extends RestClient {
  constructor(server: FastifyInstance, options: InProcessClientOptions = {}) {
    super(inProcessTransport(server), options);
  }
}
