// The Client over a socket: node:http or node:https with a keep-alive Agent, TLS and
// credentials from a RestConfig (client-go rest.RESTClientFor + transport.New: one pooled
// transport per config, bearer token or basic auth added to every request).
import http from 'node:http';
import https from 'node:https';
import type { RestConfig } from './kubeconfig-loader.js';
import { RestClient, type RestClientOptions } from './rest-client.js';
import { pathWithQuery, type Transport, type TransportRequest, type TransportResponse, type TransportStream } from './transport.js';

export function httpTransport(config: RestConfig): Transport {
  const base = new URL(config.server);
  const secure = base.protocol === 'https:';
  if (!secure && base.protocol !== 'http:') throw new Error(`unsupported server URL ${config.server}`);
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        ca: config.ca,
        cert: config.cert,
        key: config.key,
        rejectUnauthorized: !config.insecureSkipTLSVerify,
      })
    : new http.Agent({ keepAlive: true });
  const lib = secure ? https : http;
  // A server URL may carry a path prefix (behind a proxy); requests go below it.
  const prefix = base.pathname.replace(/\/+$/, '');

  const auth: Record<string, string> = {};
  if (config.token) auth.authorization = `Bearer ${config.token}`;
  else if (config.username !== undefined || config.password !== undefined) {
    auth.authorization = `Basic ${Buffer.from(`${config.username ?? ''}:${config.password ?? ''}`).toString('base64')}`;
  }

  const open = (req: TransportRequest): Promise<{ incoming: http.IncomingMessage; clientReq: http.ClientRequest }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...auth, ...req.headers };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      const clientReq = lib.request(
        {
          protocol: base.protocol,
          hostname: base.hostname.replace(/^\[|\]$/g, ''),
          port: base.port || undefined,
          method: req.method,
          path: prefix + pathWithQuery(req),
          headers,
          agent,
        },
        (incoming) => resolve({ incoming, clientReq }),
      );
      clientReq.on('error', reject);
      if (req.body !== undefined) clientReq.write(req.body);
      clientReq.end();
    });

  return {
    async request(req): Promise<TransportResponse> {
      const { incoming } = await open(req);
      const chunks: Buffer[] = [];
      for await (const c of incoming) chunks.push(c as Buffer);
      return { status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) };
    },
    async stream(req): Promise<TransportStream> {
      const { incoming, clientReq } = await open(req);
      // After the response arrived, request errors surface on the body stream instead.
      clientReq.removeAllListeners('error');
      clientReq.on('error', (e) => incoming.destroy(e));
      return {
        status: incoming.statusCode ?? 0,
        headers: incoming.headers,
        body: incoming,
        // A watch's connection is never handed back to the pool: destroying it is how the
        // server learns the watcher left (client-go cancels the request's context).
        cancel: () => clientReq.destroy(),
      };
    },
    close: () => agent.destroy(),
  };
}

export interface HttpClientOptions extends RestClientOptions {}

/** The Client over HTTP(S), built from a RestConfig (e.g. from loadKubeconfig). */
export class HttpClient extends RestClient {
  constructor(
    readonly config: RestConfig,
    options: HttpClientOptions = {},
  ) {
    super(httpTransport(config), options);
  }
}
