import type { PromptSpec } from '../../../../shared/domain/evals';
import { isFileRef, splitFunctionName } from './fileRefs';
import type { ConfigPath } from './importReport';
import { readData, type Ctx } from './promptfooTests';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A prompt that is only a file name (`prompts.txt`, `prompts/*.json`, `./p.md`): promptfoo reads
 * it as a file. Narrower than promptfoo's guess (any "/" or dot near the end), so a prompt like
 * "Answer yes/no: {{q}}" stays text.
 */
const BARE_PATH = /^[^\s{}]+\.(?:txt|md|json|jsonl|yaml|yml|j2|njk|nunjucks|prompt|js|cjs|mjs|ts|py)(?::[A-Za-z_$][\w$]*)?$/;

const PROMPT_TEXT_SPLIT = /\r?\n\s*---\s*\r?\n/;
const PROMPT_CODE = new Set(['js', 'cjs', 'mjs', 'ts', 'py']);

/** A `file://` prompt: text split on `---` lines, a JSON chat array, JSONL chats, or YAML (as JSON). */
function promptsFromFile(ref: string, label: string | undefined, path: ConfigPath, ctx: Ctx): PromptSpec[] {
  const { path: filePath, fn } = splitFunctionName(ref.slice('file://'.length));
  const out: PromptSpec[] = [];
  for (const file of ctx.files.resolve(`file://${filePath}`, path)) {
    if (PROMPT_CODE.has(file.ext) || fn) {
      ctx.report.warn(path, `ignored prompt: ${ref} (prompt functions run code, which Parity does not do)`);
      continue;
    }
    const name = label ?? file.rel;
    let templates: string[];
    if (file.ext === 'json') templates = [ctx.files.read(file)];
    else if (file.ext === 'jsonl') templates = ctx.files.read(file).split(/\r?\n/).filter((l) => l.trim());
    else if (file.ext === 'yaml' || file.ext === 'yml') templates = [JSON.stringify(readData(ctx, file, path) ?? '')];
    else templates = ctx.files.read(file).split(PROMPT_TEXT_SPLIT).map((t) => t.trim()).filter(Boolean);
    templates.forEach((template, i) => out.push({ template, label: templates.length > 1 ? `${name} #${i + 1}` : name, source: file.ref }));
  }
  return out;
}

export function convertPrompts(value: unknown, ctx: Ctx): PromptSpec[] | undefined {
  if (value === undefined || value === null) return undefined;
  const path: ConfigPath = ['prompts'];
  // promptfoo also takes a map { "file://a.txt": "label" }.
  const items: Array<[unknown, ConfigPath]> = Array.isArray(value)
    ? value.map((v, i) => [v, [...path, i]])
    : isObject(value) && value.raw === undefined && value.id === undefined
      ? Object.entries(value).map(([id, label]) => [{ id, label }, [...path, id]])
      : [[value, path]];
  const out: PromptSpec[] = [];
  for (const [item, at] of items) {
    if (typeof item === 'string') {
      if (item.startsWith('file://')) out.push(...promptsFromFile(item, undefined, at, ctx));
      // promptfoo reads a bare path (`prompts: [prompts.txt]`) as a file, too.
      else if (BARE_PATH.test(item)) out.push(...promptsFromFile(`file://${item.replace(/^\.\//, '')}`, undefined, at, ctx));
      else if (item.trim()) out.push({ template: item });
      else ctx.report.problem(at, 'a prompt is empty');
    } else if (isObject(item)) {
      const extra = Object.keys(item).filter((k) => !['raw', 'id', 'label'].includes(k));
      if (extra.length) ctx.report.warn(at, `ignored: ${extra.join(', ')}`);
      const label = typeof item.label === 'string' ? item.label : undefined;
      if (typeof item.raw === 'string') out.push({ template: item.raw, ...(label ? { label } : {}) });
      else if (isFileRef(item.id)) out.push(...promptsFromFile(item.id, label, at, ctx));
      else if (typeof item.id === 'string' && BARE_PATH.test(item.id)) out.push(...promptsFromFile(`file://${item.id.replace(/^\.\//, '')}`, label, at, ctx));
      else if (typeof item.id === 'string' && item.id.trim()) out.push({ template: item.id, ...(label ? { label } : {}) });
      else ctx.report.problem(at, 'a prompt object needs `raw` (the template) or `id` (a file:// reference)');
    } else {
      ctx.report.problem(at, 'a prompt must be a template string, a file:// reference or {raw, label}');
    }
  }
  if (out.length === 0 && ctx.report.problems.length === 0) ctx.report.problem(path, 'no usable prompt (every prompt was ignored)');
  return out;
}
