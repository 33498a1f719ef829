// The Client with no socket. Resource and discovery requests, and watches, take the server's
// direct path (buildServer's directDispatcher): the same request info, handlers and encoded
// response as a request off the wire, without fastify's request objects. Anything else (pod
// logs, the clock, an oversized body) goes through the fastify instance with inject(); its
// streams use light-my-request's payloadAsStream, which hands over the handler's writes to
// reply.raw as a Readable as they happen.
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { directDispatcher } from '../apiserver/server.js';
import { loopbackHeaders } from '../apiserver/auth/authentication-filter.js';
import type { UserInfo } from '../apiserver/auth/user.js';
import { RestClient, type RestClientOptions } from './rest-client.js';
import { pathWithQuery, type Transport, type TransportRequest, type TransportResponse, type TransportStream } from './transport.js';

/**
 * `user`: whom the requests are from (a controller's identity); the administrator when unset.
 * The direct path hands it to the server. A request through inject passes the authentication
 * filter with the server's loopback credential, as kube-apiserver's own loopback client does,
 * and impersonates the user.
 */
export function inProcessTransport(server: FastifyInstance, user?: UserInfo): Transport {
  const loopback = loopbackHeaders(server);
  const impersonation: Record<string, string | string[]> = user ? { 'impersonate-user': user.name, 'impersonate-group': [...user.groups] } : {};
  const options = (req: TransportRequest) => ({
    method: req.method,
    url: pathWithQuery(req),
    headers: { ...loopback, ...req.headers, ...impersonation } as Record<string, string>,
    ...(req.body !== undefined ? { payload: req.body } : {}),
  });
  const as = user ? { user } : {};
  // Open watches: a hijacked in-process response has no socket, so closing the server (which
  // ends watches by closing their connections) would never reach it; end them ourselves.
  const open = new Set<() => void>();
  const cancelAll = () => {
    for (const cancel of [...open]) cancel();
  };
  let watchingClose = false;
  // Most requests skip inject: the server answers them directly (buildServer's direct path).
  const direct = directDispatcher(server);
  return {
    async request(req): Promise<TransportResponse> {
      // A response never comes back in the caller's own turn of the event loop, as none does
      // over a socket: a client looping over requests would otherwise run on microtasks alone
      // and starve every watch stream and timer in the process until it stopped.
      await new Promise((resolve) => setImmediate(resolve));
      const answered = direct?.request({ method: req.method, url: pathWithQuery(req), headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}), ...as });
      if (answered) return answered;
      const res = await server.inject(options(req));
      return { status: res.statusCode, headers: res.headers, body: res.rawPayload };
    },
    async stream(req): Promise<TransportStream> {
      const watch = direct?.watch({ method: req.method, url: pathWithQuery(req), headers: req.headers, ...as });
      if (watch) {
        const cancel = () => {
          open.delete(cancel);
          watch.cancel();
        };
        open.add(cancel);
        watch.body.once('close', () => open.delete(cancel));
        return { ...watch, cancel };
      }
      const res = await server.inject({ ...options(req), payloadAsStream: true });
      const body = res.stream() as Readable;
      // The server's end of the response. Ending it emits 'close' there (light-my-request
      // closes after end), which the watch handler takes as the client leaving and stops its
      // storage watch; our stream then ends cleanly instead of with a destroyed-response error.
      const serverResponse = (res.raw as { res?: { end(): void; writableEnded: boolean } }).res;
      const cancel = () => {
        open.delete(cancel);
        if (serverResponse && !serverResponse.writableEnded) serverResponse.end();
      };
      open.add(cancel);
      body.once('close', () => open.delete(cancel));
      if (!watchingClose) {
        watchingClose = true;
        server.server.once('close', cancelAll);
      }
      return { status: res.statusCode, headers: res.headers, body, cancel };
    },
    close: cancelAll,
  };
}

export interface InProcessClientOptions extends RestClientOptions {
  /** Whom the client's requests are from (kube's user info); the administrator when unset. */
  user?: UserInfo;
}

/** The Client over a cluster's fastify instance (`startCluster().server`), no socket involved. */
export class InProcessClient extends RestClient {
  constructor(server: FastifyInstance, options: InProcessClientOptions = {}) {
    super(inProcessTransport(server, options.user), options);
  }
}
