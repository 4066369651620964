import type { ServerResponse } from 'node:http';

/**
 * Server-sent events the way OpenAI streams them: `data: <json>` per chunk, `data: [DONE]` at the
 * end. Headers go out only with the first chunk, so a request that fails before its first token
 * still gets a plain JSON error with the right status.
 */
export class SseWriter {
  readonly #res: ServerResponse;
  #open = false;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  get opened(): boolean {
    return this.#open;
  }

  send(payload: unknown): void {
    if (!this.#open) this.#start();
    if (!this.#res.writableEnded) this.#res.write(`data: ${JSON.stringify(payload)}\n\n`);
  }

  done(): void {
    if (!this.#open) this.#start();
    if (!this.#res.writableEnded) this.#res.end('data: [DONE]\n\n');
  }

  /** A failure after the stream began: OpenAI's clients raise an `error` payload as an APIError. */
  fail(body: unknown): void {
    if (!this.#res.writableEnded) this.#res.end(`data: ${JSON.stringify(body)}\n\n`);
  }

  #start(): void {
    this.#open = true;
    // Each chunk is one token or a few: do not let Nagle hold them back.
    this.#res.socket?.setNoDelay(true);
    this.#res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  }
}
