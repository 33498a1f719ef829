// The one thing that differs between talking to kubesim over a socket and in-process: how a
// request reaches the server. RestClient builds every URL, header and body and reads every
// answer; a transport only moves bytes (client-go's rest.Interface over an http.RoundTripper).
import type { Readable } from 'node:stream';

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute path on the server, e.g. /api/v1/namespaces/default/configmaps. */
  path: string;
  query?: URLSearchParams;
  headers: Record<string, string>;
  body?: string;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
}

/** A response whose body is still arriving (a watch). */
export interface TransportStream {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Readable;
  /** Ends the request from the client side (closes the socket, or the in-process response). */
  cancel(): void;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  stream(req: TransportRequest): Promise<TransportStream>;
  /** Releases pooled connections. */
  close?(): void;
}

export function pathWithQuery(req: Pick<TransportRequest, 'path' | 'query'>): string {
  const q = req.query?.toString();
  return q ? `${req.path}?${q}` : req.path;
}

/** Reads a whole stream, for error bodies of a stream request. */
export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}

/** A transport that counts its unfinished requests (streams excluded), so a caller can tell when a client has gone quiet. */
export function countingTransport(inner: Transport): Transport & { inFlight(): number } {
  let n = 0;
  return {
    async request(req) {
      n++;
      try {
        return await inner.request(req);
      } finally {
        n--;
      }
    },
    stream: (req) => inner.stream(req),
    close: () => inner.close?.(),
    inFlight: () => n,
  };
}
