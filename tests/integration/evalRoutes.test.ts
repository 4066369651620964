import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import type { RouteInput, RouteName, RouteOutput } from '../../src/shared/contract';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'suites');

describe('evals.* routes', () => {
  it('import → start → progress events → results, compare and exports, all through the router', async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
    const call = async <K extends RouteName>(route: K, input: RouteInput<K>): Promise<RouteOutput<K>> => {
      const res = await app.router.handle(route, input, { transport: 'test' });
      if (!res.ok) throw new Error(`${route}: ${res.error.code} ${res.error.message}`);
      return res.data as RouteOutput<K>;
    };
    const content = readFileSync(join(FIXTURES, 'stories.yaml'), 'utf8').replace('local:STORIES', `local:${STORIES_MODEL}`);
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
    expect(detail.runCard.models[0]).toMatchObject({ provider: 'local', backend: expect.any(String), threads: 1 });
    const results = await call('evals.runs.results', { runId: run.id });
    expect(results.scorecards[0]).toMatchObject({ passRate: 0.5, cells: 4, passes: 2, jsonValidityRate: 0 });
    // Temperature 0 and a seed: both repeats give the same text.
    const story = results.cells.filter((c) => c.caseId === 'story');
    expect(story[0]!.output).toBe(story[1]!.output);

    const cmp = await call('evals.runs.compare', { runId: run.id, baselineRunId: run.id });
    expect(cmp).toMatchObject({ regressed: false, regressions: [] });
    const html = await call('evals.runs.export', { runId: run.id, format: 'html' });
    expect(html.content).not.toMatch(/https?:\/\//);
    const csv = await call('evals.runs.export', { runId: run.id, format: 'csv' });
    expect(csv.content.split('\n')[0]).toMatch(/^caseId,modelId,repeat,pass/);
    const json = JSON.parse((await call('evals.runs.export', { runId: run.id, format: 'json' })).content);
    expect(json.models[0]).toMatchObject({ passRate: 0.5 });
    const yaml = await call('evals.suites.export', { id: suite.id, format: 'yaml' });
    expect(yaml.content).toContain('stories260K known outcome');
    expect(await call('evals.runs.resume', { runId: run.id }).then(() => 'resumed', (e: Error) => e.message)).toMatch(/CONFLICT/);
    expect(await call('evals.runs.list', { suiteId: suite.id })).toHaveLength(1);
  });
});
