import type { Command } from 'commander';
import type { RouteOutput } from '../../../shared/contract';
import type { Result } from '../../../shared/errors';
import type { ParityApp } from '../../app';
import { verifySummary } from '../../core/audit/auditExport';
import { appFor, type CliIo } from '../program';

interface AuditCliOptions {
  json?: boolean;
  limit: number;
  export?: string;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error('--limit must be a positive whole number.');
  return n;
}

function handle<K extends 'audit.list' | 'audit.verify' | 'audit.export'>(app: ParityApp, route: K, input: unknown): Promise<Result<RouteOutput<K>>> {
  return app.router.handle(route, input, { transport: 'cli' }) as Promise<Result<RouteOutput<K>>>;
}

/** `parity audit [--json] [--limit N] [--export csv|json]`: the egress log and whether its chain is intact. */
export function registerAudit(program: Command, io: CliIo): void {
  program
    .command('audit')
    .description('print the log of every outbound request (newest first) and verify its hash chain')
    .option('--json', 'print JSON: { rows, total, verify }')
    .option('--limit <n>', 'how many rows to print', parseLimit, 50)
    .option('--export <format>', 'print the whole log as csv or json, with hashes and the verify result')
    .action(async (opts: AuditCliOptions, command: Command) => {
      const app = appFor(command, { mode: 'cli', gpu: false });
      try {
        await printAudit(app, opts, io);
      } finally {
        await app.dispose();
      }
    });
}

async function printAudit(app: ParityApp, opts: AuditCliOptions, io: CliIo): Promise<void> {
  if (opts.export !== undefined) {
    if (opts.export !== 'csv' && opts.export !== 'json') {
      io.err('parity audit: --export takes csv or json.\n');
      process.exitCode = 2;
      return;
    }
    const exported = await handle(app, 'audit.export', { format: opts.export });
    if (!exported.ok) throw new Error(exported.error.message);
    io.out(exported.data.content.endsWith('\n') ? exported.data.content : `${exported.data.content}\n`);
    // The export is still printed in full, so a reviewer gets the evidence along with the failure.
    if (!exported.data.verify.ok) {
      io.err(`parity audit: ${verifySummary(exported.data.verify)}\n`);
      process.exitCode = 1;
    }
    return;
  }
  // Verify first: it may record a break (re-created triggers) that the listing should show.
  const verify = await handle(app, 'audit.verify', {});
  const list = await handle(app, 'audit.list', { limit: opts.limit });
  if (!list.ok) throw new Error(list.error.message);
  if (!verify.ok) throw new Error(verify.error.message);
  const { rows, total } = list.data;
  const v = verify.data;
  // Any break is a failure in every output mode, including an empty log whose rows were all deleted.
  if (!v.ok) process.exitCode = 1;
  if (opts.json) {
    io.out(`${JSON.stringify({ rows, total, verify: v }, null, 2)}\n`);
    return;
  }
  const chain = verifySummary(v);
  if (rows.length === 0) {
    io.out(`No outbound requests recorded. ${chain}\n`);
    return;
  }
  const header = ['TIME', 'PROVIDER', 'HOST', 'MODEL', 'STATUS', 'IN', 'OUT', 'SENT', 'RECEIVED', 'REQUEST ID'];
  const lines = rows.map((r) => [
    r.time,
    r.provider,
    r.host,
    r.model ?? '-',
    r.status,
    String(r.inputTokens ?? '-'),
    String(r.outputTokens ?? '-'),
    String(r.bytesSent),
    String(r.bytesReceived),
    r.requestId ?? '-',
  ]);
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((l) => l[i]!.length)));
  io.out(all.map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n');
  io.out(`${rows.length} of ${total} rows. ${chain}\n`);
}
