import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { SuiteSpecSchema, type AssertionSpec, type DefaultTestSpecSchema, type EvalCaseSpec, type SuiteSpec } from '../../../../shared/domain/evals';
import { isAppError } from '../../../../shared/errors';
import type { z } from 'zod';
import { suiteInvalid } from '../formats/suiteErrors';
import { planCases } from '../SuitePlan';
import { FileResolver, isFileRef } from './fileRefs';
import { ImportReport, type ConfigPath } from './importReport';
import { convertPrompts } from './promptfooPrompts';
import { attachTools, convertProviders } from './promptfooProviders';
import { codeFrom, collectTests, convertTest, expandVars, MAX_CASES, readData, type Ctx, type Origin, type RawTest } from './promptfooTests';

export interface PromptfooImportOptions {
  /** Suite name; default: the config's description, else "Imported suite". */
  name?: string;
  /** The config file's folder: `file://` references resolve inside it. Null: references are problems. */
  baseDir?: string | null;
}

export interface PromptfooImport {
  spec: SuiteSpec;
  /** Everything the import did not honour, one line each, to show before a run. */
  warnings: string[];
}

/**
 * Aliases are expanded by `toJS`, so a few lines of `&a [*b, *b, ...]` can expand to billions of
 * nodes ("billion laughs"); the yaml package stops at `maxAliasCount`.
 */
export const YAML_MAX_ALIAS_COUNT = 100;

/** Top-level keys Parity reads; any other key is listed as ignored. */
const HONOURED = new Set(['description', 'prompts', 'providers', 'targets', 'tests', 'defaultTest', 'scenarios', 'nunjucksFilters', 'filters', 'env', 'derivedMetrics', 'collection']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lineFinder(doc: Document, counter: LineCounter): (path: ConfigPath) => number | null {
  return (path) => {
    // The deepest node that exists on the path: a missing field is reported at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as (string | number)[], true);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return null;
  };
}

function toPlain(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw suiteInvalid(
        'YAML',
        null,
        null,
        `the file expands its aliases (*name) more than ${YAML_MAX_ALIAS_COUNT} times, which is refused as a resource exhaustion attack (alias limit ${YAML_MAX_ALIAS_COUNT}). Write the repeated values out instead of nesting aliases.`,
      );
    }
    throw error;
  }
}

type DefaultTest = z.input<typeof DefaultTestSpecSchema>;

/** defaultTest; vars that expand into several cases (lists, globs) are returned to be merged into every test. */
function convertDefaultTest(value: unknown, ctx: Ctx): { defaults: DefaultTest | undefined; matrixVars: Record<string, unknown> } {
  let raw = value;
  if (isFileRef(raw)) {
    const [file] = ctx.files.resolve(raw, ['defaultTest']);
    raw = file ? readData(ctx, file, ['defaultTest']) : undefined;
  }
  if (raw === undefined || raw === null) return { defaults: undefined, matrixVars: {} };
  if (!isObject(raw)) {
    ctx.report.problem(['defaultTest'], 'defaultTest must be a mapping (vars, assert, options...)');
    return { defaults: undefined, matrixVars: {} };
  }
  const origin: Origin = { path: ['defaultTest'], file: null };
  const [single] = convertTest({ test: { ...raw, vars: undefined }, origin }, ctx);
  const combos = expandVars(raw.vars, { path: ['defaultTest'], file: null }, ctx);
  const matrix = combos.length > 1;
  const defaults: DefaultTest = {
    vars: matrix ? {} : ((combos[0] ?? {}) as DefaultTest['vars']),
    assert: single?.assert ?? [],
    ...(single?.threshold !== undefined ? { threshold: single.threshold } : {}),
    ...(single?.options ? { options: single.options } : {}),
    ...(single?.transform ? { transform: single.transform } : {}),
  };
  return { defaults, matrixVars: matrix && isObject(raw.vars) ? raw.vars : {} };
}

/** scenarios: every `config` entry × every test, vars merged (test wins), assertions concatenated. */
function scenarioTests(value: unknown, ctx: Ctx): RawTest[] {
  if (value === undefined || value === null) return [];
  let list = value;
  if (isFileRef(list)) {
    const files = ctx.files.resolve(list, ['scenarios']);
    list = files.flatMap((f) => {
      const d = readData(ctx, f, ['scenarios']);
      return Array.isArray(d) ? d : [d];
    });
  }
  if (!Array.isArray(list)) {
    ctx.report.problem(['scenarios'], 'scenarios must be a list of {config, tests}');
    return [];
  }
  const out: RawTest[] = [];
  list.forEach((scenario: unknown, i) => {
    const at: ConfigPath = ['scenarios', i];
    if (!isObject(scenario) || !Array.isArray(scenario.config)) {
      ctx.report.problem(at, 'a scenario needs `config` (a list of vars sets) and `tests`');
      return;
    }
    const tests = collectTests(scenario.tests, [...at, 'tests'], ctx);
    scenario.config.forEach((c: unknown, j) => {
      const conf = isObject(c) ? c : {};
      for (const t of tests) {
        const test = isObject(t.test) ? t.test : {};
        const description = [scenario.description, conf.description, test.description].filter((d) => typeof d === 'string').join(': ') || undefined;
        out.push({
          test: {
            ...test,
            description,
            vars: { ...(isObject(conf.vars) ? conf.vars : {}), ...(isObject(test.vars) ? test.vars : {}) },
            assert: [...(Array.isArray(conf.assert) ? conf.assert : []), ...(Array.isArray(test.assert) ? test.assert : [])],
          },
          origin: t.origin.file ? t.origin : { path: [...at, 'config', j], file: null },
        });
      }
    });
  });
  return out;
}

/**
 * Reads a promptfoo config as promptfoo runs it: `file://` prompts, tests, vars and code resolved
 * in `baseDir`, tests expanded (scenarios, list vars, globs), ids mapped. Every problem is
 * reported at once (SUITE_INVALID listing them); what is not honoured comes back as warnings.
 */
export function loadPromptfooConfig(content: string, options: PromptfooImportOptions = {}): PromptfooImport {
  const counter = new LineCounter();
  const doc = parseDocument(content, { lineCounter: counter, uniqueKeys: true });
  const report = new ImportReport(lineFinder(doc, counter));
  for (const e of doc.errors) report.problems.push({ line: e.linePos?.[0]?.line ?? null, field: null, file: null, message: e.message.split('\n')[0] ?? 'syntax error' });
  report.throwIfProblems('YAML');
  const config = toPlain(doc) ?? {};
  const ctx: Ctx = { report, files: new FileResolver(options.baseDir ?? null, report) };
  if (!isObject(config)) {
    report.problem([], 'the file must be a mapping with prompts, providers and tests');
    report.throwIfProblems('YAML');
    return undefined as never;
  }
  const ignored = Object.keys(config).filter((k) => !HONOURED.has(k));
  if (ignored.length) report.warn(null, `ignored: ${ignored.join(', ')}`);
  if (config.description !== undefined && typeof config.description !== 'string') report.problem(['description'], 'description must be text');
  const prompts = convertPrompts(config.prompts, ctx);
  const providerKey = config.providers === undefined && config.targets !== undefined ? 'targets' : 'providers';
  const found = convertProviders(config[providerKey], providerKey, ctx);
  const { defaults, matrixVars } = convertDefaultTest(config.defaultTest, ctx);
  if (config.tests === undefined && config.scenarios === undefined) report.problem([], 'a suite needs `tests` (a list, or a file:// reference to CSV, JSONL or YAML tests)');
  const raw = [...collectTests(config.tests, ['tests'], ctx), ...scenarioTests(config.scenarios, ctx)];
  const cases: EvalCaseSpec[] = [];
  const origins: Origin[] = [];
  raw.forEach((t, i) => {
    const converted = convertTest(t, ctx, matrixVars);
    converted.forEach((c, j) => {
      const base = converted.metaId ?? `test-${i + 1}`;
      cases.push({ ...c, id: converted.length > 1 ? `${base}.${j + 1}` : base } as EvalCaseSpec);
      origins.push(t.origin);
    });
  });
  if (cases.length > MAX_CASES) report.problem(['tests'], `the tests expand to ${cases.length} cases; a suite may have at most ${MAX_CASES}`);
  // `filters` is the older name of nunjucksFilters, still in promptfoo's examples.
  const nunjucksFilters = readFilters(config.nunjucksFilters ?? config.filters, config.nunjucksFilters !== undefined ? 'nunjucksFilters' : 'filters', ctx);
  const derivedMetrics = readDerivedMetrics(config.derivedMetrics, ctx);
  const env = isObject(config.env) ? Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, String(v)])) : undefined;
  if (config.env !== undefined && !env) report.problem(['env'], 'env must be a mapping of names to values');
  for (const c of cases) attachTools(c.assert, found, report);
  if (defaults) attachTools(defaults.assert as AssertionSpec[], found, report);
  const spec = {
    name: options.name ?? (typeof config.description === 'string' && config.description.trim() ? config.description : 'Imported suite'),
    description: typeof config.description === 'string' ? config.description : undefined,
    prompts,
    providers: found.providers,
    defaultTest: defaults,
    ...(nunjucksFilters ? { nunjucksFilters } : {}),
    ...(env ? { env } : {}),
    ...(derivedMetrics.length ? { derivedMetrics } : {}),
    cases,
  };
  report.throwIfProblems('YAML');
  const checked = SuiteSpecSchema.safeParse(spec);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const [head, index, ...rest] = issue.path;
      const origin = head === 'cases' && typeof index === 'number' ? origins[index] : undefined;
      if (origin) report.problem([...origin.path, ...rest], issue.message, origin.file);
      else report.problem(issue.path, issue.message);
    }
    report.throwIfProblems('YAML');
  }
  const result = checked.data!;
  // Every prompt is rendered for every case now, so a template error is found at import, per prompt.
  // Prompts map one-to-one onto the config's list unless a file gave several.
  const oneToOne = Array.isArray(config.prompts) && config.prompts.length === result.prompts.length;
  const failing = (() => {
    try {
      planCases(result, { strict: true });
      return [];
    } catch {
      // Only then each prompt on its own, to say which ones fail.
      return result.prompts.map((prompt, i) => [prompt, i] as const);
    }
  })();
  failing.forEach(([prompt, i]) => {
    try {
      planCases({ ...result, prompts: [prompt] }, { strict: true });
    } catch (error) {
      const message = isAppError(error) ? error.message : String(error);
      report.problem(oneToOne ? ['prompts', i] : ['prompts'], prompt.source ? `${prompt.label ?? prompt.source}: ${message}` : message);
    }
  });
  report.throwIfProblems('YAML');
  result.imported = { references: ctx.files.references, warnings: report.warnings };
  return { spec: result, warnings: report.warnings };
}

/** derivedMetrics given as formulas are kept; a JavaScript function is code and is listed as ignored. */
function readDerivedMetrics(value: unknown, ctx: Ctx): Array<{ name: string; value: string }> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    ctx.report.problem(['derivedMetrics'], 'derivedMetrics must be a list of {name, value}');
    return [];
  }
  const out: Array<{ name: string; value: string }> = [];
  value.forEach((m: unknown, i) => {
    const at: ConfigPath = ['derivedMetrics', i];
    if (!isObject(m) || typeof m.name !== 'string' || !m.name) ctx.report.problem(at, 'a derived metric needs a `name` and a `value` formula');
    else if (typeof m.value !== 'string' || isFileRef(m.value) || /=>|function\s*\(/.test(m.value)) ctx.report.warn(at, `ignored: derived metric "${m.name}" (a JavaScript function is code; give a formula such as "2 * precision * recall / (precision + recall)")`);
    else out.push({ name: m.name, value: m.value });
  });
  return out;
}

function readFilters(value: unknown, key: string, ctx: Ctx): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    ctx.report.problem([key], `${key} must map filter names to files (allcaps: ./allcaps.js)`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(value)) {
    // promptfoo's docs give filter files as bare paths (./allcaps.js).
    const fileRef = typeof ref === 'string' && !ref.startsWith('file://') ? `file://${ref.replace(/^\.\//, '')}` : ref;
    // Run in the sandbox before each run renders its prompts (see templates/filterCalls).
    const code = codeFrom(fileRef, [key, name], ctx, 'filter', 'filter');
    if (code === undefined) continue;
    out[name] = code;
  }
  return out;
}
