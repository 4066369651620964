import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type ParityApp } from '../../src/main/app';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src/shared/contract/transport';
import { HttpTransport, reachableHostNames } from '../../src/main/ipc/HttpTransport';
import { tempDir } from '../helpers/tmp';

/** Raw HTTP so the test controls Host and Origin exactly (fetch forbids setting Host). */
function post(port: number, path: string, headers: Record<string, string>, body: string | Buffer = '{}', address = '127.0.0.1', method = 'POST'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: address, port, path, method, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('parity serve transport', () => {
  const dir = tempDir();
  let app: ParityApp;
  let transport: HttpTransport;
  let port: number;
  let auth: Record<string, string>;

  beforeAll(async () => {
    app = createApp({ dataDir: dir.path, mode: 'serve' });
    transport = new HttpTransport({ router: app.router, bus: app.bus, rendererDir: null });
    ({ port } = await transport.listen());
    auth = { Authorization: `Bearer ${transport.token}`, Host: `127.0.0.1:${port}` };
  });
  afterAll(async () => {
    await transport.dispose();
    await app.dispose();
    dir[Symbol.dispose]();
  });

  it('answers a request with the token', async () => {
    const res = await post(port, '/api/app.info', auth);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, data: { name: 'Parity', mode: 'serve', dataDir: dir.path } });
  });

  it('refuses a request without a token with 401', async () => {
    const res = await post(port, '/api/app.info', { Host: `127.0.0.1:${port}` });
    expect(res.status).toBe(401);
    // Its own code, so a client can tell "log in again" from "fix the input".
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(res.body).not.toContain(dir.path);
  });

  it('refuses a wrong token with 401', async () => {
    const res = await post(port, '/api/app.info', { ...auth, Authorization: `Bearer ${'x'.repeat(transport.token.length)}` });
    expect(res.status).toBe(401);
  });

  it('refuses a foreign Origin even with the token', async () => {
    const res = await post(port, '/api/app.info', { ...auth, Origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a rebinding Host header even with the token', async () => {
    const res = await post(port, '/api/app.info', { ...auth, Host: `evil.example:${port}` });
    expect(res.status).toBe(403);
  });

  it('answers the wrong verb with 405 and METHOD_NOT_ALLOWED', async () => {
    for (const [path, method] of [['/api/app.info', 'GET'], ['/index.html', 'DELETE']] as const) {
      const res = await post(port, path, auth, '', '127.0.0.1', method);
      expect(res.status).toBe(405);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'METHOD_NOT_ALLOWED' } });
    }
  });

  it('accepts its own loopback Origin', async () => {
    const res = await post(port, '/api/app.info', { ...auth, Origin: `http://127.0.0.1:${port}` });
    expect(res.status).toBe(200);
  });

  it('answers a body over the limit with 413 and a message instead of dropping the connection', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024 + 1024, 0x20);
    const res = await post(port, '/api/app.info', auth, big);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/larger than the 8 MB limit/), details: { limitBytes: 8 * 1024 * 1024 } } });
    // The server is still there for the next request.
    expect((await post(port, '/api/app.info', auth)).status).toBe(200);
  });

  it('returns VALIDATION_FAILED for bad input, naming the field', async () => {
    const res = await post(port, '/api/settings.set', auth, JSON.stringify({ key: 'offline', value: 'yes' }));
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'value' } } });
  });

  it('survives malformed percent-encoding in the API path and answers the next request', async () => {
    const res = await post(port, '/api/%E0%A4%A', auth);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ROUTE' } });
    expect((await post(port, '/api/app.info', auth)).status).toBe(200);
  });

  it('serves the renderer, refuses a malformed path with 400 and never serves files outside it', async () => {
    using renderer = tempDir('parity-renderer-');
    writeFileSync(join(renderer.path, 'index.html'), '<!doctype html><title>Parity</title>');
    const other = new HttpTransport({ router: app.router, bus: app.bus, rendererDir: renderer.path });
    const { port: p } = await other.listen();
    try {
      const get = (path: string) => fetch(`http://127.0.0.1:${p}${path}`);
      const index = await get('/');
      expect(index.status).toBe(200);
      expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect((await get('/%E0%A4%A')).status).toBe(400);
      // Traversal falls back to the app's index.html, never the file asked for.
      const traversal = await get('/..%2F..%2F..%2Fetc%2Fpasswd');
      expect(await traversal.text()).toContain('<title>Parity</title>');
      expect((await get('/')).status).toBe(200);
    } finally {
      await other.dispose();
    }
  });

  it('bound to 0.0.0.0, answers this machine\'s own names and addresses and still refuses foreign hosts', async () => {
    const wide = new HttpTransport({ router: app.router, bus: app.bus, rendererDir: null, host: '0.0.0.0' });
    const { port: p, url } = await wide.listen();
    try {
      const token = { Authorization: `Bearer ${wide.token}` };
      expect(url).toBe(`http://127.0.0.1:${p}/?token=${wide.token}`);
      expect((await post(p, '/api/app.info', { ...token, Host: `127.0.0.1:${p}` })).status).toBe(200);
      expect((await post(p, '/api/app.info', { ...token, Host: `localhost:${p}`, Origin: `http://localhost:${p}` })).status).toBe(200);
      // Traffic goes only to this machine: a non-loopback address of one of its own interfaces.
      const own = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (own) {
        const res = await post(p, '/api/app.info', { ...token, Host: `${own.address}:${p}`, Origin: `http://${own.address}:${p}` }, '{}', own.address);
        expect(res.status).toBe(200);
      }
      // The token is still required, and a rebinding Host or foreign Origin is still refused.
      expect((await post(p, '/api/app.info', { Host: `127.0.0.1:${p}` })).status).toBe(401);
      expect((await post(p, '/api/app.info', { ...token, Host: `evil.example:${p}` })).status).toBe(403);
      expect((await post(p, '/api/app.info', { ...token, Host: `127.0.0.1:${p}`, Origin: 'http://evil.example' })).status).toBe(403);
    } finally {
      await wide.dispose();
    }
  });

  it('derives the accepted names from the interfaces and host name, never anything else', () => {
    const interfaces = {
      lo: [{ address: '127.0.0.1' }, { address: '::1' }],
      wlan0: [{ address: '192.168.1.7' }, { address: 'fe80::1c2b%wlan0' }],
    } as unknown as ReturnType<typeof networkInterfaces>;
    const names = reachableHostNames('0.0.0.0', interfaces, 'Studio');
    expect(names.sort()).toEqual(['0.0.0.0', '127.0.0.1', '192.168.1.7', '[::1]', '[fe80::1c2b]', 'localhost', 'studio', 'studio.local'].sort());
    expect(reachableHostNames('127.0.0.1', interfaces, 'Studio')).toEqual(['127.0.0.1', 'localhost', '[::1]']);
    // A specific address is reached by that address (or the machine's name), not by the others.
    expect(reachableHostNames('192.168.1.7', interfaces, 'studio.local').sort()).toEqual(['192.168.1.7', 'studio.local']);
  });

  it('pushes events over WebSocket only to a client with the token', async () => {
    const bad = new WebSocket(`ws://127.0.0.1:${port}/api/events`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}nope`]);
    const badResult = await new Promise<string>((resolve) => {
      bad.on('open', () => resolve('open'));
      bad.on('error', () => resolve('refused'));
    });
    expect(badResult).toBe('refused');

    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${transport.token}`]);
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const received = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    await post(port, '/api/settings.set', auth, JSON.stringify({ key: 'theme', value: 'light' }));
    expect(await received).toEqual({ event: 'settings.changed', payload: { key: 'theme', value: 'light' } });
    ws.close();
  });

  it('never pushes an in-process answer (chat.complete.delta: parity chat, a /v1 request) to a browser', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${transport.token}`]);
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const names: string[] = [];
    ws.on('message', (data) => names.push((JSON.parse(String(data)) as { event: string }).event));
    const last = new Promise<void>((resolve) => ws.on('message', (data) => String(data).includes('"dark"') && resolve()));
    app.bus.emit('chat.complete.delta', { requestId: 'r1', text: 'a private answer' });
    await post(port, '/api/settings.set', auth, JSON.stringify({ key: 'theme', value: 'dark' }));
    await last;
    expect(names).toEqual(['settings.changed']);
    ws.close();
  });
});

