import { z } from 'zod';
import { CompareSlotStatusSchema, VoteChoiceSchema, type CompareSlotStatus, type VoteChoice } from '../../../shared/contract/compare';
import { GenerationMetricsSchema, GenerationParamsSchema, type GenerationMetrics, type GenerationParams } from '../../../shared/domain/generation';
import type { Store } from './Store';

export interface CompareSessionRecord {
  id: string;
  createdAt: string;
  prompt: string;
  systemPrompt: string | null;
  params: GenerationParams;
  blind: boolean;
  revealed: boolean;
}

export interface CompareSlotRecord {
  slot: number;
  ref: string;
  /** Position of this ref in the request; differs from `slot` when the session was shuffled. */
  requestedIndex: number;
  destinationLocal: boolean;
  destinationHost: string | null;
  status: CompareSlotStatus;
  output: string;
  metrics: GenerationMetrics | null;
}

export interface CompareVoteRecord {
  id: string;
  sessionId: string;
  choice: VoteChoice;
  blind: boolean;
  createdAt: string;
}

export interface StoredCompare {
  session: CompareSessionRecord;
  slots: CompareSlotRecord[];
  vote: CompareVoteRecord | null;
}

/** One vote with the refs of its session in display order: the input of the leaderboard. */
export interface VoteWithRefs {
  choice: VoteChoice;
  blind: boolean;
  refs: string[];
}

const bool = z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1);
const json = <T extends z.ZodType>(schema: T) => z.string().transform((s) => schema.parse(JSON.parse(s)) as z.output<T>);

const SessionRowSchema = z.object({
  id: z.string(),
  created_at: z.string(),
  prompt: z.string(),
  system_prompt: z.string().nullable(),
  params: json(GenerationParamsSchema),
  blind: bool,
  revealed: bool,
});

const SlotRowSchema = z.object({
  slot: z.number().int(),
  ref: z.string(),
  requested_index: z.number().int(),
  destination_local: bool,
  destination_host: z.string().nullable(),
  status: CompareSlotStatusSchema,
  output: z.string(),
  // A metrics blob an older version wrote in another shape reads as "not measured", not a crash.
  metrics: z.string().nullable().transform((s) => {
    if (s === null) return null;
    const parsed = GenerationMetricsSchema.safeParse(JSON.parse(s));
    return parsed.success ? parsed.data : null;
  }),
});

const VoteRowSchema = z.object({
  id: z.string(),
  session_id: z.string(),
  choice: VoteChoiceSchema,
  blind: bool,
  created_at: z.string(),
});

function toSession(row: z.output<typeof SessionRowSchema>): CompareSessionRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    prompt: row.prompt,
    systemPrompt: row.system_prompt,
    params: row.params,
    blind: row.blind,
    revealed: row.revealed,
  };
}

function toSlot(row: z.output<typeof SlotRowSchema>): CompareSlotRecord {
  return {
    slot: row.slot,
    ref: row.ref,
    requestedIndex: row.requested_index,
    destinationLocal: row.destination_local,
    destinationHost: row.destination_host,
    status: row.status,
    output: row.output,
    metrics: row.metrics,
  };
}

function toVote(row: z.output<typeof VoteRowSchema>): CompareVoteRecord {
  return { id: row.id, sessionId: row.session_id, choice: row.choice, blind: row.blind, createdAt: row.created_at };
}

export class CompareRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  create(session: CompareSessionRecord, slots: CompareSlotRecord[]): void {
    const db = this.#store.db;
    this.#store.transaction(() => {
      db.prepare(
        `INSERT INTO compare_sessions (id, created_at, prompt, system_prompt, params, blind, revealed)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(session.id, session.createdAt, session.prompt, session.systemPrompt, JSON.stringify(session.params), session.blind ? 1 : 0, session.revealed ? 1 : 0);
      const insert = db.prepare(
        `INSERT INTO compare_slots (session_id, slot, ref, requested_index, destination_host, destination_local, status, output, metrics)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const s of slots) {
        insert.run(session.id, s.slot, s.ref, s.requestedIndex, s.destinationHost, s.destinationLocal ? 1 : 0, s.status, s.output, s.metrics ? JSON.stringify(s.metrics) : null);
      }
    });
  }

  finishSlot(sessionId: string, slot: number, status: CompareSlotStatus, output: string, metrics: GenerationMetrics): void {
    this.#store.run(() =>
      this.#store.db
        .prepare('UPDATE compare_slots SET status = ?, output = ?, metrics = ? WHERE session_id = ? AND slot = ?')
        .run(status, output, JSON.stringify(metrics), sessionId, slot),
    );
  }

  /** A finished slot streams again (its tool calls were answered): status back to streaming, text cleared. */
  restartSlot(sessionId: string, slot: number): void {
    this.#store.run(() =>
      this.#store.db.prepare("UPDATE compare_slots SET status = 'streaming', output = '' WHERE session_id = ? AND slot = ?").run(sessionId, slot),
    );
  }

  /** Partial text of a slot still streaming, so a crash loses at most the last second of it. */
  saveProgress(sessionId: string, slot: number, output: string): void {
    this.#store.run(() =>
      this.#store.db.prepare("UPDATE compare_slots SET output = ? WHERE session_id = ? AND slot = ? AND status = 'streaming'").run(output, sessionId, slot),
    );
  }

  get(id: string): StoredCompare | null {
    const db = this.#store.db;
    return this.#store.run(() => {
      const row = db.prepare('SELECT * FROM compare_sessions WHERE id = ?').get(id);
      if (row === undefined) return null;
      const slots = db.prepare('SELECT * FROM compare_slots WHERE session_id = ? ORDER BY slot').all(id);
      const vote = db.prepare('SELECT * FROM compare_votes WHERE session_id = ?').get(id);
      return {
        session: toSession(SessionRowSchema.parse(row)),
        slots: slots.map((s) => toSlot(SlotRowSchema.parse(s))),
        vote: vote === undefined ? null : toVote(VoteRowSchema.parse(vote)),
      };
    });
  }

  list(limit: number, offset: number): { items: StoredCompare[]; total: number } {
    const db = this.#store.db;
    const ids = this.#store.run(
      () => db.prepare('SELECT id FROM compare_sessions ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?').all(limit, offset) as { id: string }[],
    );
    const total = this.#store.run(() => (db.prepare('SELECT count(*) AS n FROM compare_sessions').get() as { n: number }).n);
    return { items: ids.map(({ id }) => this.get(id)).filter((s): s is StoredCompare => s !== null), total };
  }

  reveal(sessionId: string): void {
    this.#store.run(() => this.#store.db.prepare('UPDATE compare_sessions SET revealed = 1 WHERE id = ?').run(sessionId));
  }

  /** The vote and the reveal belong together: a vote that did not reveal would leave a blind session voted and hidden. */
  vote(vote: CompareVoteRecord): void {
    const db = this.#store.db;
    this.#store.transaction(() => {
      db.prepare('INSERT INTO compare_votes (id, session_id, choice, blind, created_at) VALUES (?, ?, ?, ?, ?)').run(
        vote.id,
        vote.sessionId,
        vote.choice,
        vote.blind ? 1 : 0,
        vote.createdAt,
      );
      db.prepare('UPDATE compare_sessions SET revealed = 1 WHERE id = ?').run(vote.sessionId);
    });
  }

  /** Slots left streaming by a crash or a quit: their partial text was never saved, say so. */
  markInterrupted(): number {
    return this.#store.repair(() => this.#store.db.prepare("UPDATE compare_slots SET status = 'interrupted' WHERE status = 'streaming'").run().changes);
  }

  votesWithRefs(options: { blindOnly?: boolean } = {}): VoteWithRefs[] {
    const db = this.#store.db;
    const rows = this.#store.run(
      () =>
        db
          .prepare(
            `SELECT v.session_id AS session_id, v.choice AS choice, v.blind AS blind, s.slot AS slot, s.ref AS ref
             FROM compare_votes v JOIN compare_slots s ON s.session_id = v.session_id
             ${options.blindOnly ? 'WHERE v.blind = 1' : ''}
             ORDER BY v.created_at, v.session_id, s.slot`,
          )
          .all() as Array<{ session_id: string; choice: string; blind: number; slot: number; ref: string }>,
    );
    const bySession = new Map<string, VoteWithRefs>();
    for (const row of rows) {
      let vote = bySession.get(row.session_id);
      if (!vote) {
        vote = { choice: VoteChoiceSchema.parse(row.choice), blind: row.blind === 1, refs: [] };
        bySession.set(row.session_id, vote);
      }
      vote.refs[row.slot] = row.ref;
    }
    return [...bySession.values()];
  }
}
