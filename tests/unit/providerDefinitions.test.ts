import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../src/main/core/pricing/defaultPrices';
import { COMPAT_PRESETS } from '../../src/main/core/providers/compat/presets';
import { cloudDefinitions, keyEnvByProvider, PROVIDER_DEFINITIONS } from '../../src/main/core/providers/registry';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

const files = sources(join(ROOT, 'src')).map((path) => ({ rel: relative(ROOT, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));

/** Files that mention `value` outside comments. */
export function filesNaming(value: string, within: Array<{ rel: string; text: string }> = files): string[] {
  return within
    .filter(({ text }) => text.split('\n').some((line) => !/^\s*(\/\/|\*|\/\*)/.test(line) && line.includes(value)))
    .map(({ rel }) => rel);
}

describe('providers are defined in one folder each', () => {
  for (const d of PROVIDER_DEFINITIONS) {
    const home = `src/main/core/providers/${d.id}/definition.ts`;
    const facts = [d.keyEnv, d.baseUrlEnv, d.defaultBaseUrl].filter((v): v is string => v !== null);
    for (const value of facts) {
      it(`${d.id}: ${value} appears only in ${home}`, () => {
        expect(filesNaming(value)).toEqual([home]);
      });
    }
  }

  it('the compat presets\' variables and URLs appear only in compat/presets.ts', () => {
    const home = 'src/main/core/providers/compat/presets.ts';
    const facts = COMPAT_PRESETS.flatMap((p) => [p.baseUrl, p.keyEnv, p.baseUrlEnv ?? null]).filter((v): v is string => v !== null);
    expect(facts.filter((v) => filesNaming(v).join() !== home)).toEqual([]);
  });

  it('prices, key variables and the cloud list come from the definitions', () => {
    expect(Object.keys(DEFAULT_PRICES).sort()).toEqual(PROVIDER_DEFINITIONS.flatMap((d) => Object.keys(d.prices).map((m) => `${d.id}:${m}`)).sort());
    expect(keyEnvByProvider()).toEqual(Object.fromEntries(cloudDefinitions().map((d) => [d.id, d.keyEnv])));
    expect(cloudDefinitions().map((d) => d.id)).toEqual(['openai', 'anthropic', 'google']);
  });

  it('finds a value named outside its home, but not in a comment', () => {
    const within = [
      { rel: 'src/a.ts', text: "const env = 'OPENAI_API_KEY';" },
      { rel: 'src/b.ts', text: '// set OPENAI_API_KEY' },
    ];
    expect(filesNaming('OPENAI_API_KEY', within)).toEqual(['src/a.ts']);
  });
});
