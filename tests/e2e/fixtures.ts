import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServeHandle {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** Requests the page made to anything but loopback (must stay empty). */
  foreignRequests: string[];
  /** POST /api/<route> with the token, as the page would. */
  api<T = unknown>(route: string, input?: unknown): Promise<{ ok: boolean; data?: T; error?: { code: string; message: string } }>;
}

const ROOT = join(import.meta.dirname, '..', '..');

/** Starts `parity serve --data-dir <temp>` and resolves with the printed URL. */
export async function startServe(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ proc: ChildProcess; url: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parity-e2e-'));
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'parity.js'), '--data-dir', dataDir, 'serve', ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (c) => (stderr += String(c)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`parity serve printed no URL in 30s. stderr: ${stderr}`)), 30_000);
    proc.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const match = /(http:\/\/\S+\?token=\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`parity serve exited with ${code}: ${stderr}`)));
  });
  return { proc, url, dataDir };
}

export function isLoopbackUrl(raw: string): boolean {
  const { protocol, hostname } = new URL(raw);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1';
}

export const test = base.extend<{ serve: ServeHandle; appPage: Page }>({
  serve: async ({}, use) => {
    const { proc, url, dataDir } = await startServe();
    const parsed = new URL(url);
    const token = parsed.searchParams.get('token')!;
    const handle: ServeHandle = {
      url,
      origin: parsed.origin,
      token,
      dataDir,
      foreignRequests: [],
      async api(route, input = {}) {
        const res = await fetch(`${parsed.origin}/api/${route}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(input),
        });
        return res.json();
      },
    };
    await use(handle);
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  },
  appPage: async ({ page, serve }, use) => {
    page.on('request', (request) => {
      if (!isLoopbackUrl(request.url())) serve.foreignRequests.push(request.url());
    });
    await page.goto(serve.url);
    await use(page);
    expect(serve.foreignRequests, 'the page must not contact any non-loopback host').toEqual([]);
  },
});

export { expect };
