import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src', 'main');
const OPENAI = join(SRC, 'ipc', 'openai');
/**
 * What the API may know of core, as types: its transport concerns (API keys, the request log, the
 * per-model queue) and the event bus it reads deltas from. Generation, providers, models and the
 * embedder are reached through routes only, so the API cannot drift from the app.
 */
const TYPE_ONLY_ALLOWED = ['core/api/', 'core/events/'];

interface Import {
  line: number;
  typeOnly: boolean;
  target: string;
}

function importsOf(text: string): Import[] {
  const found: Import[] = [];
  // Whole statements, also those spread over lines: `import [type] { a, type b } from '...'`.
  for (const m of text.matchAll(/^import\s+(type\s+)?([^;']*?)\s+from\s+'([^']+)';/gm)) {
    const names = m[2]!;
    const specifiers = names.startsWith('{') ? names.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean) : [names];
    const typeOnly = m[1] !== undefined || specifiers.every((s) => s.startsWith('type '));
    found.push({ line: text.slice(0, m.index).split('\n').length, typeOnly, target: m[3]! });
  }
  for (const m of text.matchAll(/^import\s+'([^']+)';/gm)) found.push({ line: text.slice(0, m.index).split('\n').length, typeOnly: false, target: m[1]! });
  return found;
}

/** `file` (under src/main/ipc/openai) importing core: a value import, or a type from past the API's own concerns. */
function coreReach(file: string, text: string): string[] {
  return importsOf(text).flatMap(({ line, typeOnly, target }) => {
    if (!target.startsWith('.')) return [];
    const path = relative(SRC, resolve(dirname(file), target)).split('\\').join('/');
    if (!path.startsWith('core/')) return [];
    if (!typeOnly) return [`${relative(SRC, file)}:${line}: imports ${path} as a value`];
    if (!TYPE_ONLY_ALLOWED.some((p) => path.startsWith(p))) return [`${relative(SRC, file)}:${line}: depends on ${path}`];
    return [];
  });
}

describe('the OpenAI-compatible API reaches the app through the router', () => {
  it('no file under src/main/ipc/openai imports a core service, or depends on generation, providers or models', () => {
    const files = readdirSync(OPENAI).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    const found = files.flatMap((f) => coreReach(join(OPENAI, f), readFileSync(join(OPENAI, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('reports what the API used to do: GenerationService handed in, stream events typed from the provider', () => {
    const file = join(OPENAI, 'chatCompletions.ts');
    const old = [
      "import type { ModelQueue } from '../../core/api/ModelQueue';",
      "import type { GenerationService } from '../../core/generation/GenerationService';",
      "import type { StreamEvent } from '../../core/providers/ModelProvider';",
      "import { LocalEmbedder } from '../../core/evals/LocalEmbedder';",
      'import {',
      '  consumeBatched,',
      "} from '../../core/generation/consumeBatched';",
      "import { type EventBus } from '../../core/events/EventBus';",
    ].join('\n');
    expect(coreReach(file, old)).toEqual([
      'ipc/openai/chatCompletions.ts:2: depends on core/generation/GenerationService',
      'ipc/openai/chatCompletions.ts:3: depends on core/providers/ModelProvider',
      'ipc/openai/chatCompletions.ts:4: imports core/evals/LocalEmbedder as a value',
      'ipc/openai/chatCompletions.ts:5: imports core/generation/consumeBatched as a value',
    ]);
  });
});
