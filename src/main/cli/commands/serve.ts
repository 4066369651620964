import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_API_PARALLEL, DEFAULT_API_QUEUE } from '../../core/api/ModelQueue';
import { HttpTransport, isLoopbackHost } from '../../ipc/HttpTransport';
import { appFor, globalOptions, type CliIo } from '../program';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535.');
  return port;
}

function parseCount(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

export function rendererDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('serve the app to a browser on this machine (loopback only unless --host is given)')
    .option('--host <address>', 'address to bind; anything but loopback exposes Parity to your network', '127.0.0.1')
    .option('--port <number>', 'port to listen on (0 picks a free one)', parsePort, 0)
    .option('--api-parallel <n>', 'API requests one local model runs at once, as parallel sequences of one context (more takes more memory)', parseCount(1, 64), DEFAULT_API_PARALLEL)
    .option('--api-queue <n>', 'API requests that may wait per local model before the API answers 429', parseCount(0, 10_000), DEFAULT_API_QUEUE)
    .action(async (opts: { host: string; port: number; apiParallel: number; apiQueue: number }, command: Command) => {
      const { dataDir } = globalOptions(command);
      if (!isLoopbackHost(opts.host)) {
        io.err(
          `WARNING: binding to ${opts.host} makes Parity reachable from other machines. Anyone with the token can use your models, keys and data.\n`,
        );
      }
      const app = appFor(command, { mode: 'serve' });
      app.api.queue.configure({ maxParallel: opts.apiParallel, maxQueued: opts.apiQueue });
      const transport = new HttpTransport({
        router: app.router,
        bus: app.bus,
        rendererDir: process.env.PARITY_RENDERER_DIR ?? rendererDir(),
        host: opts.host,
        port: opts.port,
        mounts: [{ prefix: '/v1', handle: (req, res, path) => app.api.openAi.handle(req, res, path) }],
      });
      const { url, otherUrls } = await transport.listen();
      // The API uses its own keys, never the UI token printed above it.
      const apiBase = `${new URL(url).origin}/v1`;
      const withdraw = app.api.endpoints.announce(apiBase);
      io.out(`Parity is serving ${dataDir}\nOpen ${url}\nOpenAI-compatible API: ${apiBase} (create a key with \`parity api-keys create <name>\`)\n`);
      if (otherUrls.length > 0) io.out(`From other machines, one of:\n${otherUrls.map((u) => `  ${u}\n`).join('')}`);
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      withdraw();
      await transport.dispose();
      await app.dispose();
    });
}
