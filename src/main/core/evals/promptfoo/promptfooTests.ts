import { parse as parseYaml } from 'yaml';
import { AssertionTypeSchema, splitAssertionType, type AssertionSpec, type EvalCaseSpec } from '../../../../shared/domain/evals';
import { isLocal } from '../../../../shared/domain/modelRef';
import { levenshtein } from '../assertions/textMetrics';
import { isAppError } from '../../../../shared/errors';
import { parseCsvSuite } from '../formats/csvSuite';
import { isFileRef, splitFunctionName, type FileResolver, type ResolvedFile } from './fileRefs';
import type { ConfigPath, ImportReport } from './importReport';
import { moduleCallCode } from './moduleCode';
import { mapProviderId } from './providerIds';

/** Where a raw promptfoo object sits: a path in the config, or an external file (paths then mean nothing). */
export interface Origin {
  path: ConfigPath;
  /** Set for objects read from a `file://` tests file; problems then name the file. */
  file: string | null;
}

export interface Ctx {
  report: ImportReport;
  files: FileResolver;
}

/** A promptfoo test object, not yet converted, with where it came from. */
export interface RawTest {
  test: unknown;
  origin: Origin;
}

/** More cases than this from one file is a mistake (a matrix of lists), not a suite. */
export const MAX_CASES = 20_000;

const TEXT_EXTS = new Set(['yaml', 'yml', 'json']);
const CODE_EXTS = new Set(['js', 'cjs', 'mjs', 'ts', 'py']);
const IMAGE_EXTS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp']);

function at(origin: Origin, ...rest: PropertyKey[]): ConfigPath {
  return [...origin.path, ...rest];
}

function problem(ctx: Ctx, origin: Origin, path: ConfigPath, message: string): void {
  ctx.report.problem(path, message, origin.file);
}

function warn(ctx: Ctx, origin: Origin, path: ConfigPath, message: string): void {
  if (origin.file) ctx.report.warn(null, `${origin.file}: ${message}`);
  else ctx.report.warn(path, message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A structured file (YAML or JSON) as data; problems name the file. */
export function readData(ctx: Ctx, file: ResolvedFile, path: ConfigPath): unknown {
  try {
    return parseYaml(ctx.files.read(file), { maxAliasCount: 100 });
  } catch (error) {
    ctx.report.problem(path, `${file.rel} is not valid YAML/JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return undefined;
  }
}

/** `tests:` in any of its shapes → raw test objects, reading `file://` CSV, JSONL, YAML and JSON (globs too). */
export function collectTests(value: unknown, path: ConfigPath, ctx: Ctx): RawTest[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    if (!isFileRef(value)) {
      ctx.report.problem(path, `tests: "${value}" is neither a list of tests nor a file:// reference (URLs and Google Sheets are not read)`);
      return [];
    }
    return ctx.files.resolve(value, path).flatMap((file) => testsFromFile(file, path, ctx));
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => (typeof item === 'string' ? collectTests(item, [...path, i], ctx) : [{ test: item, origin: { path: [...path, i], file: null } }]));
  if (isObject(value)) return [{ test: value, origin: { path, file: null } }];
  ctx.report.problem(path, 'tests must be a list of tests or a file:// reference');
  return [];
}

function testsFromFile(file: ResolvedFile, path: ConfigPath, ctx: Ctx): RawTest[] {
  const origin = (line: number | null): Origin => ({ path: [], file: line === null ? file.rel : `${file.rel} line ${line}` });
  if (file.ext === 'csv') {
    try {
      // promptfoo's CSV columns (vars, __expected, __description...) are exactly what the CSV suite reads.
      const spec = parseCsvSuite(ctx.files.read(file), file.rel);
      for (const w of spec.imported?.warnings ?? []) ctx.report.warn(null, `${file.rel}: ${w}`);
      return spec.cases.map((c) => ({ test: { description: c.description, vars: c.vars, assert: c.assert, threshold: c.threshold, ...(/^row-\d+$/.test(c.id) ? {} : { metadata: { id: c.id } }) }, origin: origin(null) }));
    } catch (error) {
      ctx.report.problem(null, isAppError(error) ? error.message : String(error), file.rel);
      return [];
    }
  }
  if (file.ext === 'jsonl') {
    const out: RawTest[] = [];
    ctx.files.read(file).split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push({ test: JSON.parse(line), origin: origin(i + 1) });
      } catch (error) {
        ctx.report.problem(null, `line ${i + 1} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, file.rel);
      }
    });
    return out;
  }
  if (TEXT_EXTS.has(file.ext)) {
    const data = readData(ctx, file, path);
    const list = Array.isArray(data) ? data : data === undefined || data === null ? [] : [data];
    return list.map((test) => ({ test, origin: origin(null) }));
  }
  ctx.report.problem(path, `${file.ref}: tests are read from .csv, .jsonl, .yaml, .yml or .json files${CODE_EXTS.has(file.ext) ? ' (a test generator runs code, which Parity does not do)' : ''}`);
  return [];
}

/** A var's `file://` value as promptfoo inserts it: text trimmed, YAML as JSON, images as base64. */
function loadVarFile(file: ResolvedFile, key: string, origin: Origin, ctx: Ctx): unknown {
  if (CODE_EXTS.has(file.ext)) {
    warn(ctx, origin, at(origin, 'vars', key), `ignored: ${file.ref} (a var computed by code is not run; the reference is inserted as text)`);
    return file.ref;
  }
  if (file.ext === 'yaml' || file.ext === 'yml') return JSON.stringify(readData(ctx, file, at(origin, 'vars', key)) ?? null);
  if (IMAGE_EXTS.has(file.ext)) return ctx.files.readBase64(file);
  if (file.ext === 'pdf') {
    warn(ctx, origin, at(origin, 'vars', key), `ignored: ${file.ref} (PDF text extraction is not supported; the reference is inserted as text)`);
    return file.ref;
  }
  return ctx.files.read(file).trim();
}

/**
 * promptfoo's var matrix: a list of strings, or a `file://` glob, gives one case per value
 * (several such vars multiply); any other list or object is one value. File contents are read.
 */
export function expandVars(vars: unknown, origin: Origin, ctx: Ctx): Record<string, unknown>[] {
  if (vars === undefined || vars === null) return [{}];
  if (typeof vars === 'string' && isFileRef(vars)) {
    const files = ctx.files.resolve(vars, at(origin, 'vars'));
    return files.flatMap((f) => {
      const data = readData(ctx, f, at(origin, 'vars'));
      return Array.isArray(data) ? data.flatMap((d) => expandVars(d, origin, ctx)) : expandVars(data, origin, ctx);
    });
  }
  if (!isObject(vars)) {
    problem(ctx, origin, at(origin, 'vars'), 'vars must be a mapping of names to values');
    return [{}];
  }
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, value] of Object.entries(vars)) {
    let values: unknown[];
    if (isFileRef(value)) {
      values = ctx.files.resolve(value, at(origin, 'vars', key)).map((f) => loadVarFile(f, key, origin, ctx));
      if (values.length === 0) values = [value];
    } else if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
      values = value.flatMap((v: string) => (isFileRef(v) ? ctx.files.resolve(v, at(origin, 'vars', key)).map((f) => loadVarFile(f, key, origin, ctx)) : [v]));
    } else if (value === null || value === undefined) {
      values = [''];
    } else {
      values = [value];
    }
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
    if (combos.length > MAX_CASES) {
      problem(ctx, origin, at(origin, 'vars'), `the lists in vars multiply to more than ${MAX_CASES} cases`);
      return [{}];
    }
  }
  return combos;
}

/** `file://x.js` (or `x.js:fn`) → sandbox code; inline code is kept as written. */
export function codeFrom(value: unknown, path: ConfigPath, ctx: Ctx, what: string, call: 'assertion' | 'filter' = 'assertion'): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    ctx.report.problem(path, `${what} must be JavaScript code or a file:// reference`);
    return undefined;
  }
  if (!isFileRef(value)) return value;
  const { path: filePath, fn } = splitFunctionName(value.slice('file://'.length));
  const [file] = ctx.files.resolve(`file://${filePath}`, path);
  if (!file) return undefined;
  if (file.ext === 'py') {
    ctx.report.warn(path, `ignored: ${value} (Python ${what}s run code on this machine and are not supported)`);
    return undefined;
  }
  return moduleCallCode(ctx.files.read(file), fn, call);
}

/** A grader given as an id, `{id}`, or `{text, embedding}` (the model for text grading, the one for `similar`). */
export function graderRef(value: unknown, path: ConfigPath, ctx: Ctx, forEmbedding = false): string | undefined {
  if (value === undefined || value === null) return undefined;
  let id: unknown = value;
  if (isObject(value)) {
    const pick = typeof value.id === 'string' ? value : forEmbedding ? (value.embedding ?? value.text) : (value.text ?? value.embedding);
    id = isObject(pick) ? pick.id : pick;
  }
  if (typeof id !== 'string') {
    ctx.report.problem(path, 'a grader provider must be an id (openai:gpt-4o-mini) or {id}');
    return undefined;
  }
  const mapped = mapProviderId(id);
  if (forEmbedding) {
    // `similar` embeds with a local model here; a cloud embedding id gives way to the run's model.
    const ref = mapped.ok ? mapped.ref : id;
    if (isLocal(ref)) return ref;
    ctx.report.warn(path, `ignored embedding provider ${id}: Parity embeds with a local model (pass --embedding-model local:<model>)`);
    return undefined;
  }
  if (mapped.ok) return mapped.ref;
  ctx.report.warn(path, `ignored grader: ${mapped.reason}`);
  return undefined;
}

/** Types Parity accepts but reports as skipped in each cell (see promptfooHandlers). */
const SKIPPED_TYPES = new Set(['moderation', 'python']);

/** " (did you mean contains?)" for a near miss of a known type; "" otherwise. */
function suggestion(type: string): string {
  const base = type.replace(/^not-/, '');
  let best: { name: string; d: number } | null = null;
  for (const name of AssertionTypeSchema.options) {
    const d = levenshtein(base, name);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best ? ` (did you mean ${type.startsWith('not-') ? 'not-' : ''}${best.name}?)` : '';
}

/** Why an assertion type will be skipped in every cell (unknown, or not evaluated here); null when it runs. */
export function assertionTypeWarning(type: string): string | null {
  const known = splitAssertionType(type);
  if (!known) return `unknown assertion type "${type}": skipped in every cell${suggestion(type)}`;
  if (SKIPPED_TYPES.has(known.base)) return `${type} is not evaluated by Parity: skipped in every cell, with the reason`;
  return null;
}

const ASSERT_KEYS = new Set(['type', 'value', 'threshold', 'weight', 'metric', 'provider', 'transform', 'assert', 'config']);

/** One promptfoo assertion → Parity's, its `file://` value and transform read; null after reporting a problem. */
export function convertAssertion(raw: unknown, path: ConfigPath, origin: Origin, ctx: Ctx): AssertionSpec | null {
  if (!isObject(raw) || typeof raw.type !== 'string' || !raw.type) {
    problem(ctx, origin, path, 'an assertion needs a `type`, e.g. {type: contains, value: ...}');
    return null;
  }
  const type = raw.type;
  const spec: AssertionSpec = { type };
  const typeWarning = assertionTypeWarning(type);
  if (typeWarning) warn(ctx, origin, [...path, 'type'], typeWarning);
  const unknown = Object.keys(raw).filter((k) => !ASSERT_KEYS.has(k));
  if (raw.config !== undefined) unknown.push('config');
  if (unknown.length) warn(ctx, origin, path, `ignored: ${unknown.join(', ')}`);
  if (type === 'assert-set') {
    if (!Array.isArray(raw.assert)) problem(ctx, origin, [...path, 'assert'], 'an assert-set needs a list of assertions under `assert`');
    else spec.value = raw.assert.map((a, i) => convertAssertion(a, [...path, 'assert', i], origin, ctx)).filter((a): a is AssertionSpec => a !== null);
  } else if (isFileRef(raw.value)) {
    spec.value = assertionValueFromFile(type, raw.value, [...path, 'value'], ctx);
  } else if (raw.value !== undefined) {
    spec.value = raw.value;
  }
  for (const key of ['threshold', 'weight'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || (key === 'weight' && v < 0)) problem(ctx, origin, [...path, key], `${key} must be a ${key === 'weight' ? 'non-negative ' : ''}number`);
    else spec[key] = v;
  }
  if (raw.metric !== undefined) spec.metric = String(raw.metric);
  const grader = graderRef(raw.provider, [...path, 'provider'], ctx, /similar/.test(type));
  if (grader) spec.provider = grader;
  const transform = codeFrom(raw.transform, [...path, 'transform'], ctx, 'transform');
  if (transform) spec.transform = transform;
  return spec;
}

function assertionValueFromFile(type: string, ref: string, path: ConfigPath, ctx: Ctx): unknown {
  const base = type.replace(/^not-/, '');
  const { path: filePath } = splitFunctionName(ref.slice('file://'.length));
  const [file] = ctx.files.resolve(`file://${filePath}`, path);
  if (!file) return ref;
  if (base === 'javascript' || (CODE_EXTS.has(file.ext) && file.ext !== 'py')) return codeFrom(ref, path, ctx, 'assertion') ?? ref;
  if (file.ext === 'py') return ref;
  if (TEXT_EXTS.has(file.ext)) return readData(ctx, file, path);
  return ctx.files.read(file).trim();
}

const TEST_KEYS = new Set(['description', 'vars', 'assert', 'threshold', 'options', 'metadata', 'providers', 'prompts', 'mockToolResults']);
const OPTION_KEYS = new Set(['provider', 'transform', 'postprocess']);

/** One promptfoo test → its cases (one per var combination). Ids are given by the caller. */
export function convertTest(raw: RawTest, ctx: Ctx, extraVars: Record<string, unknown> = {}): Omit<EvalCaseSpec, 'id'>[] & { metaId?: string } {
  const { test, origin } = raw;
  if (!isObject(test)) {
    problem(ctx, origin, origin.path, 'a test must be a mapping with vars and assert');
    return [];
  }
  const unknown = Object.keys(test).filter((k) => !TEST_KEYS.has(k));
  if (unknown.length) warn(ctx, origin, origin.path, `ignored: ${unknown.join(', ')}`);
  const assertList = test.assert === undefined ? [] : Array.isArray(test.assert) ? test.assert : null;
  if (assertList === null) problem(ctx, origin, at(origin, 'assert'), 'assert must be a list of assertions');
  const assert = (assertList ?? []).map((a, i) => convertAssertion(a, at(origin, 'assert', i), origin, ctx)).filter((a): a is AssertionSpec => a !== null);
  const options = isObject(test.options) ? test.options : {};
  if (test.options !== undefined && !isObject(test.options)) problem(ctx, origin, at(origin, 'options'), 'options must be a mapping (provider, transform)');
  const extraOptions = Object.keys(options).filter((k) => !OPTION_KEYS.has(k));
  if (extraOptions.length) warn(ctx, origin, at(origin, 'options'), `ignored: ${extraOptions.map((k) => `options.${k}`).join(', ')}`);
  const grader = graderRef(options.provider, at(origin, 'options', 'provider'), ctx);
  const transform = codeFrom(options.transform ?? options.postprocess, at(origin, 'options', 'transform'), ctx, 'transform');
  let threshold: number | undefined;
  if (test.threshold !== undefined) {
    if (typeof test.threshold !== 'number' || test.threshold < 0 || test.threshold > 1) problem(ctx, origin, at(origin, 'threshold'), 'threshold must be a number from 0 to 1');
    else threshold = test.threshold;
  }
  const meta = isObject(test.metadata) ? test.metadata : {};
  // Said once for the whole file, not once a test: promptfoo's metadata only labels results.
  if (Object.keys(meta).some((k) => !['id', 'prompt', 'system', 'expected'].includes(k))) ctx.report.warn(null, 'ignored: tests\' metadata (other than id) is not shown in Parity');
  const names = (key: 'providers' | 'prompts'): string[] | undefined => {
    const v = test[key];
    if (v === undefined) return undefined;
    const list = (Array.isArray(v) ? v : [v]).filter((n): n is string => typeof n === 'string');
    if (list.length !== (Array.isArray(v) ? v.length : 1)) problem(ctx, origin, at(origin, key), `${key} must be a list of names`);
    return key === 'providers' ? list.flatMap((n) => { const m = mapProviderId(n); return m.ok && m.ref !== n ? [n, m.ref] : [n]; }) : list;
  };
  const vars = isFileRef(test.vars) ? test.vars : isObject(test.vars) ? { ...extraVars, ...test.vars } : test.vars === undefined ? extraVars : test.vars;
  const combos = expandVars(vars, origin, ctx);
  const cases = combos.map((v) => ({
    description: typeof test.description === 'string' ? test.description : undefined,
    vars: v as EvalCaseSpec['vars'],
    prompt: typeof meta.prompt === 'string' ? meta.prompt : undefined,
    system: typeof meta.system === 'string' ? meta.system : undefined,
    expected: typeof meta.expected === 'string' ? meta.expected : undefined,
    assert,
    threshold,
    options: grader ? { provider: grader } : undefined,
    transform,
    providers: names('providers'),
    prompts: names('prompts'),
    // Parity's own key: fixed tool results by tool name, so a tool-calling case can continue.
    mockToolResults: isObject(test.mockToolResults) ? test.mockToolResults : undefined,
  }));
  return Object.assign(cases, typeof meta.id === 'string' ? { metaId: meta.id } : {});
}
