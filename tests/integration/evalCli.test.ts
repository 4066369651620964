import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import { cliIo } from '../helpers/cli';
import { STORIES_MODEL, storiesSuiteYaml, TINY_RANDOM_MODEL, tempDir } from '../helpers/tmp';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'suites');
const STORIES_REF = `local:${STORIES_MODEL}`;

/** storiesSuiteYaml() written to a file in `dir`, for `parity eval <file>`. */
function storiesSuite(dir: string): string {
  const path = join(dir, 'stories.yaml');
  writeFileSync(path, storiesSuiteYaml(STORIES_REF));
  return path;
}

let savedGpu: string | undefined;
beforeAll(() => {
  savedGpu = process.env.PARITY_GPU;
  process.env.PARITY_GPU = 'off';
});
afterAll(() => {
  if (savedGpu === undefined) delete process.env.PARITY_GPU;
  else process.env.PARITY_GPU = savedGpu;
});

describe('parity eval', () => {
  it('runs a stories260K suite with a known outcome; --fail-under decides 0 or 1; writes JSON and offline HTML', async () => {
    using dir = tempDir();
    const suite = storiesSuite(dir.path);
    const json = join(dir.path, 'out.json');
    const html = join(dir.path, 'out.html');
    const ok = cliIo();
    const code = await runCli(['--data-dir', dir.path, 'eval', suite, '--json', json, '--html', html, '--fail-under', '0.5'], ok);
    expect(ok.stderr()).toMatch(/\[2\/2\] 1 passed/);
    expect(code).toBe(0);
    expect(ok.stdout()).toMatch(/stories260K\.gguf\s+50\.0%/);

    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.models).toHaveLength(1);
    const m = report.models[0];
    for (const k of ['id', 'passRate', 'passRateCI95', 'ttftMsP50', 'ttftMsP95', 'latencyMsP50', 'latencyMsP95', 'decodeTokensPerSecond', 'inputTokens', 'outputTokens', 'costUsd', 'costPerSuccessUsd']) {
      expect(m).toHaveProperty(k);
    }
    expect(m).toMatchObject({ id: STORIES_REF, passRate: 0.5 });
    expect(m.passRateCI95[0]).toBeCloseTo(0.0945, 3);
    expect(m.outputTokens).toBeGreaterThan(0);
    const byCase = Object.fromEntries(report.cells.map((c: { caseId: string }) => [c.caseId, c]));
    expect(byCase.story).toMatchObject({ modelId: STORIES_REF, repeat: 0, pass: true });
    expect(byCase.story.output.toLowerCase()).toContain('one day');
    expect(byCase.json).toMatchObject({ pass: false, score: 0 });
    expect(byCase.json.assertions).toEqual([expect.objectContaining({ type: 'is-json', pass: false })]);
    expect(byCase.json.metrics).toMatchObject({ provider: 'local', stopReason: expect.stringMatching(/eos|max-tokens/) });
    expect(report.runCard.models[0]).toMatchObject({ sha256: '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d', threads: 1 });
    expect(report.runCard.models[0].params).toMatchObject({ temperature: 0, seed: 1, maxTokens: 24, threads: 1 });

    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/<script|<link/i);

    // Same suite, same data dir: --fail-under 0.9 fails; a baseline that is its own output passes.
    const strict = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--fail-under', '0.9'], strict)).toBe(1);
    expect(strict.stderr()).toMatch(/under --fail-under 90\.0%/);
    const same = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--baseline', json], same)).toBe(0);

    // A baseline in which the json case passed: now it fails → regression → 1.
    const better = { ...report, cells: report.cells.map((c: { caseId: string }) => (c.caseId === 'json' ? { ...c, pass: true } : c)) };
    const baseline = join(dir.path, 'baseline.json');
    writeFileSync(baseline, JSON.stringify(better));
    const reg = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--baseline', baseline], reg)).toBe(1);
    expect(reg.stderr()).toMatch(/regression: json on /);

    // The suite file changes the json case's assertion (v2): that case is left out with a warning,
    // so its baseline "pass" is no regression; the unchanged story case is still compared.
    const edited = join(dir.path, 'edited.yaml');
    writeFileSync(edited, readFileSync(suite, 'utf8').replace('- type: is-json', '- type: not-is-json'));
    const changed = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', edited, '--baseline', baseline], changed)).toBe(0);
    expect(changed.stderr()).toMatch(/warning: --baseline: The baseline ran suite v1, this run v2\. Left out: 1 changed case\(s\)/);
    expect(changed.stderr()).not.toMatch(/regression/);
    // A report from before case fingerprints: compared as before, with a warning that it cannot tell.
    const old = join(dir.path, 'old.json');
    writeFileSync(old, JSON.stringify({ cells: report.cells }));
    const legacy = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--baseline', old], legacy)).toBe(0);
    expect(legacy.stderr()).toMatch(/does not record its case definitions/);
  });

  it('--models overrides the suite providers and keeps the suite parameters', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'plain.yaml');
    // The suite names a model that does not exist; --models replaces it.
    writeFileSync(path, readFileSync(join(FIXTURES, 'stories.yaml'), 'utf8'));
    const json = join(dir.path, 'o.json');
    const run = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', path, '--models', STORIES_REF, '--json', json], run)).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.models.map((m: { id: string }) => m.id)).toEqual([STORIES_REF]);
    expect(report.runCard.models[0].params).toMatchObject({ maxTokens: 24, temperature: 0 });
    expect(report.models[0].passRate).toBe(0.5);
  });

  it('--max-tokens, --temperature, --seed and --threads apply to every model; unset, evals get 512 tokens at temperature 0', async () => {
    using dir = tempDir();
    // No description and no parameters: the suite is named after the file, and every parameter comes from the flags or the defaults.
    const path = join(dir.path, 'bare-suite.yaml');
    writeFileSync(path, "prompts: ['Once upon a time, {{who}}']\ntests:\n  - vars: { who: a cat }\n");
    const tiny = `local:${TINY_RANDOM_MODEL}`;
    const json = join(dir.path, 'flags.json');
    const flagged = cliIo();
    const args = ['--data-dir', dir.path, 'eval', path, '--models', `${STORIES_REF},${tiny}`, '--max-tokens', '6', '--temperature', '0.5', '--seed', '7', '--threads', '1', '--json', json];
    expect(await runCli(args, flagged)).toBe(0);
    expect(flagged.stderr()).toContain('Stored new suite "bare-suite" v1 (1 case)');
    expect(flagged.stdout()).not.toContain('Stored');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.runCard.suiteName).toBe('bare-suite');
    expect(report.runCard.models.map((m: { id: string }) => m.id)).toEqual([STORIES_REF, tiny]);
    for (const m of report.runCard.models) expect(m.params).toMatchObject({ maxTokens: 6, temperature: 0.5, seed: 7, threads: 1 });
    for (const c of report.cells) {
      expect(c.metrics.completionTokens).toBeLessThanOrEqual(6);
      expect(c.metrics.threads).toBe(1);
    }

    const plainJson = join(dir.path, 'plain.json');
    const plain = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', path, '--models', STORIES_REF, '--threads', '1', '--json', plainJson], plain)).toBe(0);
    expect(plain.stderr()).toContain('Using stored suite "bare-suite" v1 (1 case): unchanged.');
    const defaults = JSON.parse(readFileSync(plainJson, 'utf8'));
    expect(defaults.runCard.models[0].params).toMatchObject({ maxTokens: 512, temperature: 0 });
    expect(defaults.cells[0].metrics.sampling).toMatchObject({ maxTokens: 512, temperature: 0 });

    const bad = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', path, '--temperature', '3'], bad)).toBe(2);
    expect(bad.stderr()).toMatch(/temperature/);
  });

  it('names a stored suite after its description', async () => {
    using dir = tempDir();
    const run = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', storiesSuite(dir.path)], run)).toBe(0);
    expect(run.stderr()).toContain('Stored new suite "stories260K known outcome" v1 (2 cases)');
  });

  it('exits 2 for a bad suite file or bad arguments', async () => {
    using dir = tempDir();
    const cases: Array<[string[], RegExp]> = [
      [['eval', join(dir.path, 'missing.yaml')], /no such file/],
      [['eval', join(FIXTURES, 'cases.txt')], /\.yaml, \.yml, \.csv or \.jsonl/],
      [['eval', join(FIXTURES, 'bad-assert-type.yaml')], /line 13.*tests\[1\]\.assert\[0\]\.type/],
      [['eval', join(FIXTURES, 'bad-fields.csv')], /line 3/],
      [['eval', join(FIXTURES, 'bad-field.jsonl')], /line 2/],
      [['eval', join(FIXTURES, 'cases.csv'), '--repeat', '0'], /repeat/],
      [['eval', join(FIXTURES, 'cases.csv'), '--fail-under', '2'], /fail-under/],
      [['eval', join(FIXTURES, 'cases.csv'), '--models', 'gpt4'], /provider:model/],
      [['eval', join(FIXTURES, 'cases.jsonl'), '--models', 'local:/nonexistent/model.gguf'], /nonexistent/],
      [['eval', join(FIXTURES, 'cases.csv'), '--baseline', join(FIXTURES, 'cases.jsonl')], /baseline|JSON/i],
    ];
    for (const [args, message] of cases) {
      const c = cliIo();
      const code = await runCli(['--data-dir', dir.path, ...args], c);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(c.stderr()).toMatch(message);
    }
  });
});
