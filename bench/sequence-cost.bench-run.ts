/**
 * sequence-cost: what the engine's default context shape costs one chat. Every chat gets a
 * sequence of a context holding `sequencesPerContext` (2) sequences, so a second chat or API
 * request on the model shares its batch and KV allocation. This measures one stream's decode on a
 * 2-sequence context against a 1-sequence context: bare node-llama-cpp `LlamaChatSession`, same
 * model, prompt, sampling and threads, interleaved runs in one process. Prints the ratio (1.00 =
 * no cost; local-decode's ≥ 0.95 target leaves little room for more).
 */
import { getLlama, LlamaChatSession, resolveChatWrapper, type LlamaContextSequence } from 'node-llama-cpp';
import { expect, it } from 'vitest';
import { SYNTHETIC_MODEL } from '../tests/helpers/tmp';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const MAX_TOKENS = 128;
const CONTEXT = 1024;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

it('sequence-cost: one chat on a 2-sequence context against a 1-sequence context', async () => {
  const llama = await getLlama({ gpu: false, build: 'never' });
  const model = await llama.loadModel({ modelPath: SYNTHETIC_MODEL, gpuLayers: 0 });
  const chatWrapper = resolveChatWrapper(model, { warningLogs: false });
  const contexts = [await model.createContext({ contextSize: CONTEXT, threads: 1, sequences: 1 }), await model.createContext({ contextSize: CONTEXT, threads: 1, sequences: 2 })];
  const sequences = contexts.map((c) => c.getSequence());
  const decode = async (sequence: LlamaContextSequence): Promise<number> => {
    const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
    session.setChatHistory([]);
    const before = sequence.tokenMeter.getState();
    let first: number | null = null;
    await session.prompt('Once upon a time', { temperature: 0, seed: 1, maxTokens: MAX_TOKENS, onTextChunk: () => void (first ??= performance.now()) });
    const end = performance.now();
    const tokens = sequence.tokenMeter.diff(before).usedOutputTokens;
    session.dispose({ disposeSequence: false });
    await sequence.clearHistory();
    return ((tokens - 1) / (end - (first ?? end))) * 1000;
  };
  // Warm-up, then alternate which goes first.
  await decode(sequences[0]!);
  await decode(sequences[1]!);
  const one: number[] = [];
  const two: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      one.push(await decode(sequences[0]!));
      two.push(await decode(sequences[1]!));
    } else {
      two.push(await decode(sequences[1]!));
      one.push(await decode(sequences[0]!));
    }
  }
  for (const c of contexts) await c.dispose();
  await model.dispose();
  await llama.dispose();
  const pairs = one.map((v, i) => two[i]! / v);
  console.log(
    [
      '',
      `=== sequence-cost: synthetic-84m-q4_0, 1 thread, ${MAX_TOKENS} tokens, ${RUNS} interleaved pairs, medians ===`,
      `  decode 1-sequence context ${median(one).toFixed(1)} tok/s, 2-sequence context ${median(two).toFixed(1)} tok/s`,
      `  2-sequence / 1-sequence: ${(median(two) / median(one)).toFixed(3)} (median of per-pair ratios ${median(pairs).toFixed(3)}, middle half ${[...pairs].sort((a, b) => a - b)[Math.floor(RUNS / 4)]!.toFixed(2)}–${[...pairs].sort((a, b) => a - b)[Math.floor((3 * RUNS) / 4)]!.toFixed(2)})`,
      '',
    ].join('\n'),
  );
  expect(one.length).toBe(RUNS);
});
