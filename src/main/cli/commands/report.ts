import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { DecideRecordInput, DecisionRule, HostedOption, RouteOutput } from '../../../shared/contract';
import { formatPassRate, formatUsd } from '../../../shared/format';
import { AppError } from '../../../shared/errors';
import { cliClient } from '../cliClient';
import { appFor, type CliIo } from '../program';

interface ReportCliOptions {
  volume: { amount: number; unit: 'tasks' | 'tokens' };
  rule: 'cheapest' | 'budget' | 'fastest';
  minPass: number;
  budget?: number;
  growth: number;
  peak?: number;
  question?: string;
  hosted: HostedOption[];
  html?: string;
  json?: boolean;
}

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, b: 1e9 };

/** "2000/day", "2k/day", "5M tokens/day", "300 tasks/day" → amount and unit (tasks unless it says tokens). */
export function parseVolumeArg(text: string): { amount: number; unit: 'tasks' | 'tokens' } {
  const m = /^\s*([\d][\d,_]*(?:\.\d+)?)\s*([kmb]?)\s*(tasks?|tokens?)?\s*(?:\/|per\s+)(day|d)\s*$/i.exec(text);
  if (!m) throw new InvalidArgumentError('use a daily volume such as 2000/day, 2k/day or "5M tokens/day".');
  const amount = Number(m[1]!.replace(/[,_]/g, '')) * SUFFIX[m[2]!.toLowerCase()]!;
  return { amount, unit: m[3]?.toLowerCase().startsWith('token') ? 'tokens' : 'tasks' };
}

/** "0.8", "80%" → 0.8. */
export function parseFraction(text: string): number {
  const percent = text.trim().endsWith('%');
  const n = Number(text.trim().replace(/%$/, ''));
  const value = percent || n > 1 ? n / 100 : n;
  if (!Number.isFinite(n) || value < 0 || value > (percent ? 10 : 1)) throw new InvalidArgumentError('use a fraction such as 0.8 or a percentage such as 80%.');
  return value;
}

/** "local:abc@together=0.2/0.6" → a what-if hosted line (the last @ separates the host, so paths may contain @). */
export function parseHostedArg(text: string, previous: HostedOption[] = []): HostedOption[] {
  const m = /^(.+)@([^@=]+)=(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError('use <local model>@<host>=<input $/1M>/<output $/1M>, e.g. local:abc@together=0.2/0.6.');
  return [...previous, { basedOn: m[1]!, host: m[2]!, inputPerMTok: Number(m[3]), outputPerMTok: Number(m[4]) }];
}

function parseNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('use a number of 0 or more.');
  return n;
}

function parseRule(text: string): ReportCliOptions['rule'] {
  if (text === 'cheapest' || text === 'budget' || text === 'fastest') return text;
  throw new InvalidArgumentError('use cheapest, budget or fastest.');
}

export function ruleFor(opts: Pick<ReportCliOptions, 'rule' | 'minPass' | 'budget'>): DecisionRule {
  if (opts.rule === 'cheapest') return { kind: 'cheapest-above-pass', minPassRate: opts.minPass };
  if (opts.budget === undefined) throw new InvalidArgumentError(`--rule ${opts.rule} needs --budget <usd per month>.`);
  return opts.rule === 'budget' ? { kind: 'best-pass-under-budget', budgetUsdPerMonth: opts.budget } : { kind: 'fastest-under-both', minPassRate: opts.minPass, budgetUsdPerMonth: opts.budget };
}

/** `parity report <run> --volume 2000/day [--html out.html]`: the decision record, through the router like every client. */
export function registerReport(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('price a finished eval run at your volume, recommend a model by a rule, and write the decision record')
    .argument('<run>', 'run id (parity eval prints it; the Evals page shows it)')
    .requiredOption('--volume <n/day>', 'daily volume: 2000/day (tasks) or "5M tokens/day"', parseVolumeArg)
    .option('--rule <rule>', 'cheapest (per successful task above --min-pass), budget (best pass rate under --budget), fastest (lowest p95 under both)', parseRule, 'cheapest')
    .option('--min-pass <rate>', 'minimum pass rate for cheapest/fastest, e.g. 0.8 or 80%', parseFraction, 0.8)
    .option('--budget <usd>', 'monthly budget in USD for budget/fastest', parseNumber)
    .option('--growth <rate>', 'monthly growth of the volume, e.g. 5%', parseFraction, 0)
    .option('--peak <factor>', 'peak factor (default: Settings → Cost)', parseNumber)
    .option('--question <text>', 'the question the record answers')
    .option('--hosted <spec>', 'what-if hosted line, repeatable: <local model>@<host>=<input $/1M>/<output $/1M>', parseHostedArg, [])
    .option('--html <file>', 'write the decision record (offline HTML with its data embedded)')
    .option('--json', 'print the record data as JSON instead of a summary')
    .action(async (runId: string, opts: ReportCliOptions, command: Command) => {
      let rule: DecisionRule;
      try {
        rule = ruleFor(opts);
      } catch (error) {
        command.error(`parity report: ${(error as Error).message}`, { exitCode: 2 });
      }
      const input: DecideRecordInput = {
        runId,
        volume: opts.volume,
        monthlyGrowth: opts.growth,
        overrides: opts.peak === undefined ? {} : { peakFactor: Math.max(1, opts.peak) },
        hosted: opts.hosted,
        rule: rule!,
        ...(opts.question ? { question: opts.question } : {}),
      };
      const app = appFor(command, { mode: 'cli', gpu: false });
      try {
        let record: RouteOutput<'decide.record'>;
        try {
          record = await cliClient(app).call('decide.record', input);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          io.err(`parity report: ${error.message}\n`);
          process.exitCode = error.code === 'VALIDATION_FAILED' ? 2 : 1;
          return;
        }
        const { data, content } = record;
        if (opts.html) writeFileSync(opts.html, content);
        if (opts.json) {
          io.out(`${JSON.stringify(data, null, 2)}\n`);
        } else {
          const d = data.decision;
          io.out(`${data.question}\n\n`);
          for (const m of d.models) {
            const cost = m.monthlyCostUsd === null ? `unknown (${m.unknownReason})` : `${formatUsd(m.monthlyCostUsd)}/month${m.estimate ? ' (estimate)' : ''}`;
            io.out(`  ${m.ref}  pass ${formatPassRate(m.passRate)}  ${cost}${m.machines !== null ? `  ${m.machines} machine(s)` : ''}\n`);
          }
          io.out(`\n${d.recommendation.summary}\nRule: ${d.recommendation.ruleText}.\n`);
        }
        if (opts.html) io.err(`wrote ${opts.html}\n`);
      } finally {
        await app.dispose();
      }
    });
}
