import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'main', 'cli');
/** What a command may touch on the app: the router and its events (through cliClient), and dispose. */
const ALLOWED = new Set(['router', 'bus', 'dispose']);
/** The one CLI file that may dispatch on the router itself: every command goes through it. */
const TRANSPORT = 'cliClient.ts';
/** `parity serve` hosts the HTTP transport and the API, so it hands them the app's router, events and API. */
const HOSTS: Record<string, Set<string>> = { 'serve.ts': new Set(['api']) };

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** `app.<service>` reached from a CLI file: a command that calls a service directly drifts from the other clients. */
function directServiceUse(name: string, text: string): string[] {
  const extra = HOSTS[name.split('/').pop()!] ?? new Set<string>();
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\*)/.test(line)) return;
    for (const m of line.matchAll(/\bapp\.([A-Za-z_]\w*)/g)) if (!ALLOWED.has(m[1]!) && !extra.has(m[1]!)) found.push(`${name}:${i + 1}: app.${m[1]}`);
    // A command with its own `router.handle` wrapper skips cliClient's typed input and error mapping.
    if (name.split('/').pop() !== TRANSPORT && /\brouter\s*\.\s*handle\b/.test(line)) found.push(`${name}:${i + 1}: router.handle`);
  });
  return found;
}

describe('the CLI is a client of the router', () => {
  it('no command calls a service directly', () => {
    const found = files(CLI).flatMap((path) => directServiceUse(path.slice(CLI.length + 1), readFileSync(path, 'utf8')));
    expect(found).toEqual([]);
  });

  it('reports a command that reaches past the router', () => {
    expect(directServiceUse('commands/chat.ts', 'const r = await app.models.resolve(ref);\nawait app.dispose();')).toEqual(['commands/chat.ts:1: app.models']);
  });

  it('reports a command that calls the router itself instead of cliClient', () => {
    expect(directServiceUse('commands/apiKeys.ts', "const r = await app.router.handle('api.keys.list', {}, { transport: 'cli' });")).toEqual(['commands/apiKeys.ts:1: router.handle']);
    expect(directServiceUse('cliClient.ts', "const result = await app.router.handle(route, input, { transport: 'cli' });")).toEqual([]);
  });
});
