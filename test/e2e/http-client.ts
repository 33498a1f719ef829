// A tiny HTTP client for API tests: JSON in, JSON out, and line-by-line watch streams.
import http from 'node:http';

export interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export function api(base: string) {
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      const req = http.request(
        new URL(path, base),
        // Node sends a DELETE body unframed unless told its length (no chunking by default for DELETE).
        { method, headers: { ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}), ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
          });
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  return {
    get: (p: string, h?: Record<string, string>) => request('GET', p, undefined, h),
    post: (p: string, b: unknown, h?: Record<string, string>) => request('POST', p, b, h),
    put: (p: string, b: unknown, h?: Record<string, string>) => request('PUT', p, b, h),
    patch: (p: string, b: unknown, type: string) => request('PATCH', p, b, { 'content-type': type }),
    delete: (p: string, b?: unknown) => request('DELETE', p, b),
    request,
  };
}

/** Opens a watch and collects its events; `next(n)` waits until n events arrived. */
export function openWatch(base: string, path: string, headers: Record<string, string> = {}) {
  const events: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  let status = 0;
  let ended = false;
  let buf = '';
  const req = http.get(new URL(path, base), { headers }, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.trim()) events.push(JSON.parse(line));
      }
    });
    res.on('end', () => (ended = true));
    res.on('close', () => (ended = true));
  });
  req.on('error', () => (ended = true));
  return {
    events,
    get status() {
      return status;
    },
    get ended() {
      return ended;
    },
    async next(n: number, timeoutMs = 5000): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
      const deadline = Date.now() + timeoutMs;
      while (events.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      return events;
    },
    async waitEnded(timeoutMs = 5000): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (!ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      return ended;
    },
    close: () => req.destroy(),
  };
}
