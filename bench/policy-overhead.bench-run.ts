/**
 * policy-overhead: what the data policy adds to one remote request with a 20,000-character prompt.
 * The same request goes to the loopback fake OpenAI server through one real app, alternately with
 * a policy that redacts every built-in detector and with none, so drift hits both alike.
 * Prints p50/p95 of each, the p95 difference (target ≤ 5 ms) and the screening alone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DataPolicyService } from '../src/main/core/policy/DataPolicyService';
import { parsePolicyYaml } from '../src/main/core/policy/loadPolicyFile';
import { ScriptSandbox } from '../src/main/core/sandbox/ScriptSandbox';
import { BUILTIN_DETECTORS } from '../src/shared/domain/dataPolicy';
import { collect, providerHarness } from '../tests/helpers/fakeProviders/providerApp';
import { tempDir } from '../tests/helpers/tmp';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const POLICY = process.env.BENCH_POLICY ?? `providers:\n  "*": { ${BUILTIN_DETECTORS.map((d) => `${d}: redact`).join(', ')} }\n`;

/** Ordinary prose and code with a detectable value every few hundred characters, 20,000 characters long. */
function prompt(): string {
  const values = ['jane.doe@example.com', '+44 20 7946 0958', 'DE89 3704 0044 0532 0130 00', '4111 1111 1111 1111', '123-45-6789', 'AB 12 34 56 C', '10.20.30.40', 'AKIAIOSFODNN7EXAMPLE'];
  const prose =
    'The quarterly review covered the migration of the billing service, the new retry policy for the queue workers and the ' +
    'open questions about data retention. function retry(n) { return Math.min(30_000, 500 * 2 ** n); } Version 1.2.3 shipped on 2024-01-15. ';
  let out = '';
  for (let i = 0; out.length < 20_000; i++) out += `${prose}Contact ${values[i % values.length]} for details. `;
  return out.slice(0, 20_000);
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

it('policy-overhead: a 20,000-character prompt to a remote model, policy on vs off', async () => {
  using dir = tempDir();
  const file = join(dir.path, 'policy.yaml');
  writeFileSync(file, POLICY);
  // One app, one database, one fake server: the stored policy is switched between requests (not timed).
  await using h = await providerHarness();
  const setPolicy = async (yaml: string): Promise<void> => {
    const r = await h.app.router.handle('policy.set', { yaml }, { transport: 'test' });
    if (!r.ok) throw new Error(r.error.message);
  };
  const messages = [{ role: 'user' as const, content: prompt() }];
  const once = async (policy: string): Promise<number> => {
    await setPolicy(policy);
    const t = performance.now();
    await collect(h.app.generation.stream(h.ref('openai'), messages, {}));
    return performance.now() - t;
  };
  // Warm both paths (module loading, JIT, connection set-up) before measuring.
  for (let i = 0; i < 5; i++) {
    await once('');
    await once(POLICY);
  }
  const times = { off: [] as number[], on: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first, so neither always follows the other's writes.
    const order = i % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const which of order) times[which].push(await once(which === 'on' ? POLICY : ''));
  }
  const sent = h.servers.openai.generationRequests.at(-1)!.body;
  // BENCH_POLICY replaces the policy (e.g. 'providers: {}' to see the noise between identical paths).
  if (!process.env.BENCH_POLICY) expect(h.servers.openai.generationRequests.some((r) => r.body.includes('[EMAIL_1]'))).toBe(true);
  void sent;

  await using sandbox = new ScriptSandbox();
  const policy = new DataPolicyService({ file: { path: file, policy: parsePolicyYaml(POLICY, file) }, sandbox });
  const screen: number[] = [];
  for (let i = 0; i < RUNS + 10; i++) {
    const t = performance.now();
    await policy.screen('openai:gpt-4o-mini', messages);
    if (i < 10) continue;
    screen.push(performance.now() - t);
  }

  const f = (n: number): string => n.toFixed(2);
  console.log(`policy-overhead (${RUNS} runs each, 20,000-character prompt, fake OpenAI on loopback):`);
  console.log(`  policy off: p50 ${f(pct(times.off, 50))} ms, p95 ${f(pct(times.off, 95))} ms`);
  console.log(`  policy on:  p50 ${f(pct(times.on, 50))} ms, p95 ${f(pct(times.on, 95))} ms`);
  console.log(`  added at p95: ${f(pct(times.on, 95) - pct(times.off, 95))} ms (target ≤ 5 ms); ratio p95 ${f(pct(times.on, 95) / pct(times.off, 95))}x`);
  console.log(`  screening alone (8 detectors + redaction): p50 ${f(pct(screen, 50))} ms, p95 ${f(pct(screen, 95))} ms`);
  expect(times.on).toHaveLength(RUNS);
});
