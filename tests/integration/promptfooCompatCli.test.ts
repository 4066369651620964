import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { runCli } from '../../src/main/cli/program';
import { cliIo } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'promptfoo');

describe('parity eval on promptfoo configs', () => {
  it('runs file prompts × CSV tests × the same provider under two labels, with the prompts promptfoo renders', async () => {
    using dir = tempDir();
    const json = join(dir.path, 'out.json');
    const run = cliIo();
    const code = await runCli(['--data-dir', dir.path, 'eval', join(FIXTURES, 'echo', 'promptfooconfig.yaml'), '--json', json], run);
    const err = run.stderr();
    expect({ code, err }).toMatchObject({ code: 0 });
    // Warnings come before the run starts.
    expect(err.indexOf('warning: ignored: evaluateOptions')).toBeGreaterThanOrEqual(0);
    expect(err.indexOf('warning: ignored: evaluateOptions')).toBeLessThan(err.indexOf('Running 8 cells'));
    const report = JSON.parse(readFileSync(json, 'utf8'));
    // 2 CSV rows × 2 prompts from one file (--- separator) × 2 labelled providers.
    expect(report.cells).toHaveLength(8);
    expect(report.models.map((m: { id: string }) => m.id)).toEqual(['echo:echo#first', 'echo:echo#second']);
    const outputs = Object.fromEntries(
      report.cells.filter((c: { modelId: string }) => c.modelId === 'echo:echo#first').map((c: { caseId: string; output: string }) => [c.caseId, c.output]),
    );
    expect(outputs).toEqual({
      'test-1#1': 'Question for Ada Lovelace: What is an Engine?',
      'test-1#2': 'ADA LOVELACE, what is an engine?',
      'test-2#1': 'Question for Alan Turing: Can machines think?',
      'test-2#2': 'ALAN TURING, can machines think?',
    });
    expect(report.runCard.models[1].params).toMatchObject({ temperature: 0.5 });
    // The transform lowers the output before `contains: machines think`; select-best and the
    // rubric without a grader are skipped, not failed, and said once each.
    expect(report.cells.every((c: { pass: boolean }) => c.pass)).toBe(true);
    const skipped = report.cells[0].assertions.filter((a: { skipped?: string }) => a.skipped).map((a: { type: string }) => a.type);
    expect(skipped).toEqual(['select-best', 'llm-rubric']);
    expect(err).toMatch(/skipped in 8 cells \(not counted for or against\): llm-rubric: needs a grader model/);
    expect(err).toMatch(/skipped in 8 cells \(not counted for or against\): select-best: needs a grader model/);
    // Once per kind, not once per cell.
    expect(err.match(/needs a grader model/g)).toHaveLength(2);
    // derivedMetrics: a formula over the summed named scores, per model.
    expect(run.stdout()).toMatch(/echo:echo#first: punctuated_share = 1\b/);
  });

  it('a rubric naming no grader uses the grader chosen in Settings when the run names none', async () => {
    using dir = tempDir();
    {
      await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
      app.settings.set({ key: 'evalGraderModel', value: 'echo:echo' });
    }
    const json = join(dir.path, 'out.json');
    const run = cliIo();
    await runCli(['--data-dir', dir.path, 'eval', join(FIXTURES, 'echo', 'promptfooconfig.yaml'), '--json', json], run);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const rubric = report.cells[0].assertions.find((a: { type: string }) => a.type === 'llm-rubric');
    expect(rubric.skipped).toBeUndefined();
    // select-best compares the 4 outputs of each CSV row (2 prompts × 2 labels): one chosen per row.
    const best = report.cells.map((c: { assertions: Array<{ type: string; pass: boolean; skipped?: string }> }) => c.assertions.find((a) => a.type === 'select-best')!);
    expect(best.filter((a: { skipped?: string }) => a.skipped !== undefined)).toEqual([]);
    expect(best.filter((a: { pass: boolean }) => a.pass)).toHaveLength(2);
    expect(run.stderr()).not.toMatch(/needs a grader model/);
  });

  it('lists every problem of a broken config at once, exits 2, and prints no usage text', async () => {
    using dir = tempDir();
    const run = cliIo();
    const code = await runCli(['--data-dir', dir.path, 'eval', join(FIXTURES, 'broken', 'promptfooconfig.yaml')], run);
    const err = run.stderr();
    expect(code).toBe(2);
    expect(err).toMatch(/4 problems/);
    expect(err).toMatch(/line 3, field "prompts\[0\]": file:\/\/missing-prompt\.txt: no such file/);
    expect(err).toMatch(/line 13, field "tests\[1\]\.threshold"/);
    expect(err).not.toMatch(/Usage:/);
  });
});

describe('promptfoo provider ids on OpenAI-compatible presets', () => {
  it('a preset endpoint works by its name without setup: local servers always (OLLAMA_BASE_URL), cloud ones only with their key', async () => {
    using dir = tempDir();
    {
      await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false, remote: { env: { OLLAMA_BASE_URL: 'http://127.0.0.1:9', GROQ_API_KEY: 'gsk_test' } } });
      const compat = app.providers.get('compat')!;
      expect(compat.destination('ollama/llama3')).toBe('127.0.0.1:9');
      expect(compat.destination('groq/llama-3.1-8b-instant')).toBe('api.groq.com');
      // No OPENROUTER_API_KEY: the prompt must not go to a service the user has not set up.
      expect(() => compat.destination('openrouter/some/model')).toThrow(/No OpenAI-compatible endpoint named "openrouter"/);
    }
    await using bare = createApp({ dataDir: dir.path, mode: 'cli', gpu: false, remote: { env: {} } });
    expect(bare.providers.get('compat')!.destination('ollama/llama3')).toBe('localhost:11434');
    expect(() => bare.providers.get('compat')!.destination('groq/x')).toThrow(/No OpenAI-compatible endpoint named "groq"/);
  });
});
