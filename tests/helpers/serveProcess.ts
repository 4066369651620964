import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, type ErrorCode } from '../../src/shared/errors';

const ROOT = join(import.meta.dirname, '..', '..');

export interface StartServeOptions {
  /** Global options, before `serve` (e.g. `['--providers', file]`); `--data-dir` comes from `dataDir`. */
  globalArgs?: string[];
  /** Options of `serve` itself (e.g. `['--api-parallel', '8']`). */
  serveArgs?: string[];
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** A data folder of the caller's, kept by stop(); by default a new temporary one that stop() removes. */
  dataDir?: string;
  /** The script that runs `parity`; by default bin/parity.js, the built app (`npm run build`). */
  script?: string;
  /** Pass serve's stderr through to this process's, to watch a long benchmark; by default it is kept for the error of a failed start. */
  inheritStderr?: boolean;
}

/** What the router answers over HTTP: the same envelope the page receives. */
export interface ApiResult<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export interface ServeProcess {
  proc: ChildProcess;
  /** The URL serve printed, with its token. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** What serve printed up to and including the URL's line (the OpenAI-compatible API's base URL too). */
  printed: string;
  /** POST /api/<route> with the token, as the page does: the router's envelope, whether ok or not. */
  api<T = unknown>(route: string, input?: unknown): Promise<ApiResult<T>>;
  /** The same, for a call that must succeed: its data, or an AppError with the route's code and message. */
  call<T = unknown>(route: string, input?: unknown): Promise<T>;
  /** Stops serve (SIGTERM), waits for it to exit and removes the data folder if it made it. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `parity [--data-dir <dir>] [global options] serve [serve options]` as its own process and
 * resolves once it prints its URL. Requests go through one keep-alive connection pool (node:http):
 * fetch costs about 1.5 ms a call here, which a benchmark would count as Parity's.
 */
export async function startServe(options: StartServeOptions = {}): Promise<ServeProcess> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'parity-e2e-'));
  const proc = spawn(process.execPath, [options.script ?? join(ROOT, 'bin', 'parity.js'), '--data-dir', dataDir, ...(options.globalArgs ?? []), 'serve', ...(options.serveArgs ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', options.inheritStderr ? 'inherit' : 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (c) => (stderr += String(c)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let printed = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`parity serve printed no URL in 30 s. stdout: ${printed} stderr: ${stderr}`)), 30_000);
    proc.stdout!.on('data', (chunk) => {
      printed += String(chunk);
      const match = /(http:\/\/\S+\?token=\S+)\n/.exec(printed);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`parity serve exited with ${code}: ${stderr}`));
    });
  }).catch((error: unknown) => {
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });

  const parsed = new URL(url);
  const token = parsed.searchParams.get('token')!;
  const agent = new Agent({ keepAlive: true });
  const api = <T>(route: string, input: unknown = {}): Promise<ApiResult<T>> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(input);
      const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Authorization: `Bearer ${token}` };
      const req = request({ host: parsed.hostname, port: parsed.port, path: `/api/${route}`, method: 'POST', agent, headers }, (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (raw += c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(raw) as ApiResult<T>);
          } catch {
            reject(new Error(`${route}: HTTP ${res.statusCode} answered with something other than JSON: ${raw.slice(0, 200)}`));
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      // Idle keep-alive connections first: serve would otherwise wait on them before it exits.
      agent.destroy();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    })());
  return {
    proc,
    url,
    origin: parsed.origin,
    token,
    dataDir,
    printed,
    api,
    async call<T>(route: string, input: unknown = {}): Promise<T> {
      const result = await api<T>(route, input);
      if (!result.ok) throw new AppError((result.error?.code ?? 'INTERNAL') as ErrorCode, `${route}: ${result.error?.message ?? 'no error message'}`, result.error?.details);
      return result.data as T;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
