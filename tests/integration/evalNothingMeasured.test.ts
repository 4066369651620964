import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import { cliIo, useFakeOpenAi } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const SUITE = `description: nothing measured
prompts: ['{{q}}']
providers: [openai:gpt-4o-mini]
tests:
  - vars: { q: Say hello }
    assert: [{ type: icontains, value: hello }]
  - vars: { q: Say bye }
    assert: [{ type: icontains, value: bye }]
`;

describe('parity eval: a model with no finished cell was not measured, it did not score 0%', () => {
  // A key the fake refuses: every cell errors before any answer.
  useFakeOpenAi({}, 'sk-wrong-key-0000');

  it('prints "-" and "nothing measured" instead of 0.0%, and --fail-under fails it as not measured', async () => {
    using dir = tempDir();
    const suite = join(dir.path, 'suite.yaml');
    const json = join(dir.path, 'out.json');
    writeFileSync(suite, SUITE);
    const io = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--models', 'openai:gpt-4o-mini', '--fail-under', '0', '--json', json], io)).toBe(1);
    expect(io.stdout()).toMatch(/openai:gpt-4o-mini\s+-\s+nothing measured\s+0\/2 cells/);
    expect(io.stdout()).not.toContain('0.0%');
    // Even a bar of 0 is not met by a model that was never measured.
    expect(io.stderr()).toContain('openai:gpt-4o-mini: nothing measured (no cell finished), so --fail-under 0.0% is not met');
    const report = JSON.parse(readFileSync(json, 'utf8')) as { models: Array<{ id: string; passRate: number | null; errors: number }> };
    expect(report.models[0]).toMatchObject({ id: 'openai:gpt-4o-mini', passRate: null, errors: 2 });
  });
});
