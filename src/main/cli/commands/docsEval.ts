import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { RetrievalMetricRow, SearchMode } from '../../../shared/contract';
import { parseRetrievalSuite } from '../../core/docs/retrievalSuite';
import { cliClient, type CliClient } from '../cliClient';
import { appFor, EXIT_USAGE, type CliIo } from '../program';

function intList(min: number, max: number) {
  return (value: string): number[] => {
    const list = value.split(',').map((v) => Number(v.trim()));
    if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < min || n > max)) throw new InvalidArgumentError(`takes whole numbers from ${min} to ${max}, comma-separated.`);
    return list;
  };
}

function modeList(value: string): string[] {
  const list = value.split(',').map((v) => v.trim());
  if (list.some((m) => !['keyword', 'vector', 'hybrid'].includes(m))) throw new InvalidArgumentError('takes keyword, vector and/or hybrid, comma-separated.');
  return list;
}

const fmt = (n: number | null): string => (n === null ? '–' : n.toFixed(3));

export function metricsTable(rows: readonly RetrievalMetricRow[]): string {
  const lines = [['MODE', 'CHUNK', 'K', 'RECALL@K', 'MRR@K', 'CASES'], ...rows.map((r) => [r.mode, String(r.chunkSize), String(r.k), fmt(r.recall), fmt(r.mrr), r.recall === null ? '–' : String(r.cases)])];
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  return lines.map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** `parity docs eval suite.yaml`: retrieval quality (recall@k, MRR) per mode, k and chunk size, side by side. */
export function registerDocsEval(docs: Command, io: CliIo): void {
  docs
    .command('eval <suite>')
    .description("measure retrieval on a suite's vars.expected_sources: recall@k and MRR for each mode, k and chunk size")
    .option('--collection <name>', "the collection to search (default: the suite's collection)")
    .option('--k <list>', 'cut-offs, e.g. 1,3,5 (default)', intList(1, 100))
    .option('--mode <list>', 'keyword,vector,hybrid (default: all three)', modeList)
    .option('--chunk-sizes <list>', 'also measure these chunk sizes (re-indexes the files into a temporary collection each)', intList(200, 8000))
    .option('--json', 'print JSON: { collection, rows, cases }')
    .action(async (file: string, opts: { collection?: string; k?: number[]; mode?: string[]; chunkSizes?: number[]; json?: boolean }, command: Command) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        io.err(`parity docs eval: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      let suite;
      try {
        suite = parseRetrievalSuite(text, file);
      } catch (error) {
        io.err(`parity docs eval: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      const collection = opts.collection ?? suite.collection;
      if (!collection) {
        io.err('parity docs eval: name the collection with --collection or a top-level `collection:` in the suite.\n');
        process.exitCode = EXIT_USAGE;
        return;
      }
      const app = appFor(command, { mode: 'cli' });
      try {
        const report = await cliClient(app).call('docs.evaluate', {
          collection,
          cases: suite.cases,
          ...(opts.k ? { ks: opts.k } : {}),
          ...(opts.mode ? { modes: opts.mode as SearchMode[] } : {}),
          ...(opts.chunkSizes ? { chunkSizes: opts.chunkSizes } : {}),
        });
        if (opts.json) return void io.out(`${JSON.stringify(report, null, 2)}\n`);
        io.out(`Retrieval on ${report.collection}: ${suite.cases.length} case${suite.cases.length === 1 ? '' : 's'}${suite.description ? ` (${suite.description})` : ''}\n`);
        io.out(metricsTable(report.rows));
        for (const note of new Set(report.rows.map((r) => r.note).filter((n): n is string => n !== null))) io.err(`${note}\n`);
      } finally {
        await app.dispose();
      }
    });
}

/**
 * For `parity eval`: when a YAML suite names a `collection` and gives expected sources, the
 * retrieval table follows the models' summary. Returns '' for a suite without them; a retrieval
 * that cannot run is said on stderr and does not fail the eval.
 */
export async function retrievalForEvalSuite(client: CliClient, file: string, text: string, io: CliIo, signal?: AbortSignal): Promise<string> {
  let suite;
  try {
    suite = parseRetrievalSuite(text, file);
  } catch {
    return '';
  }
  if (!suite.collection) return '';
  try {
    const report = await client.call('docs.evaluateSuite', { suitePath: file, collection: suite.collection }, { signal });
    for (const note of new Set(report.rows.map((r) => r.note).filter((n): n is string => n !== null))) io.err(`${note}\n`);
    return `\nRetrieval on ${report.collection} (${report.caseCount} case${report.caseCount === 1 ? '' : 's'} with expected sources)\n${metricsTable(report.rows)}`;
  } catch (error) {
    io.err(`warning: retrieval on ${suite.collection} not measured: ${error instanceof Error ? error.message : String(error)}\n`);
    return '';
  }
}
