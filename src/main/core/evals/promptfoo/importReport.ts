import { AppError } from '../../../../shared/errors';
import { formatPath } from '../formats/suiteErrors';

export type ConfigPath = ReadonlyArray<PropertyKey>;

export interface ImportProblem {
  line: number | null;
  field: string | null;
  /** The external file the problem is in, when it is not the config itself. */
  file: string | null;
  message: string;
}

function where(p: Pick<ImportProblem, 'line' | 'field' | 'file'>): string {
  return [p.file, p.line !== null ? `line ${p.line}` : null, p.field ? `field "${p.field}"` : null].filter(Boolean).join(', ');
}

/**
 * Collects every problem of a config (so one run of the import lists them all) and every piece
 * the import does not honour (listed as warnings before a run, never dropped silently).
 */
export class ImportReport {
  readonly problems: ImportProblem[] = [];
  readonly warnings: string[] = [];
  readonly #lineOf: (path: ConfigPath) => number | null;

  constructor(lineOf: (path: ConfigPath) => number | null) {
    this.#lineOf = lineOf;
  }

  problem(path: ConfigPath | null, message: string, file: string | null = null): void {
    this.problems.push({ line: path && !file ? this.#lineOf(path) : null, field: path && path.length ? formatPath(path) : null, file, message });
  }

  /** A problem at a known line (CSV rows, JSONL lines), when there is no config path to look up. */
  problemAt(line: number | null, field: string | null, message: string): void {
    this.problems.push({ line, field, file: null, message });
  }

  /** A warning at a place in the config: "line 12, field "providers[0].config.tools": ignored". */
  warn(path: ConfigPath | null, message: string): void {
    const at = path ? where({ line: this.#lineOf(path), field: path.length ? formatPath(path) : null, file: null }) : '';
    const text = at ? `${at}: ${message}` : message;
    if (!this.warnings.includes(text)) this.warnings.push(text);
  }

  /** Throws one SUITE_INVALID listing every problem; the first one's line and field are in the details. */
  throwIfProblems(format: string): void {
    if (this.problems.length === 0) return;
    const first = this.problems[0]!;
    const lines = this.problems.map((p) => (where(p) ? `${where(p)}: ${p.message}` : p.message));
    const message =
      this.problems.length === 1
        ? `Invalid ${format} suite${where(first) ? ` at ${where(first)}` : ''}: ${first.message}`
        : `Invalid ${format} suite (${this.problems.length} problems):\n${lines.map((l) => `  - ${l}`).join('\n')}`;
    throw new AppError('SUITE_INVALID', message, { format, line: first.line, field: first.field, file: first.file, problems: this.problems });
  }
}
