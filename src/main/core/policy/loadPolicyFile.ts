import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DataPolicySchema, describePolicyIssues, type DataPolicy } from '../../../shared/domain/dataPolicy';
import { AppError } from '../../../shared/errors';

/** Validates a policy given as data (a parsed file, or what Settings sends); `source` names it in the error. */
export function parsePolicy(data: unknown, source: string): DataPolicy {
  const parsed = DataPolicySchema.safeParse(data ?? {});
  if (!parsed.success) {
    throw new AppError('POLICY_INVALID', `${source} is invalid: ${describePolicyIssues(parsed.error)}`, {
      source,
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

/** Parses policy YAML (or JSON, which is YAML); a syntax error names its line. */
export function parsePolicyYaml(text: string, source: string): DataPolicy {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new AppError('POLICY_INVALID', `${source} is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { source });
  }
  return parsePolicy(data, source);
}

/** `--policy <file.yaml>` / PARITY_POLICY_FILE. A policy that cannot be read stops start-up: running without it would send what it forbids. */
export function loadPolicyFile(path: string): DataPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new AppError('POLICY_INVALID', `Cannot read the data policy file ${path}: ${reason}.`, { source: path });
  }
  return parsePolicyYaml(text, `The data policy file ${path}`);
}
