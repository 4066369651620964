import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/main/core/providers/ModelProvider';
import { apiHarness, importStories, type ApiHarness } from '../helpers/apiHarness';
import { storiesSuiteYaml } from '../helpers/tmp';

let h: ApiHarness;
let local: string;

beforeAll(async () => {
  h = await apiHarness();
  local = await importStories(h);
  // Parity's own OpenAI-compatible provider, pointed at Parity's API with an API key.
  await h.call('providers.addEndpoint', { name: 'self', baseUrl: h.baseUrl, models: [local], key: h.key });
}, 60_000);

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
});

async function answer(ref: string): Promise<Extract<StreamEvent, { type: 'done' }>> {
  let done: Extract<StreamEvent, { type: 'done' }> | null = null;
  for await (const event of h.app.generation.stream(ref, [{ role: 'user', content: 'Once upon a time' }], { temperature: 0, seed: 3, maxTokens: 16 })) {
    if (event.type === 'done') done = event;
  }
  return done!;
}

describe('Parity\'s compat: provider pointed at Parity\'s own API', () => {
  it('round-trips: the same greedy answer and token counts as the direct local: run, audited as an outbound request', async () => {
    const direct = await answer(local);
    const viaApi = await answer(`compat:self/${local}`);
    expect(viaApi.metrics.error).toBeNull();
    expect(viaApi.text).toBe(direct.text);
    expect(viaApi.metrics.completionTokens).toBe(direct.metrics.completionTokens);
    expect(viaApi.metrics.promptTokens).toBe(direct.metrics.promptTokens);
    // Through the egress gateway like any endpoint: one audit row, sent to loopback.
    const { rows } = (await h.call('audit.list', {})) as { rows: Array<{ provider: string; host: string; status: string }> };
    expect(rows.find((r) => r.provider === 'compat:self')).toMatchObject({ status: 'ok', host: expect.stringMatching(/^127\.0\.0\.1/) });
    // And the API's own log saw it as a local request.
    const { requests } = (await h.call('api.requests.list', {})) as { requests: Array<{ model: string; local: boolean; status: number }> };
    expect(requests[0]).toMatchObject({ model: local, local: true, status: 200 });
  });

  it('an eval suite run through it gives the same outcome as the direct local: run', async () => {
    const content = storiesSuiteYaml(local);
    const suite = (await h.call('evals.suites.import', { format: 'yaml', content })) as { id: string };
    const finished = new Promise<void>((resolve) => h.app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
    const run = (await h.call('evals.runs.start', { suiteId: suite.id, models: [local, `compat:self/${local}`], params: { temperature: 0, seed: 1, maxTokens: 24 } })) as { id: string };
    await finished;
    const results = (await h.call('evals.runs.results', { runId: run.id })) as {
      cells: Array<{ modelId: string; caseId: string; output: string; pass: boolean }>;
      scorecards: Array<{ modelId: string; passRate: number | null }>;
    };
    const outcome = (ref: string): Array<[string, string, boolean]> =>
      results.cells.filter((c) => c.modelId === ref).map((c) => [c.caseId, c.output, c.pass] as [string, string, boolean]).sort((a, b) => a[0].localeCompare(b[0]));
    expect(outcome(local)).toHaveLength(2);
    expect(outcome(`compat:self/${local}`)).toEqual(outcome(local));
    const rates = Object.fromEntries(results.scorecards.map((s) => [s.modelId, s.passRate]));
    expect(rates[`compat:self/${local}`]).toBe(rates[local]);
  });
});
