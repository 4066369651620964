import type { SuiteFormat, SuiteSpec } from '../../../../shared/domain/evals';
import { parseCsvSuite, toCsvSuite } from './csvSuite';
import { parseJsonlSuite, toJsonlSuite } from './jsonlSuite';
import { parsePromptfooYaml, toPromptfooYaml } from './promptfooYaml';

/**
 * Throws AppError('SUITE_INVALID') naming the line and field of each problem. `baseDir` is the
 * folder `file://` references of a promptfoo config resolve in; without it they are problems.
 */
export function parseSuite(format: SuiteFormat, content: string, name?: string, baseDir: string | null = null): SuiteSpec {
  if (format === 'yaml') return parsePromptfooYaml(content, name, baseDir);
  if (format === 'csv') return parseCsvSuite(content, name);
  return parseJsonlSuite(content, name);
}

export function serializeSuite(format: SuiteFormat, spec: SuiteSpec): string {
  if (format === 'yaml') return toPromptfooYaml(spec);
  if (format === 'csv') return toCsvSuite(spec);
  return toJsonlSuite(spec);
}

/** `.yaml`/`.yml` (and a promptfoo config in `.json`, which YAML reads) → yaml, `.csv` → csv, `.jsonl`/`.ndjson` → jsonl; null for anything else. */
export function formatFromFileName(path: string): SuiteFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml') || lower.endsWith('.json')) return 'yaml';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return null;
}
