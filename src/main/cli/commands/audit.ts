import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { verifySummary } from '../../core/audit/auditExport';
import { cliClient, type CliClient } from '../cliClient';
import { appFor, type CliIo } from '../program';

interface AuditCliOptions {
  json?: boolean;
  limit: number;
  export?: string;
  policyReport?: boolean;
  since?: string;
  until?: string;
}

/** A day (`2026-11-01`, midnight UTC) or a full ISO date-time, for --since/--until. */
function parseTime(value: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (Number.isNaN(Date.parse(iso))) throw new InvalidArgumentError('must be a date (2026-11-01) or an ISO date-time (2026-11-01T09:00:00Z).');
  return new Date(iso).toISOString();
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number.');
  return n;
}

/** `parity audit [--json] [--limit N] [--export csv|json] [--policy-report --since --until]`: the egress log and whether its chain is intact. */
export function registerAudit(program: Command, io: CliIo): void {
  program
    .command('audit')
    .description('print the log of every outbound request (newest first) and verify its hash chain')
    .option('--json', 'print JSON: { rows, total, verify }')
    .option('--limit <n>', 'how many rows to print', parseLimit, 50)
    .option('--export <format>', 'print the whole log as csv or json, with hashes and the verify result')
    .option('--policy-report', 'count requests sent, redacted, warned, blocked and rerouted, by provider (with --since/--until)')
    .option('--since <date>', 'with --policy-report: from this day (UTC) or ISO time', parseTime)
    .option('--until <date>', 'with --policy-report: up to (not including) this day or time', parseTime)
    .action(async (opts: AuditCliOptions, command: Command) => {
      const app = appFor(command, { mode: 'cli', gpu: false });
      try {
        await printAudit(cliClient(app), opts, io);
      } finally {
        await app.dispose();
      }
    });
}

async function printPolicyReport(client: CliClient, opts: AuditCliOptions, io: CliIo): Promise<void> {
  const r = await client.call('policy.report', { since: opts.since ?? null, until: opts.until ?? null });
  if (opts.json) {
    io.out(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const header = ['PROVIDER', 'SENT', 'REDACTED', 'WARNED', 'BLOCKED', 'REROUTED'];
  const lines = [...r.providers, r.total].map((p) => [p.provider, p.sent, p.redacted, p.warned, p.blocked, p.rerouted].map(String));
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((l) => l[i]!.length)));
  io.out(`Data policy report, ${r.since ?? 'the beginning'} to ${r.until ?? 'now'}:\n`);
  io.out(all.map((l) => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n') + '\n');
}

async function printAudit(client: CliClient, opts: AuditCliOptions, io: CliIo): Promise<void> {
  if (opts.policyReport) return printPolicyReport(client, opts, io);
  if (opts.export !== undefined) {
    if (opts.export !== 'csv' && opts.export !== 'json') {
      io.err('parity audit: --export takes csv or json.\n');
      process.exitCode = 2;
      return;
    }
    const exported = await client.call('audit.export', { format: opts.export });
    io.out(exported.content.endsWith('\n') ? exported.content : `${exported.content}\n`);
    // The export is still printed in full, so a reviewer gets the evidence along with the failure.
    if (!exported.verify.ok) {
      io.err(`parity audit: ${verifySummary(exported.verify)}\n`);
      process.exitCode = 1;
    }
    return;
  }
  // Verify first: it may record a break (re-created triggers) that the listing should show.
  const v = await client.call('audit.verify', {});
  const { rows, total } = await client.call('audit.list', { limit: opts.limit });
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
