import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CompareService } from '../../src/main/core/compare/CompareService';
import { EventBus } from '../../src/main/core/events/EventBus';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import type { ModelProvider, StreamEvent, StreamRequest, StreamOptions } from '../../src/main/core/providers/ModelProvider';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { CompareRepository } from '../../src/main/core/store/CompareRepository';
import { Store } from '../../src/main/core/store/Store';
import { compareHandlers } from '../../src/main/ipc/handlers/compareHandlers';
import { Router, type Handlers } from '../../src/main/ipc/Router';
import type { EventName } from '../../src/shared/contract';
import { emptyMetrics } from '../../src/shared/domain/generation';
import { AppError } from '../../src/shared/errors';
import { tempDir } from '../helpers/tmp';

/**
 * A deterministic in-test provider (the compare service is under test, not the provider). Model
 * names double as canaries: none may appear in anything the renderer sees before a blind vote.
 * Answers spell the model name backwards so a test can tell them apart without the name itself showing.
 *  - `words-<n>-<tag>`: yields n words, 4 ms apart
 *  - `slow-<tag>`: yields a word every 5 ms until aborted
 *  - `broken-<tag>`: throws before its first delta, naming the model
 */
class ScriptedProvider implements ModelProvider {
  readonly id = 'compat';
  readonly capabilities = { local: false, streaming: true, listModels: true, seed: true, defaultConcurrency: 4 };
  readonly started: string[] = [];
  active = 0;
  maxActive = 0;

  async listModels() {
    return [];
  }

  destination(_model: string): string | null {
    return 'fake.invalid';
  }

  async *stream(request: StreamRequest, options: StreamOptions = {}): AsyncIterable<StreamEvent> {
    const { model } = request;
    this.started.push(model);
    const t0 = performance.now();
    if (model.startsWith('broken-')) {
      throw new AppError('PROVIDER_UNKNOWN_MODEL', `The model "${model}" does not exist at fake.invalid.`);
    }
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    let text = '';
    let n = 0;
    let ttft: number | null = null;
    const count = model.startsWith('words-') ? Number(model.split('-')[1]) : Infinity;
    try {
      while (n < count && !options.signal?.aborted) {
        await sleep(model.startsWith('slow-') ? 5 : 4);
        if (options.signal?.aborted) break;
        const word = `${rev(model)}#${n} `;
        ttft ??= performance.now() - t0;
        text += word;
        n += 1;
        yield { type: 'delta', text: word };
      }
    } finally {
      this.active -= 1;
    }
    const aborted = options.signal?.aborted ?? false;
    yield {
      type: 'done',
      text,
      metrics: {
        ...emptyMetrics('compat', model),
        host: 'fake.invalid',
        ttftMs: ttft,
        promptTokens: 3,
        completionTokens: n,
        decodeTokensPerSecond: 250,
        totalMs: performance.now() - t0,
        stopReason: aborted ? 'aborted' : 'eos',
        requestId: `req-${model}`,
      },
    };
  }
}

const rev = (s: string): string => [...s].reverse().join('');

interface Setup {
  compare: CompareService;
  repo: CompareRepository;
  provider: ScriptedProvider;
  router: Router;
  events: Array<{ name: EventName; payload: unknown }>;
  store: Store;
  path: string;
}

function setup(dir: string, randomInt?: (max: number) => number): Setup {
  const path = join(dir, 'parity.db');
  const store = Store.open({ path });
  const bus = new EventBus();
  const events: Setup['events'] = [];
  bus.onAny((name, payload) => events.push({ name, payload }));
  const registry = new ProviderRegistry();
  const provider = new ScriptedProvider();
  registry.register(provider);
  const repo = new CompareRepository(store);
  const compare = new CompareService({ generation: new GenerationService(registry), repo, bus, randomInt, saveIntervalMs: 0 });
  // Only the compare routes are exercised here; the cast stands in for the other domains' handlers.
  const router = new Router(compareHandlers(compare) as unknown as Handlers);
  return { compare, repo, provider, router, events, store, path };
}

async function waitFor<T>(fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > end) throw new Error('waitFor: condition not met in time');
    await sleep(5);
  }
}

const doneCount = (s: Setup, sessionId: string): number =>
  s.events.filter((e) => e.name === 'compare.done' && (e.payload as { sessionId: string }).sessionId === sessionId).length;

describe('CompareService', () => {
  it('streams N models in parallel as batched deltas and persists prompt, refs, outputs and metrics', async () => {
    using dir = tempDir();
    const s = setup(dir.path);
    const refs = ['compat:words-12-a', 'compat:words-12-b', 'compat:words-12-c'];
    const started = s.compare.startSession({ prompt: 'Say words', systemPrompt: 'Be brief', refs, params: { temperature: 0, seed: 7 } });
    expect(started.status).toBe('running');
    expect(started.slots.map((slot) => slot.ref)).toEqual(refs);
    await waitFor(() => doneCount(s, started.id) === 3);

    // All three were generating at the same time, not one after another.
    expect(s.provider.maxActive).toBe(3);
    const deltas = s.events.filter((e) => e.name === 'compare.delta').map((e) => e.payload as { slot: number; text: string; stats: { deltas: number } });
    const firstDone = s.events.findIndex((e) => e.name === 'compare.done');
    expect(new Set(s.events.slice(0, firstDone).filter((e) => e.name === 'compare.delta').map((e) => (e.payload as { slot: number }).slot))).toEqual(new Set([0, 1, 2]));
    for (const [slot, ref] of refs.entries()) {
      const mine = deltas.filter((d) => d.slot === slot);
      const model = ref.slice('compat:'.length);
      // Batched: fewer events than the 12 provider deltas, and together they are exactly the answer.
      expect(mine.length).toBeLessThan(12);
      expect(mine.map((d) => d.text).join('')).toBe(Array.from({ length: 12 }, (_, i) => `${rev(model)}#${i} `).join(''));
      expect(mine.at(-1)!.stats.deltas).toBe(12);
    }

    // Reopen the database file: the comparison is stored whole.
    s.store.dispose();
    using reopened = Store.open({ path: s.path });
    const stored = new CompareRepository(reopened).get(started.id)!;
    expect(stored.session).toMatchObject({ prompt: 'Say words', systemPrompt: 'Be brief', params: { temperature: 0, seed: 7 }, blind: false });
    expect(stored.slots.map((slot) => slot.ref)).toEqual(refs);
    expect(stored.slots.every((slot) => slot.status === 'done' && slot.output.split(' ').length === 13)).toBe(true);
    expect(stored.slots[1]!.metrics).toMatchObject({ completionTokens: 12, promptTokens: 3, requestId: 'req-words-12-b', stopReason: 'eos' });
  });

  it('in blind mode keeps the slot → model mapping out of every route output and event until the vote', async () => {
    using dir = tempDir();
    // Pin the shuffle to a reversal so the test knows the mapping it must not see.
    const s = setup(dir.path, () => 0);
    const refs = ['compat:words-6-canaryone', 'compat:words-6-canarytwo', 'compat:broken-canarythree'];
    const started = await s.router.handle('compare.start', { prompt: 'Hello', refs, blind: true }, { transport: 'test' });
    expect(started.ok).toBe(true);
    const sessionId = (started as { data: { id: string } }).data.id;
    await waitFor(() => doneCount(s, sessionId) === 3);

    const outputs = [
      started,
      await s.router.handle('compare.get', { sessionId }, { transport: 'test' }),
      await s.router.handle('compare.list', {}, { transport: 'test' }),
      await s.router.handle('compare.leaderboard', {}, { transport: 'test' }),
    ];
    const seen = JSON.stringify([outputs, s.events]);
    for (const canary of ['canaryone', 'canarytwo', 'canarythree', 'fake.invalid', 'req-']) expect(seen).not.toContain(canary);
    const view = (outputs[1] as { data: { slots: Array<{ ref: unknown; destination: unknown; detail: unknown; text: string; status: string }>; canVote: boolean } }).data;
    expect(view.slots.map((slot) => [slot.ref, slot.destination, slot.detail])).toEqual([[null, null, null], [null, null, null], [null, null, null]]);
    expect(view.canVote).toBe(true);
    // The answers themselves are visible (they are what is judged); the broken one reads as an error.
    expect(view.slots.map((slot) => slot.status)).toEqual(['done', 'error', 'done']);

    const voted = await s.router.handle('compare.vote', { sessionId, choice: 'B' }, { transport: 'test' });
    expect(voted.ok).toBe(true);
    const after = (voted as { data: { revealed: boolean; slots: Array<{ ref: string; text: string; detail: { requestId: string | null } | null }> } }).data;
    expect(after.revealed).toBe(true);
    // randomInt() = 0 makes Fisher-Yates rotate [0,1,2] into [1,2,0].
    expect(after.slots.map((slot) => slot.ref)).toEqual([refs[1], refs[2], refs[0]]);
    expect(after.slots[0]!.text).toContain(`${rev('words-6-canarytwo')}#0`);
    expect(after.slots[0]!.detail!.requestId).toBe('req-words-6-canarytwo');
  });

  it('stores votes (one per session, only when finished, never after a reveal) and feeds the leaderboard', async () => {
    using dir = tempDir();
    const s = setup(dir.path);
    const pair = ['compat:words-3-good', 'compat:words-3-bad'];
    for (let i = 0; i < 4; i++) {
      const session = s.compare.startSession({ prompt: `q${i}`, refs: pair, blind: true });
      await waitFor(() => s.compare.get(session.id).status === 'done');
      const view = s.compare.get(session.id);
      // Vote for whichever slot holds the "good" model: learn it from the answer text, as a user would.
      const good = view.slots.find((slot) => slot.text.startsWith(rev('words-3-good')))!;
      s.compare.vote(session.id, good.label);
      expect(() => s.compare.vote(session.id, 'tie')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    }
    const slow = s.compare.startSession({ prompt: 'long', refs: ['compat:slow-x', 'compat:slow-y'], blind: true });
    expect(() => s.compare.vote(slow.id, 'A')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    await s.compare.stop(slow.id);
    s.compare.reveal(slow.id);
    expect(s.compare.get(slow.id).canVote).toBe(false);
    expect(() => s.compare.vote(slow.id, 'A')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    const sighted = s.compare.startSession({ prompt: 'two', refs: ['compat:words-1-p', 'compat:words-1-q'] });
    await waitFor(() => s.compare.get(sighted.id).status === 'done');
    expect(() => s.compare.vote(sighted.id, 'C')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));

    s.store.dispose();
    using reopened = Store.open({ path: s.path });
    const votes = new CompareRepository(reopened).votesWithRefs();
    expect(votes).toHaveLength(4);
    expect(votes.every((v) => v.blind)).toBe(true);
    const board = new CompareService({ generation: new GenerationService(new ProviderRegistry()), repo: new CompareRepository(reopened), bus: new EventBus() }).leaderboard();
    expect(board.totalVotes).toBe(4);
    expect(board.rows.map((r) => [r.ref, r.wins, r.losses])).toEqual([
      ['compat:words-3-good', 4, 0],
      ['compat:words-3-bad', 0, 4],
    ]);
  });

  it('can rank from blind votes only, leaving sighted votes out', async () => {
    using dir = tempDir();
    const s = setup(dir.path);
    const vote = async (refs: string[], blind: boolean, winner: string): Promise<void> => {
      const session = s.compare.startSession({ prompt: 'q', refs, blind });
      await waitFor(() => s.compare.get(session.id).status === 'done');
      const slot = s.compare.get(session.id).slots.find((x) => x.text.startsWith(rev(winner.slice('compat:'.length))))!;
      s.compare.vote(session.id, slot.label);
    };
    await vote(['compat:words-1-x', 'compat:words-1-y'], true, 'compat:words-1-x');
    await vote(['compat:words-1-x', 'compat:words-1-y'], false, 'compat:words-1-y');
    await vote(['compat:words-1-x', 'compat:words-1-y'], false, 'compat:words-1-y');
    const all = s.compare.leaderboard();
    const blindOnly = s.compare.leaderboard({ blindOnly: true });
    expect(all.totalVotes).toBe(3);
    expect(all.rows[0]!.ref).toBe('compat:words-1-y');
    expect(blindOnly.totalVotes).toBe(1);
    expect(blindOnly.rows.map((r) => [r.ref, r.wins])).toEqual([
      ['compat:words-1-x', 1],
      ['compat:words-1-y', 0],
    ]);
  });

  it('stops one slot keeping its partial text while the others finish', async () => {
    using dir = tempDir();
    const s = setup(dir.path);
    const session = s.compare.startSession({ prompt: 'go', refs: ['compat:slow-forever', 'compat:words-20-steady'] });
    await waitFor(() => s.events.some((e) => e.name === 'compare.delta' && (e.payload as { slot: number }).slot === 0));
    const stopped = await s.compare.stop(session.id, 0);
    expect(stopped.slots[0]!.status).toBe('stopped');
    expect(stopped.slots[0]!.text).toMatch(new RegExp(`^${rev('slow-forever')}#0 `));
    expect(stopped.slots[0]!.metrics!.stopReason).toBe('aborted');
    await waitFor(() => s.compare.get(session.id).status === 'done');
    expect(s.compare.get(session.id).slots[1]).toMatchObject({ status: 'done' });
    expect(s.compare.get(session.id).slots[1]!.metrics!.completionTokens).toBe(20);
  });

  it('rejects an unknown provider before storing or sending anything', async () => {
    using dir = tempDir();
    const s = setup(dir.path);
    const result = await s.router.handle('compare.start', { prompt: 'x', refs: ['compat:words-1-a', 'openai:gpt-4o-mini'] }, { transport: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(s.compare.list().total).toBe(0);
    expect(s.provider.started).toEqual([]);
  });

  it('marks slots a crash left streaming as interrupted on the next start', async () => {
    using dir = tempDir();
    const s = setup(dir.path);
    const session = s.compare.startSession({ prompt: 'go', refs: ['compat:slow-a', 'compat:slow-b'] });
    // Partial text reaches the file while streaming (saveIntervalMs 0 here: every flush).
    await waitFor(() => (s.repo.get(session.id)?.slots[0]?.output.length ?? 0) > 0);
    // A new service on the same file stands in for the app after a restart; the old streams are abandoned.
    const restarted = new CompareService({ generation: new GenerationService(new ProviderRegistry()), repo: new CompareRepository(s.store), bus: new EventBus() });
    restarted.start();
    expect(restarted.get(session.id).slots.map((slot) => slot.status)).toEqual(['interrupted', 'interrupted']);
    expect(restarted.get(session.id).slots[0]!.text).toMatch(new RegExp(`^${rev('slow-a')}#0 `));
    expect(restarted.get(session.id).status).toBe('done');
    await s.compare.dispose();
  });
});
