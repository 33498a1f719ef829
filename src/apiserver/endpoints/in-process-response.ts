// The response of a watch the in-process client opened without inject: the watch handler
// writes to it as to a ServerResponse (the subset it uses), and the client reads `body`, a
// Readable of the same bytes. Bytes the client has not read yet count as unsent, so a client
// that stops reading is cut off at the same limit as a slow socket.
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';

export class InProcessResponse extends EventEmitter {
  statusCode = 200;
  readonly headers: Record<string, string | string[]> = {};
  headersSent = false;
  /** No socket: a sink writes through write(), as for a response not yet attached to one. */
  readonly socket = null;
  writableEnded = false;
  readonly body = new Readable({ read() {} });
  private closed = false;

  setHeader(name: string, value: string | string[]): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  writeHead(statusCode: number, headers: Record<string, string | string[]> = {}): this {
    this.statusCode = statusCode;
    for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    this.headersSent = true;
    return this;
  }

  flushHeaders(): void {
    this.headersSent = true;
  }

  write(chunk: string | Buffer): boolean {
    if (this.writableEnded) return false;
    this.body.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return true;
  }

  /** Bytes written that the client has not read. */
  get writableLength(): number {
    return this.body.readableLength;
  }

  end(chunk?: string | Buffer): this {
    if (this.writableEnded) return this;
    if (chunk !== undefined) this.write(chunk);
    this.writableEnded = true;
    this.body.push(null);
    this.finish();
    return this;
  }

  destroy(): this {
    if (!this.writableEnded) {
      this.writableEnded = true;
      this.body.destroy();
    }
    this.finish();
    return this;
  }

  /** The client went away: the stream ends on its side, and the handler hears 'close'. */
  cancel(): void {
    this.end();
  }

  /** 'close' once, after the current write, as a ServerResponse emits it when finished or cut. */
  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    process.nextTick(() => this.emit('close'));
  }
}
