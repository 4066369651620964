import { describe, expect, it } from 'vitest';
import { providerHarness } from '../helpers/fakeProviders/providerApp';
import { routeCaller } from '../helpers/routes';
import { STORIES_MODEL } from '../helpers/tmp';

/**
 * One suite over the four cloud wires (loopback fake servers that answer "Hello, world!") and
 * stories260K, with an outcome known in advance: openai, anthropic and google pass "greet" and
 * fail "json"; the custom compat endpoint has no price, so its `cost` assertion fails too;
 * stories260K (temperature 0, seed 1) fails both.
 */
const SUITE = `
description: providers known outcome
prompts:
  - 'Say hello to the {{what}}'
providers:
  - id: local:${STORIES_MODEL}
    config: { temperature: 0, seed: 1, max_tokens: 16, threads: 1 }
tests:
  - metadata: { id: greet }
    vars: { what: world }
    assert:
      - type: icontains
        value: world
      - type: not-is-refusal
      - type: cost
        threshold: 0.01
  - metadata: { id: json }
    vars: { what: JSON parser }
    assert:
      - type: is-json
`;

describe('evals over cloud providers (fake servers) and a local model', () => {
  it('runs the matrix with identical prompts and parameters; rate limits are retried; scorecards match the known outcome', async () => {
    await using h = await providerHarness();
    const call = routeCaller(h.app);
    const suite = await call('evals.suites.import', { format: 'yaml', content: SUITE });
    const local = `local:${STORIES_MODEL}`;
    const models = [h.ref('openai'), h.ref('anthropic'), h.ref('google'), h.ref('compat'), local];
    // The first compat request is rate limited; the run must still finish every cell.
    h.servers.compat.faults.push({ kind: 'status', status: 429, retryAfter: '0' });
    const finished = new Promise<void>((resolve) => h.app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
    const run = await call('evals.runs.start', { suiteId: suite.id, models, params: { temperature: 0, seed: 1, maxTokens: 16 } });
    await finished;
    const results = await call('evals.runs.results', { runId: run.id });
    expect(results.cells).toHaveLength(10);
    expect(results.cells.filter((c) => c.status === 'error')).toEqual([]);

    const byModel = Object.fromEntries(results.scorecards.map((s) => [s.modelId, s]));
    for (const ref of models.slice(0, 4)) {
      const greet = results.cells.find((c) => c.modelId === ref && c.caseId === 'greet')!;
      expect(greet.output).toBe('Hello, world!');
      if (ref === h.ref('compat')) {
        // No price is known for a custom endpoint: the `cost` assertion cannot pass, and cost is unknown.
        expect(byModel[ref]).toMatchObject({ passes: 0, cells: 2, costUsd: null, costPerSuccessUsd: null });
        expect(greet.assertions.find((a) => a.type === 'cost')).toMatchObject({ pass: false, reason: expect.stringMatching(/cost is unknown/) });
      } else {
        expect(byModel[ref]).toMatchObject({ passes: 1, cells: 2, passRate: 0.5, inputTokens: 24, outputTokens: 8 });
        expect(byModel[ref]!.costPerSuccessUsd).toBeCloseTo(byModel[ref]!.costUsd!, 12);
        expect(byModel[ref]!.costUsd).toBeGreaterThan(0);
        expect(greet.pass).toBe(true);
      }
      // Identical prompt and parameters for every model (models from outside the suite get what
      // its providers agree on; remote providers ignore the local-only threads).
      expect(greet.request).toEqual({ messages: [{ role: 'user', content: 'Say hello to the world' }], params: { temperature: 0, seed: 1, maxTokens: 16, threads: 1 } });
    }
    expect(byModel[local]).toMatchObject({ passes: 0, cells: 2, passRate: 0, costUsd: 0, costPerSuccessUsd: null });
    const localGreet = results.cells.find((c) => c.modelId === local && c.caseId === 'greet')!;
    expect(localGreet.request).toEqual(results.cells.find((c) => c.modelId === models[0] && c.caseId === 'greet')!.request);
    // Each fake server got exactly its two cells; compat one more for the retried 429.
    expect(h.servers.openai.generationRequests).toHaveLength(2);
    expect(h.servers.anthropic.generationRequests).toHaveLength(2);
    expect(h.servers.google.generationRequests).toHaveLength(2);
    expect(h.servers.compat.generationRequests).toHaveLength(3);
    // Paired test between two models with identical outcomes: nothing discordant.
    const pair = results.pairedTests.find((t) => t.modelA === models[0] && t.modelB === models[1])!;
    expect(pair).toMatchObject({ pairs: 2, onlyA: 0, onlyB: 0, pValue: 1 });
    const card = (await call('evals.runs.get', { runId: run.id })).runCard;
    expect(card.models.find((m) => m.id === h.ref('openai'))).toMatchObject({ provider: 'openai', providerModelId: 'gpt-4o-mini' });
    expect(card.models.find((m) => m.id === local)).toMatchObject({ provider: 'local', sha256: '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d' });
  });
});
