import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** A bare Error has no code: callers cannot branch on it and transports turn it into INTERNAL. */
function bareErrors(rel: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => (/\b(?:throw|reject\()\s*new Error\(/.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${rel}:${i + 1}: ${line.trim()}`] : []));
}

describe('errors callers can branch on', () => {
  it('src/main throws AppErrors with a code, never a bare Error', () => {
    const found = sources(join(ROOT, 'src', 'main')).flatMap((path) => bareErrors(relative(ROOT, path).split('\\').join('/'), readFileSync(path, 'utf8')));
    expect(found).toEqual([]);
  });

  it('finds a bare throw and a bare rejection', () => {
    expect(bareErrors('x.ts', "if (!ok) throw new Error('failed');\nreject(new Error('no'));\n// throw new Error('in a comment')")).toEqual(["x.ts:1: if (!ok) throw new Error('failed');", "x.ts:2: reject(new Error('no'));"]);
  });
});
