import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
/** The one module that reads and writes model refs and endpoint keys. */
const MODULE = 'src/shared/domain/modelRef.ts';

/** Hand-written operations on `local:`, `compat:` and provider prefixes. */
const PATTERNS: Array<[string, RegExp]> = [
  ['prefix test', /\bstartsWith\(\s*['"`](?:local|compat|openai|anthropic|google|route|echo):/],
  ['prefix literal', /['"`](?:local|compat|route):['"`]/],
  ['ref built by hand', /`(?:local|compat|openai|anthropic|google|route|echo):\$\{/],
  ['ref split by hand', /\.(?:indexOf|lastIndexOf|split)\(\s*['"]:['"]\s*\)/],
  ['prefix stripped by regex', /\.replace\(\s*\/\^(?:local|compat|openai|anthropic|google|route):/],
];

/** Colons that are not model refs: each says what it splits instead. */
const ALLOWED: Record<string, string> = {
  'src/main/core/policy/detectors/ipAddress.ts': 'IPv6 address groups',
  'src/main/core/evals/promptfoo/providerIds.ts': "promptfoo's own provider ids (openai:chat:gpt-4), mapped to refs through modelRef",
  'src/main/core/generation/routeStream.ts': 'the error code at the head of a route step reason',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

export function handWrittenRefOps(rel: string, text: string): string[] {
  if (rel === MODULE) return [];
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
    for (const [what, pattern] of PATTERNS) {
      if (pattern.test(line) && !(ALLOWED[rel] && what === 'ref split by hand')) found.push(`${rel}:${i + 1}: ${what}: ${line.trim()}`);
    }
  });
  return found;
}

describe('model refs are parsed and built in one module', () => {
  it(`nothing in src splits or builds a model ref by hand outside ${MODULE}`, () => {
    const found = sources(SRC).flatMap((path) => {
      const rel = relative(ROOT, path).split('\\').join('/');
      return handWrittenRefOps(rel, readFileSync(path, 'utf8'));
    });
    expect(found).toEqual([]);
  });

  it('catches the forms it names', () => {
    const text = [
      "const id = ref.startsWith('local:') ? ref.slice('local:'.length) : ref;",
      'const key = `compat:${name}`;',
      "const [head] = id.split(':');",
      "const bare = ref.replace(/^local:/, '');",
      '// a comment about `compat:${x}` is fine',
    ].join('\n');
    expect(handWrittenRefOps('src/x.ts', text).map((l) => l.split(': ')[1])).toEqual(['prefix test', 'prefix literal', 'ref built by hand', 'ref split by hand', 'prefix stripped by regex']);
  });
});
