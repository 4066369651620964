import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { anthropicError, anthropicStream } from './anthropicWire';
import { geminiError, geminiStream } from './geminiWire';
import { chatCompletionsStream, openaiError, responsesStream } from './openaiWire';

/** One fault, consumed by the next generation request. */
export type Fault =
  | { kind: 'status'; status: 429 | 500 | 503; retryAfter?: string }
  | { kind: 'reset-mid'; afterChunks: number }
  | { kind: 'reset-before' }
  | { kind: 'malformed'; afterChunks: number }
  | { kind: 'slow-first'; delayMs: number }
  | { kind: 'error-event'; afterChunks: number };

export type Wire = 'openai' | 'compat' | 'anthropic' | 'google';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  at: number;
}

/** A tool call the fake model makes; `arguments` is the JSON text, streamed in two pieces as real servers split it. */
export interface FakeToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface FakeReply {
  chunks: string[];
  /** Tool calls after the text (each wire's real streaming format); the finish reason then says so. */
  toolCalls?: FakeToolCall[];
  usage: { input: number; output: number; cached?: number };
}

export interface FakeProviderServerOptions {
  wire: Wire;
  /** The key the server accepts; anything else gets the provider's real 401 (or Gemini's 400). */
  key?: string | null;
  reply?: FakeReply;
  /** Models the server knows; others get the provider's "model not found" error. */
  models?: string[];
  /** Drop usage from the stream (some OpenAI-compatible servers send none). */
  omitUsage?: boolean;
  /** The reply chosen from the request body (e.g. tool calls when it offers tools); `reply` otherwise. */
  replyFor?: (body: string) => FakeReply | undefined;
  /** Answer a request carrying `tools` or `response_format` with 400, as servers without those features do. */
  rejectStructure?: boolean;
}

export const DEFAULT_REPLY: FakeReply = { chunks: ['Hello', ', ', 'world', '!'], usage: { input: 12, output: 4 } };

/**
 * A loopback server speaking one provider's real streaming wire format, with fault injection.
 * Every request is recorded so tests can count what actually reached "the network".
 */
export class FakeProviderServer implements AsyncDisposable {
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  readonly options: FakeProviderServerOptions;
  #server: Server;
  #sockets = new Set<Socket>();
  port = 0;

  constructor(options: FakeProviderServerOptions) {
    this.options = options;
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  static async start(options: FakeProviderServerOptions): Promise<FakeProviderServer> {
    const server = new FakeProviderServer(options);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    server.port = (server.#server.address() as AddressInfo).port;
    return server;
  }

  /** What a client puts in its base URL for this wire. */
  get baseUrl(): string {
    const root = `http://127.0.0.1:${this.port}`;
    return this.options.wire === 'google' ? `${root}/v1beta` : `${root}/v1`;
  }

  get generationRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const path = req.url ?? '/';
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, at: Date.now() });
    const wire = this.options.wire;
    if (!this.#keyOk(req)) return this.#error(res, 'auth', '');
    if (req.method === 'GET') return this.#list(res);
    const model = this.#modelOf(path, body);
    if (this.options.models && !this.options.models.includes(model)) return this.#error(res, 'model', model);
    if (this.options.rejectStructure && /"(tools|response_format)":/.test(body)) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: "Unrecognized request argument supplied: 'response_format' / 'tools'", type: 'invalid_request_error', param: null, code: null } }));
      return;
    }
    const fault = this.faults.shift();
    if (fault?.kind === 'status') return this.#error(res, String(fault.status), model, fault.retryAfter);
    if (fault?.kind === 'reset-before') return void req.socket.destroy();
    const reply = this.options.replyFor?.(body) ?? this.options.reply ?? DEFAULT_REPLY;
    const events =
      wire === 'openai'
        ? responsesStream(model, reply)
        : wire === 'compat'
          ? chatCompletionsStream(model, reply, this.options.omitUsage)
          : wire === 'anthropic'
            ? anthropicStream(model, reply)
            : geminiStream(model, reply);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'x-request-id': `req_fake_${this.requests.length}`, 'request-id': `req_fake_${this.requests.length}` });
    if (fault?.kind === 'slow-first') await new Promise((r) => setTimeout(r, fault.delayMs));
    // Index of the first event carrying text: faults count text chunks from there.
    let textSeen = 0;
    for (const event of events) {
      if (res.destroyed) return;
      if (event.text && fault && 'afterChunks' in fault && textSeen === fault.afterChunks) {
        if (fault.kind === 'reset-mid') {
          await new Promise((r) => setTimeout(r, 20));
          req.socket.destroy();
          return;
        }
        if (fault.kind === 'malformed') {
          res.write(wire === 'anthropic' ? 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_d\n\n' : 'data: {"id":"x","choices":[{"delta":{"content":"broken\n\n');
          await new Promise((r) => setTimeout(r, 20));
          // Keep streaming: a client that skipped the bad chunk would silently lose text.
        }
        if (fault.kind === 'error-event' && wire === 'anthropic') {
          res.write('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n');
          res.end();
          return;
        }
      }
      if (event.text) textSeen += 1;
      res.write(event.raw);
      await new Promise((r) => setTimeout(r, 2));
    }
    res.end();
  }

  #keyOk(req: IncomingMessage): boolean {
    const expected = this.options.key;
    if (!expected) return true;
    const wire = this.options.wire;
    const got =
      wire === 'anthropic' ? req.headers['x-api-key'] : wire === 'google' ? req.headers['x-goog-api-key'] : String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    return got === expected;
  }

  #modelOf(path: string, body: string): string {
    if (this.options.wire === 'google') return /models\/([^:]+):/.exec(path)?.[1] ?? '';
    try {
      return String((JSON.parse(body) as { model?: string }).model ?? '');
    } catch {
      return '';
    }
  }

  #list(res: ServerResponse): void {
    const models = this.options.models ?? ['model-a', 'model-b'];
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (this.options.wire === 'google') {
      res.end(JSON.stringify({ models: models.map((m) => ({ name: `models/${m}`, displayName: m, inputTokenLimit: 1048576, supportedGenerationMethods: ['generateContent'] })) }));
    } else {
      res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1, owned_by: 'fake', type: 'model', display_name: id })) }));
    }
  }

  #error(res: ServerResponse, kind: string, model: string, retryAfter?: string): void {
    const wire = this.options.wire;
    const { status, body } =
      wire === 'anthropic' ? anthropicError(kind, model) : wire === 'google' ? geminiError(kind, model) : openaiError(kind, model, this.options.key);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
