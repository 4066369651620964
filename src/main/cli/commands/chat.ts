import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { policyNoteText } from '../../../shared/domain/dataPolicy';
import { GenerationParamsSchema, type GenerationMetrics, type GenerationParams } from '../../../shared/domain/generation';
import { CHAT_FALLBACK_TEMPERATURE, DEFAULT_MAX_TOKENS, MAX_SEED, mergeParams } from '../../../shared/domain/generationDefaults';
import { grammarUnenforcedKeywords, jsonSchemaOf, wantsStructure } from '../../../shared/domain/structured';
import { LOCAL_PROVIDER, ROUTE_PROVIDER, format as formatRef, parseOrLocal } from '../../../shared/domain/modelRef';
import { AppError } from '../../../shared/errors';
import { cliClient } from '../cliClient';
import { appFor, type CliIo } from '../program';

interface ChatCliOptions {
  model: string;
  system?: string;
  temperature?: number;
  seed?: number;
  maxTokens?: number;
  threads?: number;
  json?: boolean;
  jsonSchema?: string;
  jsonMode?: boolean;
  tools?: string;
  toolChoice?: string;
  collection?: string[];
  sendDocuments?: boolean;
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `Cannot read the ${what} file ${path}: ${error instanceof Error ? error.message : String(error)}`, { path });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `The ${what} file ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { path });
  }
}

/** `--json-schema`, `--json-mode`, `--tools`, `--tool-choice` → the request fields, checked by the contract like any client's. */
export function structuredFromOptions(opts: Pick<ChatCliOptions, 'jsonSchema' | 'jsonMode' | 'tools' | 'toolChoice'>): Partial<GenerationParams> {
  const raw: Record<string, unknown> = {};
  if (opts.jsonSchema) raw.responseFormat = { jsonSchema: readJsonFile(opts.jsonSchema, 'JSON Schema') };
  else if (opts.jsonMode) raw.responseFormat = 'json';
  if (opts.tools) {
    const tools = readJsonFile(opts.tools, 'tools');
    raw.tools = Array.isArray(tools) ? tools : [tools];
  }
  if (opts.toolChoice) raw.toolChoice = ['auto', 'none', 'required'].includes(opts.toolChoice) ? opts.toolChoice : { name: opts.toolChoice };
  const parsed = GenerationParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.');
    throw new AppError('VALIDATION_FAILED', `${where ? `${where}: ` : ''}${issue.message}`, { field: where });
  }
  return parsed.data;
}

function numberArg(min: number, max: number, integer: boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}.`);
    }
    return n;
  };
}

function round(n: number | null, digits = 1): number | null {
  return n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;
}

export function metricsLine(m: GenerationMetrics): string {
  const parts = [
    m.loadMs ? `load ${Math.round(m.loadMs)} ms` : null,
    m.ttftMs !== null ? `TTFT ${Math.round(m.ttftMs)} ms` : null,
    m.decodeTokensPerSecond !== null ? `${Math.round(m.decodeTokensPerSecond)} tok/s` : null,
    m.completionTokens !== null ? `${m.completionTokens} tokens` : null,
    m.stopReason,
    m.backend,
    m.threads !== null ? `${m.threads} threads` : null,
    m.constrained ? `constrained by ${m.constrained}` : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

export function registerChat(program: Command, io: CliIo): void {
  program
    .command('chat')
    .description('send one prompt to a model and stream the answer to stdout')
    .argument('<prompt>', 'what to ask')
    .requiredOption('--model <model>', 'a library model id, a path to a .gguf (imported on the fly), or provider:model')
    .option('--system <text>', 'system prompt')
    .option('--temperature <n>', `sampling temperature (0 = greedy; default: the model's recommendation, else ${CHAT_FALLBACK_TEMPERATURE})`, numberArg(0, 2, false))
    .option('--seed <n>', 'sampling seed (default: a fresh one per answer)', numberArg(0, MAX_SEED, true))
    .option('--max-tokens <n>', `most tokens to generate (default: ${DEFAULT_MAX_TOKENS.chat})`, numberArg(1, 1_000_000, true))
    .option('--threads <n>', 'CPU threads for a local model', numberArg(1, 256, true))
    .option('--json', 'print exactly one JSON object with the text and metrics')
    .option('--json-schema <file>', 'answer with JSON that follows this JSON Schema (local models: enforced by a grammar)')
    .option('--json-mode', 'answer with a JSON object (any shape)')
    .option('--tools <file>', 'JSON list of tools [{name, description, parameters}] the model may call (never executed)')
    .option('--tool-choice <choice>', 'auto, none, required, or a tool name')
    .option('--collection <name>', 'answer from this document collection, citing numbered passages (repeat for several)', (v: string, all: string[] = []) => [...all, v])
    .option('--send-documents', 'allow a remote model to receive the passages (recorded in the audit log)')
    .action(async (prompt: string, opts: ChatCliOptions, command: Command) => {
      const app = appFor(command, { mode: 'cli' });
      const controller = new AbortController();
      // Ctrl+C stops the answer; the partial text and its metrics are still printed.
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const client = cliClient(app);
        const requestId = randomUUID();
        const off = opts.json ? () => undefined : client.on('chat.complete.delta', (d) => d.requestId === requestId && io.out(d.text));
        // The route gives what is unset a chat's defaults (sampled, a fresh seed, DEFAULT_MAX_TOKENS.chat), as in the app.
        const params = mergeParams({ temperature: opts.temperature, seed: opts.seed, maxTokens: opts.maxTokens, threads: opts.threads }, structuredFromOptions(opts));
        // Said before the answer: a local grammar makes the text parse, but some keywords it cannot sample by.
        const schema = jsonSchemaOf(params.responseFormat);
        const unenforced = schema && parseOrLocal(opts.model).provider === LOCAL_PROVIDER ? grammarUnenforcedKeywords(schema) : [];
        if (unenforced.length) io.err(`parity: note: a local model's grammar does not enforce ${unenforced.join(', ')}; the answer will parse but may not follow them.\n`);
        // Passages from the collections go into the system prompt, numbered, as in a chat that has them attached.
        const documents = opts.collection?.length
          ? await client.call('docs.context', { collections: opts.collection, query: prompt, modelRef: opts.model, allowRemote: opts.sendDocuments === true }, { signal: controller.signal })
          : null;
        const system = documents ? [opts.system, documents.system].filter(Boolean).join('\n\n') : opts.system;
        const sources = documents?.passages.map((p) => ({ n: p.n, collection: p.collection, file: p.fileName, page: p.page, heading: p.heading, chunkId: p.chunkId, score: p.score }));
        let answer;
        try {
          // A path is linked into the library on the fly; anything that is not a remote ref is a library model.
          answer = await client.call(
            'chat.complete',
            { requestId, model: opts.model, messages: [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content: prompt }], params, importIfMissing: true, waitForSha256: opts.json === true },
            { signal: controller.signal },
          );
        } finally {
          off();
        }
        const { text, metrics } = answer;
        if (opts.json) {
          const out = {
            text,
            stopReason: metrics.stopReason,
            model: { id: answer.model.id, sha256: answer.model.sha256 },
            provider: metrics.provider,
            costUsd: metrics.costUsd,
            retries: metrics.retries,
            usageEstimated: metrics.usageEstimated,
            // Why a broken stream ended (the text above is what arrived before it broke); null when nothing failed.
            error: metrics.error,
            sampling: metrics.sampling ?? null,
            // Only for a structured request, so plain answers keep the same JSON shape as before.
            ...(wantsStructure(params) ? { constrained: metrics.constrained ?? null, toolCalls: metrics.toolCalls ?? [] } : {}),
            // For a route: the model that answered and why (each step's outcome and reason).
            ...(metrics.route ? { answeredBy: metrics.route.answeredBy, route: metrics.route } : {}),
            // What the data policy did (counts per detector, never the values); absent when it found nothing.
            ...(metrics.policy ? { policy: metrics.policy } : {}),
            ...(sources ? { sources } : {}),
            metrics: {
              loadMs: round(metrics.loadMs),
              ttftMs: round(metrics.ttftMs),
              promptTokens: metrics.promptTokens,
              promptTokensPerSecond: round(metrics.promptTokensPerSecond),
              completionTokens: metrics.completionTokens,
              decodeTokensPerSecond: round(metrics.decodeTokensPerSecond),
              totalMs: round(metrics.totalMs),
            },
          };
          io.out(JSON.stringify(out) + '\n');
          if (metrics.error) io.err(`parity: ${metrics.error.message}\n`);
        } else {
          io.out('\n');
          for (const call of metrics.toolCalls ?? []) io.out(`tool call: ${call.name}(${call.rawArguments})\n`);
          io.err(`${metricsLine(metrics)}\n`);
          if (documents) {
            if (documents.note) io.err(`${documents.note}\n`);
            io.err(sources!.length > 0 ? `Sources:\n${sources!.map((s) => `[${s.n}] ${s.file}${s.page !== null ? `, page ${s.page}` : s.heading ? ` › ${s.heading}` : ''}`).join('\n')}\n` : 'No passage matched.\n');
          }
          if (metrics.route) io.err(`${formatRef(ROUTE_PROVIDER, metrics.route.name)} → ${metrics.route.answeredBy}: ${metrics.route.reason}\n`);
          // A warn rule has no prompt to answer here: the user is told what went out, after the fact.
          if (metrics.policy) io.err(`${policyNoteText(metrics.policy)}\n`);
          if (metrics.error) io.err(`parity: ${metrics.error.message}\n`);
        }
        process.exitCode = metrics.stopReason === 'error' ? 1 : 0;
      } finally {
        process.off('SIGINT', onSigint);
        await app.dispose();
      }
    });
}
