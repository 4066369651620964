import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { routeCaller } from '../helpers/routes';
import { storiesSuiteYaml, tempDir } from '../helpers/tmp';

describe('evals.* routes', () => {
  it('import → start → progress events → results, compare and exports, all through the router', async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
    const call = routeCaller(app);
    const content = storiesSuiteYaml();
    const suite = await call('evals.suites.import', { format: 'yaml', content });
    expect(suite).toMatchObject({ version: 1, name: 'stories260K known outcome' });

    const bad = await app.router.handle('evals.suites.import', { format: 'csv', content: 'a,b\n1,2,3\n' }, { transport: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'SUITE_INVALID', details: { line: 2 } } });
    expect(await call('evals.suites.list', {})).toHaveLength(1);

    const progress: Array<{ done: number; status: string }> = [];
    const cells: string[] = [];
    app.bus.on('evals.progress', (p) => progress.push(p));
    app.bus.on('evals.cellDone', (e) => cells.push(e.cell.caseId));
    const finished = new Promise<void>((resolve) => app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
    const run = await call('evals.runs.start', { suiteId: suite.id, repeat: 2 });
    expect(run).toMatchObject({ status: 'running', totalCells: 4 });
    await finished;
    expect(progress.at(-1)).toMatchObject({ done: 4, status: 'completed', etaMs: 0 });
    expect(cells.sort()).toEqual(['json', 'json', 'story', 'story']);

    const detail = await call('evals.runs.get', { runId: run.id });
    // The suite's seed 1 is the base: repeat r samples with seed 1 + r, and the card records both.
    expect(detail.runCard.models[0]).toMatchObject({ provider: 'local', backend: expect.any(String), threads: 1, seeds: [1, 2] });
    const results = await call('evals.runs.results', { runId: run.id });
    // 4 cells are 2 cases: the interval's n is 2.
    expect(results.scorecards[0]).toMatchObject({ unit: 'case', cases: 2, passRate: 0.5, cells: 4, passes: 2, jsonValidityRate: 0 });
    const story = results.cells.filter((c) => c.caseId === 'story').sort((a, b) => a.repeat - b.repeat);
    expect(story.map((c) => c.request.params.seed)).toEqual([1, 2]);
    // Temperature 0 is greedy: the seeds differ but the text cannot, which is why cases, not cells, are the unit.
    expect(story[0]!.output).toBe(story[1]!.output);

    const cmp = await call('evals.runs.compare', { runId: run.id, baselineRunId: run.id });
    expect(cmp).toMatchObject({ regressed: false, regressions: [] });
    const html = await call('evals.runs.export', { runId: run.id, format: 'html' });
    expect(html.content).not.toMatch(/https?:\/\//);
    const csv = await call('evals.runs.export', { runId: run.id, format: 'csv' });
    expect(csv.content.split('\n')[0]).toMatch(/^caseId,modelId,repeat,pass,seed/);
    const json = JSON.parse((await call('evals.runs.export', { runId: run.id, format: 'json' })).content);
    expect(json.models[0]).toMatchObject({ passRate: 0.5, unit: 'case', cases: 2 });
    expect(json.cases.map((c: { definition: string }) => c.definition)).toEqual([expect.stringMatching(/^[0-9a-f]{16}$/), expect.stringMatching(/^[0-9a-f]{16}$/)]);
    const yaml = await call('evals.suites.export', { id: suite.id, format: 'yaml' });
    expect(yaml.content).toContain('stories260K known outcome');
    expect(await call('evals.runs.resume', { runId: run.id }).then(() => 'resumed', (e: Error) => e.message)).toMatch(/CONFLICT/);
    expect(await call('evals.runs.list', { suiteId: suite.id })).toHaveLength(1);
  });

  it('a baseline from an older suite version is compared on the unchanged cases only, with a warning', async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
    const call = routeCaller(app);
    const runToEnd = async (suiteId: string, suiteVersion: number): Promise<string> => {
      const done = new Promise<void>((resolve) => app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
      const run = await call('evals.runs.start', { suiteId, suiteVersion, repeat: 1 });
      await done;
      return run.id;
    };
    const content = storiesSuiteYaml();
    const v1 = await call('evals.suites.import', { format: 'yaml', content });
    const base = await runToEnd(v1.id, 1);
    // v2 flips the json case's assertion: it now passes where it failed, which is not an improvement of the model.
    const spec = { ...v1.spec, cases: v1.spec.cases.map((c) => (c.id === 'json' ? { ...c, assert: [{ type: 'not-is-json' }] } : c)) };
    const v2 = await call('evals.suites.save', { id: v1.id, spec, baseVersion: 1 });
    expect(v2.version).toBe(2);
    const now = await runToEnd(v1.id, 2);

    const cmp = await call('evals.runs.compare', { runId: now, baselineRunId: base });
    expect(cmp.excludedCases).toEqual([{ caseId: 'json', reason: 'changed' }]);
    expect(cmp.comparedCases).toBe(1);
    expect(cmp.improvements).toEqual([]);
    expect(cmp.models[0]).toMatchObject({ passRate: 1, baselinePassRate: 1, delta: 0 });
    expect(cmp.warning).toMatch(/suite v1, this run v2.*1 changed/);
    // The same version compares everything and warns about nothing.
    expect(await call('evals.runs.compare', { runId: base, baselineRunId: base })).toMatchObject({ excludedCases: [], comparedCases: 2, warning: null });
  });

  it('repeats at temperature 0.8 sample with seeds base + r, so they can differ (one fixed seed made byte-identical copies)', async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
    const call = routeCaller(app);
    const content = storiesSuiteYaml();
    const suite = await call('evals.suites.import', { format: 'yaml', content });
    const done = new Promise<void>((resolve) => app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
    const run = await call('evals.runs.start', { suiteId: suite.id, repeat: 3, params: { temperature: 0.8, seed: 42, maxTokens: 24 } });
    await done;
    expect((await call('evals.runs.get', { runId: run.id })).runCard.models[0]!.seeds).toEqual([42, 43, 44]);
    const story = (await call('evals.runs.results', { runId: run.id })).cells.filter((c) => c.caseId === 'story').sort((a, b) => a.repeat - b.repeat);
    expect(story.map((c) => c.request.params.seed)).toEqual([42, 43, 44]);
    expect(new Set(story.map((c) => c.output)).size).toBeGreaterThan(1);
  });
});
