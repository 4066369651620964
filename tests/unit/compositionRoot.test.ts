import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main');
/** The composition root: the one file allowed to build services and repositories. */
const COMPOSITION_ROOT = 'src/main/app.ts';
/** What a class is called when it holds state or resources the app shares: built once, in app.ts. */
const WIRED = /(Repository|Service|Log|Runner|Gateway|Library|Downloader|Vault|Config|Table|Registry|Engine|Sandbox|Embedder|Queue|Listener|Endpoints|Provider|ChainKey|Api)$/;

/** `providers/<id>/definition.ts`: the one place a remote provider is built, through its `create`. */
const PROVIDER_DEFINITION = /^src\/main\/core\/providers\/[^/]+\/definition\.ts$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Every class declared under src/main whose name says it is a service, repository or the like,
 * and every class the composition root builds (BudgetLedger, ChatRetrieval...): what app.ts builds
 * once must not be built a second time elsewhere.
 */
function wiredClasses(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bclass\s+([A-Z][A-Za-z0-9]*)/g)) if (WIRED.test(m[1]!)) names.add(m[1]!);
    if (relative(ROOT, file).split('\\').join('/') === COMPOSITION_ROOT) for (const m of text.matchAll(/\bnew\s+([A-Z][A-Za-z0-9]*)\s*\(/g)) names.add(m[1]!);
  }
  return names;
}

/** `new X(` of a wired class, or opening the store, anywhere but the composition root. */
function constructionsOutsideRoot(files: Array<{ rel: string; text: string }>, wired: Set<string>): string[] {
  const found: string[] = [];
  for (const { rel, text } of files) {
    if (rel === COMPOSITION_ROOT) continue;
    text
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        for (const m of line.matchAll(/\bnew\s+([A-Z][A-Za-z0-9]*)\s*\(|\b(Store)\.open\s*\(/g)) {
          // Store.ts's own `new Store` is the body of Store.open, the factory the root calls.
          // A provider's definition holds the factory (`create`) the root calls for that provider.
          if (PROVIDER_DEFINITION.test(rel) && m[1]?.endsWith('Provider')) continue;
          if (m[2] || wired.has(m[1]!)) found.push(`${rel}:${i + 1}: ${line.trim()}`);
        }
      });
  }
  return found;
}

describe('composition root', () => {
  const paths = sources(MAIN);
  const wired = wiredClasses(paths);
  const files = paths.map((path) => ({ rel: relative(ROOT, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));

  it('knows the services it guards (new domains are found by name, not listed by hand)', () => {
    for (const name of ['ChatService', 'EvalService', 'EvalRunner', 'SuiteRepository', 'AuditLog', 'EgressGateway', 'ModelLibrary', 'ModelDownloader', 'EventBus', 'Router']) expect(wired).toContain(name);
  });

  it(`only ${COMPOSITION_ROOT} builds services and repositories`, () => {
    // Transports (ElectronTransport, HttpTransport) and the shell's cipher are adapters around the app, not parts of it.
    expect(constructionsOutsideRoot(files, wired)).toEqual([]);
  });

  it('reports a service built inside another one, with its place', () => {
    const text = ['export class EvalService {', '  constructor(store: Store) {', '    this.suites = new SuiteRepository(store);', '    // new SuiteRepository(store) in a comment is fine', '  }', '}'].join('\n');
    expect(constructionsOutsideRoot([{ rel: 'src/main/core/evals/EvalService.ts', text }], new Set(['SuiteRepository']))).toEqual([
      'src/main/core/evals/EvalService.ts:3: this.suites = new SuiteRepository(store);',
    ]);
    expect(constructionsOutsideRoot([{ rel: COMPOSITION_ROOT, text }], new Set(['SuiteRepository']))).toEqual([]);
  });
});
