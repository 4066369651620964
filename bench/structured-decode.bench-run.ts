/**
 * structured-decode: decode tokens/s of JSON-Schema-constrained generation (the local sampler's
 * grammar, as `responseFormat: {jsonSchema}` runs it) against unconstrained generation, on
 * synthetic-84m, through Parity's own path (GenerationService → LocalProvider → LlamaEngine), in
 * the same run. The schema keeps the answer open-ended (a list of strings) so both sides decode
 * the same number of tokens; runs are interleaved to spread drift. Target: ratio ≥ 0.80.
 * Prints the ratio; asserts only that it measured.
 */
import { expect, it } from 'vitest';
import { createApp } from '../src/main/app';
import type { GenerationMetrics, GenerationParams } from '../src/shared/domain/generation';
import { SYNTHETIC_MODEL, tempDir } from '../tests/helpers/tmp';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const MAX_TOKENS = 128;
const SCHEMA = { type: 'object', properties: { items: { type: 'array', items: { type: 'string' } } }, required: ['items'] };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

it('structured-decode: JSON-schema grammar vs unconstrained tokens/s on synthetic-84m', async () => {
  using dir = tempDir('parity-bench-structured-');
  await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
  const model = await app.models.resolve(SYNTHETIC_MODEL, { importIfMissing: true });
  const ref = `local:${model.id}`;
  const messages = [{ role: 'user' as const, content: 'List some words.' }];
  const base: GenerationParams = { maxTokens: MAX_TOKENS, threads: 1, temperature: 0.8, contextSize: 1024 };
  const once = async (params: GenerationParams): Promise<GenerationMetrics> => {
    for await (const event of app.generation.stream(ref, messages, params)) if (event.type === 'done') return event.metrics;
    throw new Error('no result');
  };
  // Warm-up: model load and grammar compilation are not decode speed.
  await once({ ...base, seed: 0 });
  await once({ ...base, seed: 0, responseFormat: { jsonSchema: SCHEMA } });
  const plain: GenerationMetrics[] = [];
  const constrained: GenerationMetrics[] = [];
  for (let i = 1; i <= RUNS; i++) {
    plain.push(await once({ ...base, seed: i }));
    constrained.push(await once({ ...base, seed: i, responseFormat: { jsonSchema: SCHEMA } }));
  }
  const tps = (ms: GenerationMetrics[]): number => median(ms.map((m) => m.decodeTokensPerSecond ?? 0));
  const tokens = (ms: GenerationMetrics[]): number => median(ms.map((m) => m.completionTokens ?? 0));
  const ratio = tps(constrained) / tps(plain);
  console.log(
    [
      `structured-decode (synthetic-84m-q4_0, 1 thread, ${RUNS} interleaved runs, median):`,
      `  unconstrained    ${tps(plain).toFixed(1)} tok/s over ${tokens(plain)} tokens`,
      `  JSON schema      ${tps(constrained).toFixed(1)} tok/s over ${tokens(constrained)} tokens (constrained: ${constrained[0]!.constrained})`,
      `  ratio            ${ratio.toFixed(2)}x (target >= 0.80)`,
    ].join('\n'),
  );
  expect(constrained.every((m) => m.constrained === 'grammar')).toBe(true);
  expect(ratio).toBeGreaterThan(0);
});
