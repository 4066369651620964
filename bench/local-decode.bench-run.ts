/**
 * local-decode: decode tokens/s and time to first token through Parity's full path — a real
 * `parity serve` process (HTTP POST /api/chat.send, events over the WebSocket, Router, ChatService
 * persisting to a real SQLite file, GenerationService, LocalProvider, LlamaEngine) — against bare
 * node-llama-cpp (LlamaChatSession) in this process on the same model, threads, prompt and
 * sampling. The client runs here, not in the server, as the renderer does. Runs are interleaved
 * to spread drift on a shared machine. Prints ratios; asserts only that it measured.
 */
import { getLlama, LlamaChatSession, resolveChatWrapper } from 'node-llama-cpp';
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServe } from '../tests/helpers/serveProcess';
import { STORIES_MODEL, SYNTHETIC_MODEL } from '../tests/helpers/tmp';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../src/shared/contract/transport';

const PROMPT = 'Once upon a time';
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const CASES = [
  { name: 'synthetic-84m-q4_0', path: SYNTHETIC_MODEL, maxTokens: 128 },
  { name: 'stories260K', path: STORIES_MODEL, maxTokens: 512 },
];
const THREADS = 1;
const CONTEXT = 1024;

interface Sample {
  ttftMs: number;
  /** TTFT as the local provider measured it, from the start of its stream to the first token. */
  providerTtftMs?: number;
  providerDecodeTps?: number;
  decodeTps: number;
  tokens: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

it('local-decode: Parity full path vs bare node-llama-cpp', async () => {
  // serve.call is a lean keep-alive client (node:http): undici's fetch alone adds ~1.5 ms per call
  // here, which is the client's cost, not Parity's; the renderer's own fetch runs in another process anyway.
  await using serve = await startServe({ env: { PARITY_GPU: 'off' } });
  const { call: api, token } = serve;
  const served = new URL(serve.url);
  const ws = new WebSocket(`ws://${served.host}/api/events`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`]);
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  type Waiter = { conversationId: string; first: number | null; last: number | null; deltas: number; resolve: (v: { first: number; end: number; tokens: number; deltas: number; serverTtftMs: number; serverDecodeTps: number }) => void };
  let waiter: Waiter | null = null;
  ws.on('message', (raw) => {
    const now = performance.now();
    const { event, payload } = JSON.parse(String(raw)) as {
      event: string;
      payload: { conversationId?: string; metrics?: { completionTokens: number | null; ttftMs: number | null; decodeTokensPerSecond: number | null } };
    };
    if (!waiter || payload?.conversationId !== waiter.conversationId) return;
    if (event === 'chat.delta') {
      waiter.deltas += 1;
      waiter.first ??= now;
      waiter.last = now;
    } else if (event === 'chat.done') {
      // Decoding ends with the last streamed text; the answer's final save and chat.done come after it.
      waiter.resolve({ first: waiter.first ?? now, end: waiter.last ?? now, tokens: payload.metrics?.completionTokens ?? 0, deltas: waiter.deltas, serverTtftMs: payload.metrics?.ttftMs ?? 0, serverDecodeTps: payload.metrics?.decodeTokensPerSecond ?? 0 });
    }
  });

  // The bare baseline shares nothing with Parity but the process (each side its own Llama, model, context).
  const llama = await getLlama({ gpu: false, build: 'never' });
  const lines: string[] = [];
  let measured = 0;

  for (const c of CASES) {
    const imported = await api<{ model: { id: string } }>('models.import', { path: c.path, mode: 'link' });
    const ref = `local:${imported.model.id}`;
    const params = { temperature: 0, seed: 1, maxTokens: c.maxTokens, threads: THREADS, contextSize: CONTEXT };

    const parityRun = async (): Promise<Sample> => {
      const conv = await api<{ id: string }>('chat.conversations.create', { modelRef: ref, params });
      let resolveDone!: Waiter['resolve'];
      const done = new Promise<Parameters<Waiter['resolve']>[0]>((r) => (resolveDone = r));
      // Listening before sending: the first delta may arrive before the HTTP response does.
      const t0 = performance.now();
      waiter = { conversationId: conv.id, first: null, last: null, deltas: 0, resolve: resolveDone };
      await api('chat.send', { conversationId: conv.id, text: PROMPT });
      const r = await done;
      waiter = null;
      return { ttftMs: r.first - t0, providerTtftMs: r.serverTtftMs, providerDecodeTps: r.serverDecodeTps, decodeTps: ((r.tokens - 1) / (r.end - r.first)) * 1000, tokens: r.tokens };
    };

    const model = await llama.loadModel({ modelPath: c.path });
    const context = await model.createContext({ contextSize: CONTEXT, threads: THREADS, sequences: 1 });
    const sequence = context.getSequence();
    const chatWrapper = resolveChatWrapper(model, { warningLogs: false });
    const bareRun = async (): Promise<Sample> => {
      const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
      // Same history as Parity's conversation (no default system prompt): the same tokens are evaluated.
      session.setChatHistory([]);
      const before = sequence.tokenMeter.getState();
      const t0 = performance.now();
      let first: number | null = null;
      await session.prompt(PROMPT, {
        temperature: 0,
        seed: 1,
        maxTokens: c.maxTokens,
        onTextChunk: () => {
          first ??= performance.now();
        },
      });
      const end = performance.now();
      const tokens = sequence.tokenMeter.diff(before).usedOutputTokens;
      session.dispose({ disposeSequence: false });
      return { ttftMs: (first ?? end) - t0, decodeTps: ((tokens - 1) / (end - (first ?? t0))) * 1000, tokens };
    };

    // Warm-up: loads, first contexts, page cache.
    await parityRun();
    await bareRun();
    const parity: Sample[] = [];
    const bare: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        bare.push(await bareRun());
        parity.push(await parityRun());
      } else {
        parity.push(await parityRun());
        bare.push(await bareRun());
      }
    }
    await context.dispose();
    await model.dispose();

    const pDecode = median(parity.map((s) => s.decodeTps));
    const bDecode = median(bare.map((s) => s.decodeTps));
    const pTtft = median(parity.map((s) => s.ttftMs));
    const bTtft = median(bare.map((s) => s.ttftMs));
    const ratio = pDecode / bDecode;
    const ttftDelta = pTtft - bTtft;
    measured += parity.length + bare.length;
    lines.push(
      `${c.name} (threads ${THREADS}, ${c.maxTokens} max tokens, ${RUNS} interleaved runs, medians):`,
      `  decode   parity ${pDecode.toFixed(1)} tok/s  bare ${bDecode.toFixed(1)} tok/s  ratio ${ratio.toFixed(3)}  target >= 0.95: ${ratio >= 0.95 ? 'MET' : 'NOT MET'}`,
      `  TTFT     parity ${pTtft.toFixed(2)} ms  bare ${bTtft.toFixed(2)} ms  delta ${ttftDelta >= 0 ? '+' : ''}${ttftDelta.toFixed(2)} ms  target <= +3 ms: ${ttftDelta <= 3 ? 'MET' : 'NOT MET'}`,
      `  inside the provider: TTFT ${median(parity.map((s) => s.providerTtftMs ?? 0)).toFixed(2)} ms (the rest is HTTP, chat.send's writes and the WebSocket), decode ${median(parity.map((s) => s.providerDecodeTps ?? 0)).toFixed(1)} tok/s`,
      `  tokens   parity ${median(parity.map((s) => s.tokens))}  bare ${median(bare.map((s) => s.tokens))}`,
    );
  }

  console.log(['', '=== local-decode ===', ...lines, ''].join('\n'));
  ws.close();
  await llama.dispose();
  expect(measured).toBe(CASES.length * RUNS * 2);
});
