// The few JSON requests the manifest loader needs, over global fetch. Deliberately tiny:
// the full REST client (watch, in-process transport) lives in src/clients.
import { ApiError, type ApiClient } from './discovery.js';

export interface RestOptions {
  /** Extra headers for every request, e.g. `authorization` once the server requires it. */
  headers?: Record<string, string>;
  /** Defaults to the global fetch; injectable for tests. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface JsonResponse {
  code: number;
  body: unknown;
}

export class RestClient implements ApiClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(
    baseUrl: string,
    private readonly options: RestOptions = {},
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Sends a request; returns any HTTP answer (errors included), throws only when none came. */
  async request(method: string, path: string, body?: unknown): Promise<JsonResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (this.options.signal) init.signal = this.options.signal;
    const res = await this.fetchImpl(this.base + path, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (a proxy's HTML page, say); keep the text for the error message.
    }
    return { code: res.status, body: parsed };
  }

  async getJson(path: string): Promise<unknown> {
    const res = await this.request('GET', path);
    if (res.code >= 200 && res.code < 300) return res.body;
    throw toApiError(res);
  }
}

/** The Status message the server sent, or a short description of a non-Status answer. */
export function toApiError(res: JsonResponse): ApiError {
  const body = res.body as { kind?: string; message?: string; reason?: string } | undefined;
  if (body && typeof body === 'object' && typeof body.message === 'string' && body.message !== '') {
    return new ApiError(res.code, body.message, body.reason);
  }
  const text = typeof res.body === 'string' ? res.body.trim().slice(0, 200) : '';
  return new ApiError(res.code, `the server responded with HTTP ${res.code}${text ? `: ${text}` : ''}`);
}
