import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import { databasePath } from '../../src/main/core/app/dataDir';
import { EventBus } from '../../src/main/core/events/EventBus';
import { ModelDownloader, type ModelDownloaderOptions } from '../../src/main/core/models/ModelDownloader';
import { ModelLibrary } from '../../src/main/core/models/ModelLibrary';
import { Store } from '../../src/main/core/store/Store';
import { ModelRepository } from '../../src/main/core/store/ModelRepository';
import { DownloadRepository } from '../../src/main/core/store/DownloadRepository';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

const STORIES_SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';
const BODY = readFileSync(STORIES_MODEL);

interface ServerOptions {
  /** Value for the ETag header (Hugging Face puts the LFS sha256 there). */
  etag?: string;
  /** Drop the connection after this many bytes on the first full-file request. */
  dropAfter?: number;
  /** Bytes per chunk and pause between chunks, to make a download slow enough to pause. */
  chunk?: number;
  delayMs?: number;
  /** Answer like Hugging Face: 302 to a CDN path with X-Linked-Etag; the CDN sends its own ETag. */
  redirect?: { linkedEtag: string; cdnEtag: string };
}

/** A loopback file host with Range support that can misbehave on request. */
class FileHost {
  readonly requests: IncomingHttpHeaders[] = [];
  #server: Server;
  #dropped = false;
  url = '';

  constructor(readonly options: ServerOptions = {}) {
    this.#server = createServer((req, res) => void this.#handle(req.method ?? 'GET', req.url ?? '/', req.headers, res));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/org/repo/resolve/main/stories260K.gguf`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #handle(method: string, url: string, headers: IncomingHttpHeaders, res: import('node:http').ServerResponse): Promise<void> {
    const redirect = this.options.redirect;
    if (redirect && !url.startsWith('/cdn/')) {
      res.writeHead(302, { Location: '/cdn/blob', 'X-Linked-Etag': `"${redirect.linkedEtag}"`, 'X-Linked-Size': String(BODY.length) });
      return void res.end();
    }
    if (method === 'GET') this.requests.push(headers);
    const base: Record<string, string> = { 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' };
    if (this.options.etag) base.ETag = `"${this.options.etag}"`;
    if (redirect) base.ETag = `"${redirect.cdnEtag}"`;
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(headers.range ?? '');
    if (range) start = Number(range[1]);
    const slice = BODY.subarray(start);
    res.writeHead(range ? 206 : 200, {
      ...base,
      'Content-Length': String(slice.length),
      ...(range ? { 'Content-Range': `bytes ${start}-${BODY.length - 1}/${BODY.length}` } : {}),
    });
    if (method === 'HEAD') return void res.end();
    const drop = !range && this.options.dropAfter !== undefined && !this.#dropped;
    const chunk = this.options.chunk ?? 64 * 1024;
    for (let offset = 0; offset < slice.length; offset += chunk) {
      if (res.destroyed) return;
      if (drop && offset >= this.options.dropAfter!) {
        this.#dropped = true;
        // Let the client read what was sent: a reset discards data still unread in its socket buffer.
        await new Promise((r) => setTimeout(r, 100));
        res.socket?.destroy();
        return;
      }
      res.write(slice.subarray(offset, offset + chunk));
      if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    }
    res.end();
  }
}

describe('ModelDownloader against a loopback HTTP host', () => {
  let llama: Llama;
  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: 'never' });
  });
  afterAll(async () => {
    await llama?.dispose();
  });

  function open(dataDir: string, extra: Pick<ModelDownloaderOptions, 'openFile' | 'maxRetries'> = {}) {
    const store = Store.open({ path: databasePath(dataDir) });
    const bus = new EventBus();
    const library = new ModelLibrary({ store, repo: new ModelRepository(store), dataDir, getLlama: async () => llama, bus });
    const downloader = new ModelDownloader({ repo: new DownloadRepository(store), dataDir, library, bus, fetch: globalThis.fetch, progressIntervalMs: 10, retryDelayMs: 20, ...extra });
    library.start();
    downloader.start();
    return {
      store,
      bus,
      library,
      downloader,
      async [Symbol.asyncDispose]() {
        await downloader.dispose();
        await library.dispose();
        store.dispose();
      },
    };
  }

  it('resumes with Range after the connection drops midway, verifies the published sha256 and imports the model', async () => {
    using dir = tempDir();
    const host = new FileHost({ etag: STORIES_SHA256, dropAfter: 512 * 1024 });
    await host.listen();
    await using env = open(dir.path);
    const progress: Array<EventPayload<'models.downloadProgress'>> = [];
    env.bus.on('models.downloadProgress', (p) => progress.push(p));
    try {
      const started = await env.downloader.download({ source: host.url });
      expect(started.fileName).toBe('stories260K.gguf');
      const done = await env.downloader.waitFor(started.id);
      expect(done).toMatchObject({ status: 'completed', error: null, totalBytes: BODY.length });
      // The second request asked only for the rest of the file.
      const ranges = host.requests.map((h) => h.range ?? null);
      expect(ranges[0]).toBeNull();
      // (Bytes in flight when the socket died may be lost, so the resume point is anywhere after 0.)
      expect(ranges.length).toBeGreaterThanOrEqual(2);
      const resumedFrom = Number(/bytes=(\d+)-/.exec(ranges[1] ?? '')?.[1] ?? 0);
      expect(resumedFrom).toBeGreaterThan(0);
      expect(resumedFrom).toBeLessThanOrEqual(512 * 1024);

      const model = await env.library.get(done.modelId!);
      expect(model).toMatchObject({ sha256: STORIES_SHA256, hashState: 'done', architecture: 'llama', storage: 'copy', sourceUrl: host.url });
      expect(readFileSync(model.path).equals(BODY)).toBe(true);
      expect(readdirSync(env.downloader.partialDir)).toEqual([]);
      expect(progress.some((p) => p.status === 'downloading' && p.receivedBytes > 0 && p.totalBytes === BODY.length)).toBe(true);
    } finally {
      await host.close();
    }
  });

  it('refuses a file whose published digest does not match and keeps it out of the library', async () => {
    using dir = tempDir();
    const wrong = 'a'.repeat(64);
    const host = new FileHost({ etag: wrong });
    await host.listen();
    await using env = open(dir.path);
    try {
      const started = await env.downloader.download({ source: host.url });
      const done = await env.downloader.waitFor(started.id);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/checksum mismatch/i);
      expect(done.error).toContain(wrong);
      expect(done.error).toContain(STORIES_SHA256);
      expect(done.modelId).toBeNull();
      expect(await env.library.list()).toEqual([]);
      expect(readdirSync(env.downloader.partialDir)).toEqual([]);
      expect(readdirSync(join(dir.path, 'models')).filter((f) => f.endsWith('.gguf'))).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('follows a Hugging Face style redirect and trusts X-Linked-Etag over the CDN ETag', async () => {
    using dir = tempDir();
    // A 64-hex CDN ETag that is not the sha256 (Xet content ids look like this).
    const host = new FileHost({ redirect: { linkedEtag: STORIES_SHA256, cdnEtag: 'c'.repeat(64) }, dropAfter: 300 * 1024 });
    await host.listen();
    await using env = open(dir.path);
    try {
      const started = await env.downloader.download({ source: host.url });
      const done = await env.downloader.waitFor(started.id);
      expect(done).toMatchObject({ status: 'completed', expectedSha256: STORIES_SHA256 });
      expect((await env.library.get(done.modelId!)).sha256).toBe(STORIES_SHA256);
    } finally {
      await host.close();
    }
  });

  it('refuses a file whose X-Linked-Etag does not match', async () => {
    using dir = tempDir();
    const host = new FileHost({ redirect: { linkedEtag: 'd'.repeat(64), cdnEtag: STORIES_SHA256 } });
    await host.listen();
    await using env = open(dir.path);
    try {
      const done = await env.downloader.waitFor((await env.downloader.download({ source: host.url })).id);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/checksum mismatch: the host says sha256 d{64}/i);
      expect(await env.library.list()).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('refuses a mismatch against an explicit expected sha256 (catalogue) even when the host publishes none', async () => {
    using dir = tempDir();
    const host = new FileHost();
    await host.listen();
    await using env = open(dir.path);
    try {
      const started = await env.downloader.download({ source: host.url, expectedSha256: 'b'.repeat(64) });
      const done = await env.downloader.waitFor(started.id);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/catalogue/);
      expect(await env.library.list()).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('pauses, survives a restart (new downloader on the same database) and resumes to completion', async () => {
    using dir = tempDir();
    const host = new FileHost({ etag: STORIES_SHA256, chunk: 16 * 1024, delayMs: 15 });
    await host.listen();
    try {
      let id: string;
      let pausedAt: number;
      {
        await using env = open(dir.path);
        const started = await env.downloader.download({ source: host.url });
        id = started.id;
        await new Promise<void>((resolve) => {
          const off = env.bus.on('models.downloadProgress', (p) => {
            if (p.receivedBytes > 200 * 1024) {
              off();
              resolve();
            }
          });
        });
        const paused = await env.downloader.pause(id);
        expect(paused.status).toBe('paused');
        pausedAt = paused.receivedBytes;
        expect(pausedAt).toBeGreaterThan(0);
        expect(pausedAt).toBeLessThan(BODY.length);
      }
      const requestsBefore = host.requests.length;
      await using env = open(dir.path);
      const listed = env.downloader.list();
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ id, status: 'paused' });
      expect(listed[0]!.receivedBytes).toBeGreaterThanOrEqual(pausedAt);

      await env.downloader.resume(id);
      const done = await env.downloader.waitFor(id);
      expect(done.status).toBe('completed');
      expect(host.requests[requestsBefore]!.range).toMatch(/^bytes=\d+-$/);
      expect(Number(/bytes=(\d+)-/.exec(host.requests[requestsBefore]!.range!)![1])).toBeGreaterThan(0);
      expect((await env.library.get(done.modelId!)).sha256).toBe(STORIES_SHA256);
    } finally {
      await host.close();
    }
  });

  it('marks a download that was running when the app stopped as interrupted and resumable', async () => {
    using dir = tempDir();
    const host = new FileHost({ chunk: 16 * 1024, delayMs: 15 });
    await host.listen();
    try {
      let id: string;
      {
        await using env = open(dir.path);
        ({ id } = await env.downloader.download({ source: host.url }));
        await new Promise((r) => setTimeout(r, 150));
      }
      await using env = open(dir.path);
      expect(env.downloader.get(id).status).toBe('interrupted');
      await env.downloader.resume(id);
      expect((await env.downloader.waitFor(id)).status).toBe('completed');
    } finally {
      await host.close();
    }
  });

  it('stops on a full disk with a clear message, keeps what arrived, and resumes once there is space', async () => {
    using dir = tempDir();
    const host = new FileHost({ chunk: 64 * 1024 });
    await host.listen();
    // The disk "fills up" after 4 writes: the real file handle, failing as a full disk does.
    const fullDisk: typeof openFile = async (...args) => {
      const handle = await openFile(...args);
      let writes = 0;
      const write = handle.write.bind(handle) as (chunk: Uint8Array) => Promise<unknown>;
      return Object.assign(handle, {
        write: async (chunk: Uint8Array) => {
          if (++writes > 4) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          return write(chunk);
        },
      });
    };
    try {
      let id: string;
      {
        await using env = open(dir.path, { openFile: fullDisk });
        ({ id } = await env.downloader.download({ source: host.url }));
        const stopped = await env.downloader.waitFor(id);
        expect(stopped.status).toBe('interrupted');
        expect(stopped.error).toMatch(/disk is full.*Free some space, then Resume/);
        expect(host.requests).toHaveLength(1); // not retried into a full disk
        expect(statSync(join(env.downloader.partialDir, `${id}.gguf.partial`)).size).toBeGreaterThan(0);
      }
      await using env = open(dir.path);
      await env.downloader.resume(id);
      const done = await env.downloader.waitFor(id);
      expect(done.status).toBe('completed');
      expect(host.requests.at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/);
      expect(readFileSync((await env.library.get(done.modelId!)).path).equals(BODY)).toBe(true);
    } finally {
      await host.close();
    }
  });

  it('cancel removes the partial file', async () => {
    using dir = tempDir();
    const host = new FileHost({ chunk: 16 * 1024, delayMs: 15 });
    await host.listen();
    await using env = open(dir.path);
    try {
      const { id } = await env.downloader.download({ source: host.url });
      await new Promise((r) => setTimeout(r, 100));
      const cancelled = await env.downloader.cancel(id);
      expect(cancelled.status).toBe('cancelled');
      expect(existsSync(join(env.downloader.partialDir, `${id}.gguf.partial`))).toBe(false);
      expect(await env.library.list()).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('says that it is retrying, how often and why, instead of showing a silent "Downloading · 0 B"', async () => {
    using dir = tempDir();
    // A port that was just free: every connection is refused, as with no network.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await using env = open(dir.path, { maxRetries: 2 });
    const progress: Array<EventPayload<'models.downloadProgress'>> = [];
    env.bus.on('models.downloadProgress', (p) => progress.push(p));
    const { id } = await env.downloader.download({ source: `http://127.0.0.1:${port}/m/model.gguf` });
    const done = await env.downloader.waitFor(id);
    const retries = progress.filter((p) => p.retry !== null);
    expect(retries.map((p) => [p.status, p.retry!.attempt, p.retry!.max])).toEqual([
      ['downloading', 1, 2],
      ['downloading', 2, 2],
    ]);
    expect(retries[0]!.retry!.reason).toMatch(/ECONNREFUSED|refused/i);
    expect(Date.parse(retries[0]!.retry!.nextAt)).toBeGreaterThan(Date.parse(retries[0]!.updatedAt) - 1000);
    expect(done).toMatchObject({ status: 'interrupted', retry: null, bytesPerSecond: 0 });
    expect(done.error).toMatch(/ECONNREFUSED|refused/i);
  });
});
