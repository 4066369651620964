import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { cliClient, type CliClient } from '../cliClient';
import { appFor, type CliIo } from '../program';

async function withApp(command: Command, run: (client: CliClient) => Promise<void>): Promise<void> {
  const app = appFor(command, { mode: 'cli', gpu: false });
  try {
    await run(cliClient(app));
  } finally {
    await app.dispose();
  }
}

/** `parity api-keys create|list|revoke`: keys of the OpenAI-compatible API, through the router like the app. */
export function registerApiKeys(program: Command, io: CliIo): void {
  const keys = program.command('api-keys').description('keys for the OpenAI-compatible API (`parity serve` or the desktop app\'s API port)');
  keys
    .command('create <name>')
    .description('create a key and print it once (only its last four characters are kept visible)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, command: Command) => {
      await withApp(command, async (client) => {
        const created = await client.call('api.keys.create', { name });
        if (opts.json) return io.out(`${JSON.stringify(created, null, 2)}\n`);
        io.out(`${created.key}\n`);
        io.err(`Created API key "${created.name}" (id ${created.id}). This is the only time the full key is shown: store it now.\n`);
      });
    });
  keys
    .command('list')
    .description('list keys: name, last four characters, created, last used, revoked')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withApp(command, async (client) => {
        const { keys: list } = await client.call('api.keys.list', {});
        if (opts.json) return io.out(`${JSON.stringify(list, null, 2)}\n`);
        if (list.length === 0) return io.out('No API keys. Create one with `parity api-keys create <name>`.\n');
        const header = ['ID', 'NAME', 'KEY', 'CREATED', 'LAST USED', 'STATUS'];
        const rows = list.map((k) => [k.id, k.name, `…${k.last4}`, k.createdAt, k.lastUsedAt ?? 'never', k.revokedAt ? `revoked ${k.revokedAt}` : 'active']);
        const all = [header, ...rows];
        const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
        io.out(all.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n');
      });
    });
  keys
    .command('revoke <id-or-name>')
    .description('revoke a key (by id, or by name when one active key has it): requests with it get 401 from now on')
    .action(async (idOrName: string, _opts: unknown, command: Command) => {
      await withApp(command, async (client) => {
        const { keys: list } = await client.call('api.keys.list', {});
        const byName = list.filter((k) => k.name === idOrName && !k.revokedAt);
        if (!list.some((k) => k.id === idOrName) && byName.length > 1) {
          throw new AppError('CONFLICT', `${byName.length} active keys are named "${idOrName}"; revoke one by its id (parity api-keys list).`, { name: idOrName });
        }
        const id = list.some((k) => k.id === idOrName) ? idOrName : (byName[0]?.id ?? idOrName);
        const revoked = await client.call('api.keys.revoke', { id });
        io.out(`Revoked API key "${revoked.name}" (…${revoked.last4}).\n`);
      });
    });
}
