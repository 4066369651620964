import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../core/events/EventBus';
import type { Router } from './Router';
import { WS_EVENTS_PATH, WS_TOKEN_PREFIX } from '../../shared/contract/transport';
import { isBroadcastEvent } from '../../shared/contract';
import { AppError } from '../../shared/errors';

export interface HttpTransportOptions {
  router: Router;
  bus: EventBus;
  /** Folder of the built renderer; served as static files. */
  rendererDir: string | null;
  host?: string;
  port?: number;
  token?: string;
  maxBodyBytes?: number;
  /**
   * Other protocols served under a path prefix (the OpenAI-compatible API under `/v1`), after the
   * Host/Origin check and with their own authentication; the handler gets the path after the prefix.
   */
  mounts?: ReadonlyArray<{ prefix: string; handle: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> }>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";


export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/** Binding to any of these listens on every interface of the machine. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '0:0:0:0:0:0:0:0';
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

function hostForUrl(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/**
 * The names (without port) a browser may put in `Host` to reach a server bound to `bindHost`:
 * only this machine's own loopback names, interface addresses and host name. A DNS-rebinding page
 * arrives with its own domain in `Host`, which is never one of these.
 */
export function reachableHostNames(
  bindHost: string,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
  machineName: string = osHostname(),
): string[] {
  if (isLoopbackHost(bindHost)) return LOOPBACK_NAMES;
  const names = new Set<string>([hostForUrl(bindHost)]);
  const name = machineName.toLowerCase();
  if (name) {
    names.add(name);
    // macOS and most Linux desktops answer to `<name>.local` over mDNS.
    if (!name.endsWith('.local')) names.add(`${name}.local`);
  }
  if (isWildcardHost(bindHost)) {
    for (const n of LOOPBACK_NAMES) names.add(n);
    for (const list of Object.values(interfaces)) {
      // A zone id (`%eth0`) never appears in a Host header.
      for (const i of list ?? []) names.add(hostForUrl(i.address.split('%')[0]!.toLowerCase()));
    }
  }
  return [...names];
}

/**
 * The router over HTTP (`POST /api/<route>`) and WebSocket (`/api/events`), on loopback by
 * default, with a per-launch token and Host/Origin checks against DNS rebinding. It knows no
 * route by name.
 */
export class HttpTransport implements AsyncDisposable {
  readonly token: string;
  readonly #options: HttpTransportOptions;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  #unsubscribe: (() => void) | null = null;
  #allowedHosts = new Set<string>();
  #port = 0;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    this.token = options.token ?? randomBytes(24).toString('base64url');
    this.#server = createServer((req, res) => {
      // A request must never take the server down: anything unexpected is a 500 for that request.
      this.#onRequest(req, res).catch((error: unknown) => {
        console.error('parity serve: request failed:', error);
        this.#json(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'The request could not be handled.' } });
      });
    });
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    this.#server.on('upgrade', (req, socket, head) => {
      if (!this.#checkHostAndOrigin(req) || (req.url ?? '').split('?')[0] !== WS_EVENTS_PATH || !this.#wsTokenOk(req)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
    });
  }

  async listen(): Promise<{ url: string; port: number; host: string; otherUrls: string[] }> {
    const host = this.#options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port ?? 0, host, () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    this.#refreshAllowedHosts();
    this.#unsubscribe = this.#options.bus.onAny((name, payload) => {
      if (!isBroadcastEvent(name)) return;
      const message = JSON.stringify({ event: name, payload });
      for (const client of this.#wss.clients) if (client.readyState === 1) client.send(message);
    });
    // On every interface, the loopback URL is the one that works on this machine; the others are
    // for the rest of the network.
    const shownHost = isWildcardHost(host) ? '127.0.0.1' : hostForUrl(host);
    const urlFor = (h: string): string => `http://${h}:${this.#port}/?token=${this.token}`;
    const others = isWildcardHost(host)
      ? reachableHostNames(host).filter((h) => !LOOPBACK_NAMES.includes(h) && h !== hostForUrl(host) && !h.startsWith('[fe80:'))
      : [];
    return { url: urlFor(shownHost), port: this.#port, host, otherUrls: others.map(urlFor) };
  }

  #refreshAllowedHosts(): void {
    const host = this.#options.host ?? '127.0.0.1';
    this.#allowedHosts = new Set(reachableHostNames(host).map((h) => `${h}:${this.#port}`));
  }

  #checkHostAndOrigin(req: IncomingMessage): boolean {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    // Addresses change (Wi-Fi, DHCP, VPN): look again before refusing a name we did not know.
    if (!this.#allowedHosts.has(hostHeader) && !isLoopbackHost(this.#options.host ?? '127.0.0.1')) this.#refreshAllowedHosts();
    if (!this.#allowedHosts.has(hostHeader)) return false;
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return [...this.#allowedHosts].some((h) => origin.toLowerCase() === `http://${h}`);
  }

  #tokenMatches(candidate: string | undefined): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  #wsTokenOk(req: IncomingMessage): boolean {
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const fromProtocol = protocols.find((p) => p.startsWith(WS_TOKEN_PREFIX))?.slice(WS_TOKEN_PREFIX.length);
    return this.#tokenMatches(fromProtocol);
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    if (!this.#checkHostAndOrigin(req)) {
      return this.#json(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: 'Forbidden host or origin.' } });
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const mount = this.#options.mounts?.find((m) => url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`));
    if (mount) return mount.handle(req, res, url.pathname.slice(mount.prefix.length));
    if (url.pathname.startsWith('/api/')) return this.#onApi(req, res, url.pathname.slice('/api/'.length));
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.#json(res, 405, { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: 'Use GET for pages and POST /api/<route> for requests.' } });
    return this.#serveStatic(res, url.pathname);
  }

  async #onApi(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    const auth = req.headers.authorization ?? '';
    const bearer = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
    if (!this.#tokenMatches(bearer)) {
      return this.#json(res, 401, { ok: false, error: { code: 'UNAUTHORIZED', message: 'Missing or invalid token. Open the URL `parity serve` printed.' } });
    }
    if (req.method !== 'POST') return this.#json(res, 405, { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: 'Use POST.' } });
    let input: unknown;
    try {
      const body = await readBody(req, this.#options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      input = body.length === 0 ? {} : JSON.parse(body);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        const message = `The request body is larger than the ${formatMb(error.limit)} limit. Send less at once (for example, import a large suite from a file instead).`;
        return this.#json(res, 413, { ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message, details: { limitBytes: error.limit } } }, { Connection: 'close' });
      }
      return this.#json(res, 400, { ok: false, error: { code: 'VALIDATION_FAILED', message: `Request body is not valid JSON: ${(error as Error).message}` } });
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const result = await this.#options.router.handle(safeDecode(route) ?? '', input, { transport: 'http', signal: controller.signal });
    this.#json(res, result.ok || result.error.code !== 'UNKNOWN_ROUTE' ? 200 : 404, result);
  }

  #serveStatic(res: ServerResponse, pathname: string): void {
    const root = this.#options.rendererDir;
    if (!root || !existsSync(root)) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The renderer is not built. Run `npm run build` first.');
      return;
    }
    const decoded = safeDecode(pathname);
    if (decoded === null) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Bad request path.');
      return;
    }
    const safe = normalize(decoded).replace(/^([/\\])+/, '');
    let file = join(root, safe);
    if (!file.startsWith(root + sep) && file !== root) file = join(root, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) file = join(root, 'index.html');
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    });
    createReadStream(file).pipe(res);
  }

  #json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  get port(): number {
    return this.#port;
  }

  connectedClients(): WebSocket[] {
    return [...this.#wss.clients];
  }

  async dispose(): Promise<void> {
    this.#unsubscribe?.();
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

/** decodeURIComponent that returns null for a malformed %-sequence instead of throwing. */
function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** How far past the limit an oversized body is still read (and thrown away) so its 413 arrives. */
const DRAIN_FACTOR = 4;

export class BodyTooLargeError extends AppError {
  constructor(readonly limit: number) {
    super('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`, { limitBytes: limit });
    this.name = 'BodyTooLargeError';
  }
}

function formatMb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${bytes} bytes`;
}

/**
 * Buffers the body up to `limit`. Past it the rest is read and discarded before answering: closing
 * a socket that still has unread request bytes makes the kernel send a reset, and a client that
 * is still uploading then loses the 413 along with the connection. A body past DRAIN_FACTOR × the
 * limit is cut off without an answer, so nobody can keep the server reading forever.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (tooLarge || size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > limit * DRAIN_FACTOR) {
          req.destroy();
          reject(new BodyTooLargeError(limit));
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLargeError(limit)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
