import type { Command } from 'commander';
import type { Model } from '../../../shared/contract/models';
import { AppError } from '../../../shared/errors';
import { cliClient, type CliClient } from '../cliClient';
import { appFor, type CliIo } from '../program';
import { formatBytes } from '../../../shared/format';

async function withApp<T>(command: Command, fn: (client: CliClient) => Promise<T>): Promise<T> {
  const app = appFor(command, { mode: 'cli' });
  try {
    return await fn(cliClient(app));
  } finally {
    await app.dispose();
  }
}

export function formatParams(count: number | null): string {
  if (count === null) return '?';
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  return `${(count / 1e3).toFixed(1)}K`;
}

const FIT_LABEL = { fits: 'fits', tight: 'tight', wont_fit: "won't fit", unknown: '?' } as const;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

function describe(model: Model): string {
  const lines = [
    `${model.id}  ${model.name}`,
    `  file:     ${model.path} (${model.storage === 'copy' ? 'copied into the library' : 'linked in place'})`,
    `  model:    ${model.architecture ?? '?'}, ${formatParams(model.parameterCount)} parameters, ${model.quantization ?? '?'}, ${formatBytes(model.sizeBytes)}`,
    `  context:  trained ${model.trainContextSize ?? '?'}; chat template ${model.hasChatTemplate ? 'present' : 'absent'}`,
    `  licence:  ${model.licence.id ?? 'none stated'}${model.licence.warning ? ` (warning: ${model.licence.warning})` : ''}`,
    `  fit:      ${model.fit ? `${FIT_LABEL[model.fit.level]}${model.fit.maxContextSize ? `, up to ${model.fit.maxContextSize} tokens of context` : ''}` : 'unknown'}`,
    `  sha256:   ${model.sha256 ?? model.hashState}`,
    ...(model.metadataWarning ? [`  warning:  ${model.metadataWarning}`] : []),
  ];
  return lines.join('\n') + '\n';
}

export function registerModels(program: Command, io: CliIo): void {
  const models = program.command('models').description('manage the local model library (GGUF files)');

  models
    .command('add <path>')
    .description('import a .gguf file: copied into the library, or linked where it is with --link')
    .option('--link', 'keep the file where it is instead of copying it')
    .option('--json', 'print the model as JSON')
    .action(async (path: string, opts: { link?: boolean; json?: boolean }, command: Command) => {
      await withApp(command, async (client) => {
        const { model, alreadyPresent } = await client.call('models.import', { path, mode: opts.link ? 'link' : 'copy' });
        let final = model;
        if (!model.sha256) {
          let shown = false;
          const off = client.on('models.hashProgress', (p) => {
            if (p.modelId !== model.id || p.state !== 'hashing' || p.total === 0) return;
            shown = true;
            io.err(`\rComputing sha256… ${Math.floor((p.bytes / p.total) * 100)}%`);
          });
          try {
            final = await client.call('models.waitForHash', { id: model.id });
          } finally {
            off();
          }
          if (shown) io.err('\n');
        }
        if (opts.json) io.out(`${JSON.stringify(final)}\n`);
        else io.out(`${alreadyPresent ? 'Already in the library: ' : 'Added '}${describe(final)}`);
      });
    });

  models
    .command('list')
    .alias('ls')
    .description('list the models in the library')
    .option('--json', 'print a JSON array')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withApp(command, async (client) => {
        const list = await client.call('models.list', {});
        if (opts.json) return io.out(`${JSON.stringify(list)}\n`);
        if (list.length === 0) return io.out('The library is empty. Add a model with `parity models add <file.gguf>`.\n');
        const rows = [['ID', 'NAME', 'ARCH', 'PARAMS', 'QUANT', 'SIZE', 'CONTEXT', 'LICENCE', 'FIT', 'SHA256']];
        for (const m of list) {
          rows.push([
            m.id,
            m.name,
            m.architecture ?? '?',
            formatParams(m.parameterCount),
            m.quantization ?? '?',
            formatBytes(m.sizeBytes),
            String(m.fit?.maxContextSize ?? m.trainContextSize ?? '?'),
            `${m.licence.id ?? 'none'}${m.licence.warning ? ' (!)' : ''}`,
            m.fit ? FIT_LABEL[m.fit.level] : '?',
            m.sha256 ? m.sha256.slice(0, 12) : m.hashState,
          ]);
        }
        io.out(table(rows));
      });
    });

  models
    .command('rm <id>')
    .alias('remove')
    .description('remove a model from the library (a copied file is deleted; a linked file is left alone)')
    .action(async (id: string, _opts: unknown, command: Command) => {
      await withApp(command, async (client) => {
        const { fileDeleted } = await client.call('models.remove', { id });
        io.out(`Removed ${id}${fileDeleted ? ' and deleted its file from the library folder' : ' (the linked file was left in place)'}.\n`);
      });
    });

  models
    .command('download <source>')
    .description('download a model from an https URL or hf:<user>/<repo>/<file>.gguf, verify it and add it')
    .option('--sha256 <digest>', 'expected sha256 of the file')
    .action(async (source: string, opts: { sha256?: string }, command: Command) => {
      await withApp(command, async (client) => {
        let download = await client.call('models.download.start', { source, expectedSha256: opts.sha256 });
        const id = download.id;
        let retryShown: string | null = null;
        const off = client.on('models.downloadProgress', (p) => {
          if (p.id !== id || p.status !== 'downloading') return;
          if (p.retry) {
            // A retrying download receives nothing for seconds: say why and when, once per retry.
            if (retryShown === p.retry.nextAt) return;
            retryShown = p.retry.nextAt;
            const inSeconds = Math.max(0, Date.parse(p.retry.nextAt) - Date.now()) / 1000;
            io.err(`\n${download.fileName}: attempt failed (${p.retry.reason.replace(/\.$/, '')}); retry ${p.retry.attempt} of ${p.retry.max}, next try in ${inSeconds.toFixed(1)} s\n`);
            return;
          }
          const pct = p.totalBytes ? ` ${Math.floor((p.receivedBytes / p.totalBytes) * 100)}%` : '';
          const eta = p.etaSeconds !== null ? `, ${Math.ceil(p.etaSeconds)} s left` : '';
          io.err(`\r${download.fileName}: ${formatBytes(p.receivedBytes)}${p.totalBytes ? ` of ${formatBytes(p.totalBytes)}` : ''}${pct} (${formatBytes(p.bytesPerSecond)}/s${eta})   `);
        });
        // Ctrl-C pauses, so `parity models download` of the same source resumes later.
        const pause = (): void => void client.call('models.download.pause', { id }).catch(() => undefined);
        process.once('SIGINT', pause);
        try {
          download = await client.call('models.download.wait', { id });
        } finally {
          off();
          process.removeListener('SIGINT', pause);
          io.err('\n');
        }
        if (download.status === 'completed' && download.modelId) {
          io.out(`Added ${describe(await client.call('models.get', { id: download.modelId }))}`);
          return;
        }
        if (download.status === 'paused' || download.status === 'interrupted') {
          throw new AppError('DOWNLOAD_FAILED', `Download ${download.status}${download.error ? `: ${download.error}` : ''}. Run the same command again to resume.`);
        }
        const mismatch = /checksum mismatch/i.test(download.error ?? '');
        throw new AppError(mismatch ? 'DOWNLOAD_CHECKSUM_MISMATCH' : 'DOWNLOAD_FAILED', download.error ?? `Download ${download.status}.`);
      });
    });
}
