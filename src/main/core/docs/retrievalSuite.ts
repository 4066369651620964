import { parse as parseYaml } from 'yaml';
import type { ExpectedSource } from '../../../shared/contract/docs';
import { AppError } from '../../../shared/errors';
import { parseExpectedSource } from './retrievalEval';

export interface RetrievalSuite {
  description: string | null;
  collection: string | null;
  cases: Array<{ id: string; query: string; expectedSources: ExpectedSource[] }>;
}

function invalid(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('SUITE_INVALID', message, details);
}

/**
 * The retrieval part of a promptfoo-style suite: a top-level `collection`, and per test
 * `vars.expected_sources` (file names, optionally `#page=N` or `{ file, page }`) with the question in
 * `vars.query`, `vars.question`, or else the test's only string var. Tests without expected
 * sources are skipped: they measure answers, not retrieval.
 */
export function parseRetrievalSuite(text: string, file: string): RetrievalSuite {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw invalid(`${file} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  if (!doc || typeof doc !== 'object') throw invalid(`${file} is not a suite (expected a mapping with tests).`, { file });
  const suite = doc as { description?: unknown; collection?: unknown; tests?: unknown; defaultTest?: { vars?: Record<string, unknown> } };
  if (!Array.isArray(suite.tests)) throw invalid(`${file} has no tests list.`, { file });
  const defaults = suite.defaultTest?.vars ?? {};
  const cases: RetrievalSuite['cases'] = [];
  suite.tests.forEach((test: unknown, i: number) => {
    const t = (test ?? {}) as { description?: unknown; vars?: Record<string, unknown> };
    const vars = { ...defaults, ...(t.vars ?? {}) };
    const raw = vars.expected_sources;
    if (raw === undefined) return;
    const list = Array.isArray(raw) ? raw : [raw];
    const expectedSources = list.map((entry, j) => {
      const parsed = parseExpectedSource(entry);
      if (!parsed) throw invalid(`${file}: tests[${i}].vars.expected_sources[${j}] must be a file name ("handbook.pdf" or "handbook.pdf#page=2") or { file, page }.`, { file, test: i });
      return parsed;
    });
    const strings = Object.entries(vars).filter(([k, v]) => k !== 'expected_sources' && typeof v === 'string');
    const query = typeof vars.query === 'string' ? vars.query : typeof vars.question === 'string' ? vars.question : strings.length === 1 ? (strings[0]![1] as string) : null;
    if (!query) throw invalid(`${file}: tests[${i}] needs the question in vars.query or vars.question.`, { file, test: i });
    cases.push({ id: typeof t.description === 'string' ? t.description : `test ${i + 1}`, query, expectedSources });
  });
  if (cases.length === 0) throw invalid(`${file} has no test with vars.expected_sources, so there is no retrieval to measure.`, { file });
  return {
    description: typeof suite.description === 'string' ? suite.description : null,
    collection: typeof suite.collection === 'string' ? suite.collection : null,
    cases,
  };
}
