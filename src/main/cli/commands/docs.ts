import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { DocumentInfo, SearchHit, SearchMode } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { ParityApp } from '../../app';
import { formatBytes } from '../../../shared/format';
import { cliClient } from '../cliClient';
import { appFor, EXIT_USAGE, type CliIo } from '../program';
import { registerDocsEval } from './docsEval';

async function withApp(command: Command, fn: (app: ParityApp) => Promise<void>): Promise<void> {
  const app = appFor(command, { mode: 'cli', gpu: false });
  try {
    await fn(app);
  } finally {
    await app.dispose();
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('must be a whole number from 1 to 100.');
  return n;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export function citation(hit: Pick<SearchHit, 'fileName' | 'page' | 'heading'>): string {
  return `${hit.fileName}${hit.page !== null ? `, page ${hit.page}` : hit.heading ? ` › ${hit.heading}` : ''}`;
}

function fileLine(d: DocumentInfo): string {
  const counts = `${d.pages !== null ? `${d.pages} pages, ` : ''}${d.chunks} chunks`;
  return d.status === 'failed' ? `failed   ${d.name}: ${d.reason ?? 'unknown reason'}` : `${d.status.padEnd(8)} ${d.name} (${counts})`;
}

/** `parity docs add|list|search|rm`: document collections, all through the router like the app. */
export function registerDocs(program: Command, io: CliIo): void {
  const docs = program.command('docs').description('document collections: index files on this device and search them');
  registerDocsEval(docs, io);

  docs
    .command('add <collection> <paths...>')
    .description('index files or folders (PDF, DOCX, Markdown, HTML, text, CSV) into a collection, creating it if needed')
    .option('--embedding-model <model>', 'a local model (library id or .gguf path) that embeds the chunks of a new collection; without one, keyword search only')
    .option('--chunk-size <n>', 'characters per chunk for a new collection (default 1000)', (v) => Number(v))
    .option('--json', 'print the files and the job as JSON')
    .action(async (collection: string, paths: string[], opts: { embeddingModel?: string; chunkSize?: number; json?: boolean }, command: Command) => {
      await withApp(command, async (app) => {
        const { collections } = await cliClient(app).call('docs.collections.list', {});
        if (!collections.some((c) => c.name.toLowerCase() === collection.trim().toLowerCase())) {
          const created = await cliClient(app).call('docs.collections.create', { name: collection, embeddingModel: opts.embeddingModel ?? null, ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}) });
          io.err(`Created collection ${created.name}${created.embeddingModel ? ` (embeddings: ${created.embeddingModel})` : ' (keyword search only: no embedding model)'}.\n`);
        } else if (opts.embeddingModel) {
          io.err(`parity docs: ${collection} already exists; --embedding-model applies to new collections only.\n`);
        }
        const off = app.bus.on('docs.progress', ({ document }) => {
          if (!opts.json && (document.status === 'ready' || document.status === 'failed')) io.err(`${fileLine(document)}\n`);
        });
        // Ctrl-C cancels the job; files already indexed stay indexed.
        let jobId: string | null = null;
        const unsubscribeJob = app.bus.on('docs.job', (job) => void (jobId ??= job.jobId));
        const onSigint = () => void (jobId && cliClient(app).call('docs.cancel', { jobId }).catch(() => undefined));
        process.once('SIGINT', onSigint);
        try {
          const { job, documents } = await cliClient(app).call('docs.add', { collection, paths, wait: true });
          if (opts.json) io.out(`${JSON.stringify({ job, documents }, null, 2)}\n`);
          else io.out(`${job.filesDone - job.failed - job.skipped} indexed, ${job.skipped} unchanged, ${job.failed} failed${job.state === 'cancelled' ? ' (cancelled)' : ''}.\n`);
          if (job.failed > 0 || job.state === 'cancelled') process.exitCode = 1;
        } finally {
          off();
          unsubscribeJob();
          process.off('SIGINT', onSigint);
        }
      });
    });

  docs
    .command('list [collection]')
    .description('list collections, or the files of one collection with their status')
    .option('--json', 'print JSON')
    .action(async (collection: string | undefined, opts: { json?: boolean }, command: Command) => {
      await withApp(command, async (app) => {
        if (collection === undefined) {
          const { collections } = await cliClient(app).call('docs.collections.list', {});
          if (opts.json) return void io.out(`${JSON.stringify(collections, null, 2)}\n`);
          if (collections.length === 0) return void io.out('No collections yet. Create one with: parity docs add <collection> <files or folder>\n');
          io.out(
            table([
              ['NAME', 'FILES', 'CHUNKS', 'FAILED', 'EMBEDDINGS'],
              ...collections.map((c) => [c.name, String(c.documents), String(c.chunks), String(c.failed), c.embeddingModel ?? 'none (keyword only)']),
            ]),
          );
          return;
        }
        const { documents } = await cliClient(app).call('docs.files.list', { collection });
        if (opts.json) return void io.out(`${JSON.stringify(documents, null, 2)}\n`);
        if (documents.length === 0) return void io.out(`No files in ${collection}.\n`);
        io.out(
          table([
            ['ID', 'STATUS', 'FILE', 'SIZE', 'PAGES', 'CHUNKS', 'REASON'],
            ...documents.map((d) => [String(d.id), d.status, d.name, formatBytes(d.sizeBytes), d.pages === null ? '-' : String(d.pages), String(d.chunks), d.reason ?? '']),
          ]),
        );
      });
    });

  docs
    .command('search <collection> <query>')
    .description('search a collection: keyword (BM25), vector or hybrid (reciprocal rank fusion)')
    .option('--k <n>', 'how many passages (default 5)', positiveInt, 5)
    .option('--mode <mode>', 'keyword, vector or hybrid (default hybrid; falls back to keyword without embeddings)', 'hybrid')
    .option('--json', 'print JSON: { hits, mode, note, ... }')
    .action(async (collection: string, query: string, opts: { k: number; mode: string; json?: boolean }, command: Command) => {
      if (!['keyword', 'vector', 'hybrid'].includes(opts.mode)) {
        io.err('parity docs search: --mode takes keyword, vector or hybrid.\n');
        process.exitCode = EXIT_USAGE;
        return;
      }
      await withApp(command, async (app) => {
        const result = await cliClient(app).call('docs.search', { collection, query, k: opts.k, mode: opts.mode as SearchMode });
        if (result.note) io.err(`${result.note}\n`);
        if (opts.json) return void io.out(`${JSON.stringify(result, null, 2)}\n`);
        if (result.hits.length === 0) return void io.out('No passages matched.\n');
        result.hits.forEach((hit, i) => {
          io.out(`[${i + 1}] ${citation(hit)}  (score ${hit.score.toFixed(4)}, chars ${hit.charStart}-${hit.charEnd})\n`);
          io.out(`${hit.text.replace(/\s+/g, ' ').slice(0, 400)}\n\n`);
        });
      });
    });

  docs
    .command('rm <collection> [files...]')
    .description('remove files (by id, name or path) from a collection, or the whole collection when none are named')
    .action(async (collection: string, files: string[], _opts: unknown, command: Command) => {
      await withApp(command, async (app) => {
        if (files.length === 0) {
          const { removed } = await cliClient(app).call('docs.collections.remove', { collection });
          io.out(`Removed collection ${removed} and its index (the files themselves were not touched).\n`);
          return;
        }
        const { documents } = await cliClient(app).call('docs.files.list', { collection });
        const ids: number[] = [];
        for (const f of files) {
          const match = documents.filter((d) => String(d.id) === f || d.name === f || d.path === f);
          if (match.length === 0) throw new AppError('NOT_FOUND', `No file "${f}" in ${collection}: run parity docs list ${collection} for ids and names.`, { file: f });
          ids.push(...match.map((d) => d.id));
        }
        const { removed } = await cliClient(app).call('docs.files.remove', { collection, documentIds: [...new Set(ids)] });
        io.out(`Removed ${removed} file${removed === 1 ? '' : 's'} from ${collection}.\n`);
      });
    });
}
