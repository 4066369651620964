/**
 * api-throughput: the OpenAI-compatible API of a real `parity serve` process (POST /v1/chat/completions,
 * streamed, key check, bounded queue, GenerationService, LocalProvider, LlamaEngine) against bare
 * node-llama-cpp (LlamaChatSession on sequences of one context) in this process, on the same
 * model, threads, prompts and greedy sampling, at 1 client and at 8 concurrent clients. Runs are
 * interleaved to spread drift on a shared machine. Prints ratios; asserts only that it measured.
 */
import { getLlama, LlamaChatSession, resolveChatWrapper, type LlamaContextSequence } from 'node-llama-cpp';
import { Agent, request } from 'node:http';
import { expect, it } from 'vitest';
import { startServe } from '../tests/helpers/serveProcess';
import { SYNTHETIC_MODEL } from '../tests/helpers/tmp';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const MAX_TOKENS = 96;
const CLIENTS = 8;
/** What the API gives each parallel sequence by default for this model: its trained context, at most 4,096. */
const CONTEXT = 4096;
const PROMPTS = Array.from({ length: CLIENTS }, (_, i) => `Story ${i + 1}: once upon a time`);

interface Run {
  ttftMs: number;
  firstAt: number;
  lastAt: number;
  startedAt: number;
  tokens: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

it('api-throughput: /v1/chat/completions streamed vs bare node-llama-cpp, 1 and 8 clients', async () => {
  await using serve = await startServe({ serveArgs: ['--api-parallel', String(CLIENTS)], env: { PARITY_GPU: 'off' } });
  const { call: route } = serve;
  const served = new URL(serve.url);
  // A lean keep-alive client (node:http), as serve.call is: undici's fetch costs ~1.5 ms per call here.
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const post = (path: string, body: unknown, auth: string, onData?: (chunk: string) => void): Promise<string> =>
    new Promise((resolve, reject) => {
      const text = JSON.stringify(body);
      const req = request(
        { host: served.hostname, port: served.port, path, method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), Authorization: `Bearer ${auth}` } },
        (res) => {
          let raw = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            raw += chunk;
            onData?.(chunk);
          });
          res.on('end', () => (res.statusCode === 200 ? resolve(raw) : reject(new Error(`${path}: HTTP ${res.statusCode} ${raw}`))));
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  await route('settings.set', { key: 'defaultThreads', value: THREADS });
  const { model: imported } = await route<{ model: { id: string } }>('models.import', { path: SYNTHETIC_MODEL, mode: 'link' });
  const { key } = await route<{ key: string }>('api.keys.create', { name: 'bench' });
  const ref = `local:${imported.id}`;

  const apiRun = async (prompt: string): Promise<Run> => {
    const startedAt = performance.now();
    let firstAt: number | null = null;
    let lastAt = startedAt;
    let buffer = '';
    let tokens = 0;
    await post(
      '/v1/chat/completions',
      { model: ref, messages: [{ role: 'user', content: prompt }], max_tokens: MAX_TOKENS, temperature: 0, seed: 1, stream: true, stream_options: { include_usage: true } },
      key,
      (chunk) => {
        const now = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!event.startsWith('data: {')) continue;
          const data = JSON.parse(event.slice(6)) as { choices: Array<{ delta: { content?: string } }>; usage?: { completion_tokens: number } | null };
          if (data.choices[0]?.delta.content) {
            firstAt ??= now;
            lastAt = now;
          }
          if (data.usage) tokens = data.usage.completion_tokens;
        }
      },
    );
    return { startedAt, firstAt: firstAt ?? lastAt, lastAt, ttftMs: (firstAt ?? lastAt) - startedAt, tokens };
  };

  // The bare baseline shares nothing with Parity but the machine: its own Llama, model and one context of CLIENTS sequences.
  const llama = await getLlama({ gpu: false, build: 'never' });
  const model = await llama.loadModel({ modelPath: SYNTHETIC_MODEL });
  const context = await model.createContext({ contextSize: CONTEXT, threads: THREADS, sequences: CLIENTS });
  const sequences: LlamaContextSequence[] = Array.from({ length: CLIENTS }, () => context.getSequence());
  const chatWrapper = resolveChatWrapper(model, { warningLogs: false });
  const bareRun = async (prompt: string, sequence: LlamaContextSequence): Promise<Run> => {
    const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
    session.setChatHistory([]);
    const before = sequence.tokenMeter.getState();
    const startedAt = performance.now();
    let firstAt: number | null = null;
    let lastAt = startedAt;
    await session.prompt(prompt, {
      temperature: 0,
      seed: 1,
      maxTokens: MAX_TOKENS,
      onTextChunk: () => {
        const now = performance.now();
        firstAt ??= now;
        lastAt = now;
      },
    });
    const tokens = sequence.tokenMeter.diff(before).usedOutputTokens;
    session.dispose({ disposeSequence: false });
    return { startedAt, firstAt: firstAt ?? lastAt, lastAt, ttftMs: (firstAt ?? lastAt) - startedAt, tokens };
  };

  const decodeTps = (r: Run): number => ((r.tokens - 1) / (r.lastAt - r.firstAt)) * 1000;
  /** Tokens of all clients over the wall time from the first request to the last token. */
  const aggregateTps = (runs: Run[]): number => (runs.reduce((n, r) => n + r.tokens, 0) / (Math.max(...runs.map((r) => r.lastAt)) - Math.min(...runs.map((r) => r.startedAt)))) * 1000;
  const apiBurst = (): Promise<Run[]> => Promise.all(PROMPTS.map((p) => apiRun(p)));
  const bareBurst = (): Promise<Run[]> => Promise.all(PROMPTS.map((p, i) => bareRun(p, sequences[i]!)));

  // Warm-up: loads, first contexts, page cache.
  await apiRun(PROMPTS[0]!);
  await bareRun(PROMPTS[0]!, sequences[0]!);
  await apiBurst();
  await bareBurst();

  const single = { api: [] as Run[], bare: [] as Run[] };
  /** TTFT as the server's request log measured it (request start to first token): splits server time from HTTP and client. */
  const serverTtft: number[] = [];
  const burst = { api: [] as number[], bare: [] as number[], apiTokens: [] as number[], bareTokens: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? (['bare', 'api'] as const) : (['api', 'bare'] as const);
    for (const side of order) {
      // A prompt neither side has seen: no KV-cache prefix left over from an earlier run favours either.
      const prompt = `Tale ${i + 1} of ${RUNS}: a dragon`;
      single[side].push(side === 'api' ? await apiRun(prompt) : await bareRun(prompt, sequences[0]!));
      if (side === 'api') serverTtft.push((await route<{ requests: Array<{ ttftMs: number | null }> }>('api.requests.list', {})).requests[0]?.ttftMs ?? 0);
    }
    for (const side of order) {
      const runs = side === 'api' ? await apiBurst() : await bareBurst();
      burst[side].push(aggregateTps(runs));
      burst[side === 'api' ? 'apiTokens' : 'bareTokens'].push(runs.reduce((n, r) => n + r.tokens, 0));
    }
  }

  const a1 = median(single.api.map(decodeTps));
  const b1 = median(single.bare.map(decodeTps));
  const aTtft = median(single.api.map((r) => r.ttftMs));
  const bTtft = median(single.bare.map((r) => r.ttftMs));
  const a8 = median(burst.api);
  const b8 = median(burst.bare);
  const r1 = a1 / b1;
  const r8 = a8 / b8;
  const ttftDelta = aTtft - bTtft;
  console.log(
    [
      '',
      '=== api-throughput ===',
      `synthetic-84m-q4_0, threads ${THREADS}, ${MAX_TOKENS} max tokens, greedy, ${RUNS} interleaved runs, medians:`,
      `  1 client   decode  api ${a1.toFixed(1)} tok/s  bare ${b1.toFixed(1)} tok/s  ratio ${r1.toFixed(3)}  target >= 0.90: ${r1 >= 0.9 ? 'MET' : 'NOT MET'}`,
      `  1 client   TTFT    api ${aTtft.toFixed(2)} ms  bare ${bTtft.toFixed(2)} ms  delta ${ttftDelta >= 0 ? '+' : ''}${ttftDelta.toFixed(2)} ms  target <= +5 ms: ${ttftDelta <= 5 ? 'MET' : 'NOT MET'}`,
      `  inside the server: TTFT ${median(serverTtft).toFixed(2)} ms from the request's arrival (the rest of the API's TTFT is HTTP and the client)`,
      `  ${CLIENTS} clients  total   api ${a8.toFixed(1)} tok/s  bare ${b8.toFixed(1)} tok/s  ratio ${r8.toFixed(3)}  target >= 0.85: ${r8 >= 0.85 ? 'MET' : 'NOT MET'}`,
      `  tokens     1 client api ${median(single.api.map((r) => r.tokens))} bare ${median(single.bare.map((r) => r.tokens))}; ${CLIENTS} clients api ${median(burst.apiTokens)} bare ${median(burst.bareTokens)}`,
      '',
    ].join('\n'),
  );

  agent.destroy();
  await context.dispose();
  await model.dispose();
  await llama.dispose();
  expect(single.api.length + single.bare.length + burst.api.length + burst.bare.length).toBe(RUNS * 4);
});
