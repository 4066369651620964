import { z } from 'zod';
import { GenerationMetricsSchema, GenerationParamsSchema, ModelRefSchema } from '../domain/generation';
import { route } from './route';

/**
 * Compare: one prompt to 2-4 models at once, streamed side by side. In blind mode the slots come
 * in a shuffled order and everything that could name a model (ref, destination, cost, provider
 * fields of the metrics, error text) is withheld by main until the session is revealed, which
 * happens on voting (or on an explicit reveal, which forfeits the vote).
 */

export const SLOT_LABELS = ['A', 'B', 'C', 'D'] as const;
export const SlotLabelSchema = z.enum(SLOT_LABELS);
export type SlotLabel = z.infer<typeof SlotLabelSchema>;

export const CompareSlotStatusSchema = z.enum(['streaming', 'done', 'stopped', 'error', 'interrupted']);
export type CompareSlotStatus = z.infer<typeof CompareSlotStatusSchema>;

/**
 * The metrics a blind slot may show: nothing here names a provider, host or model. costUsd is
 * null while hidden (blind, unrevealed), since a price would hint at the provider.
 */
export const SlotMetricsSchema = GenerationMetricsSchema.pick({
  ttftMs: true,
  promptTokens: true,
  completionTokens: true,
  decodeTokensPerSecond: true,
  totalMs: true,
  stopReason: true,
  usageEstimated: true,
  costUsd: true,
  error: true,
}).extend({
  /** The answer's tool calls; while blind their ids are dropped (a provider's id format names it). */
  toolCalls: GenerationMetricsSchema.shape.toolCalls,
  /** For this one prompt: JSON that parses, follows the schema, valid tool calls, the demanded call (null: not asked). */
  checks: z
    .object({ jsonValid: z.boolean().nullable(), schemaValid: z.boolean().nullable(), toolCallValid: z.boolean().nullable(), toolChoiceCorrect: z.boolean().nullable() })
    .optional(),
});
export type SlotMetrics = z.infer<typeof SlotMetricsSchema>;

export const CompareSlotSchema = z.object({
  slot: z.number().int().min(0),
  label: SlotLabelSchema,
  status: CompareSlotStatusSchema,
  text: z.string(),
  /** Null while the session is blind and not revealed. */
  ref: ModelRefSchema.nullable(),
  /** Where the prompt went: `{ local: true }` for this device; null while hidden. */
  destination: z.object({ local: z.boolean(), host: z.string().nullable() }).nullable(),
  metrics: SlotMetricsSchema.nullable(),
  /** Full metrics (provider, backend, sha256...), only once identities are visible. */
  detail: GenerationMetricsSchema.nullable(),
});
export type CompareSlot = z.infer<typeof CompareSlotSchema>;

/** 'A'..'D' = that slot is best (for a pair: "A is better"); 'tie'; 'both-bad' (none is good). */
export const VoteChoiceSchema = z.enum(['A', 'B', 'C', 'D', 'tie', 'both-bad']);
export type VoteChoice = z.infer<typeof VoteChoiceSchema>;

export const CompareSessionStatusSchema = z.enum(['running', 'done']);

export const CompareSessionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  prompt: z.string(),
  systemPrompt: z.string().nullable(),
  params: GenerationParamsSchema,
  blind: z.boolean(),
  /** True once names are visible: always for non-blind sessions, after vote/reveal for blind ones. */
  revealed: z.boolean(),
  status: CompareSessionStatusSchema,
  vote: z.object({ choice: VoteChoiceSchema, createdAt: z.string() }).nullable(),
  /** Whether a vote may still be cast (not yet voted, all slots finished, not revealed without voting). */
  canVote: z.boolean(),
  slots: z.array(CompareSlotSchema),
});
export type CompareSession = z.infer<typeof CompareSessionSchema>;

export const CompareSummarySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  prompt: z.string(),
  blind: z.boolean(),
  revealed: z.boolean(),
  voted: z.boolean(),
  slotCount: z.number().int(),
  /** Refs in display order; null while blind and unrevealed. */
  refs: z.array(ModelRefSchema).nullable(),
});
export type CompareSummary = z.infer<typeof CompareSummarySchema>;

export const CompareStartInputSchema = z
  .object({
    prompt: z.string().trim().min(1, 'Write a prompt first.').max(200_000),
    systemPrompt: z.string().max(50_000).optional(),
    /** 2-4 models; the same ref twice is allowed (compares a model with itself). */
    refs: z.array(ModelRefSchema).min(2, 'Pick at least two models.').max(4, 'Compare at most four models at once.'),
    params: GenerationParamsSchema.optional(),
    blind: z.boolean().optional(),
  })
  .strict();
export type CompareStartInput = z.infer<typeof CompareStartInputSchema>;

export const LeaderboardRowSchema = z.object({
  rank: z.number().int().min(1),
  ref: ModelRefSchema,
  /** Bradley-Terry strength on the Elo scale (400·log10), the field's geometric mean at 1000. */
  rating: z.number(),
  /**
   * 95% percentile-bootstrap interval of the rating; null when it cannot be estimated honestly:
   * fewer than `minVotes` votes for this model (a bootstrap of one vote resamples that vote and
   * draws a zero-width "certainty") or a degenerate resample.
   */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  /** Votes this model took part in, and its pairwise outcomes derived from them. */
  votes: z.number().int(),
  wins: z.number(),
  losses: z.number(),
  ties: z.number(),
});
export type LeaderboardRow = z.infer<typeof LeaderboardRowSchema>;

export const LeaderboardSchema = z.object({
  method: z.literal('bradley-terry'),
  totalVotes: z.number().int(),
  bootstrapSamples: z.number().int(),
  /** Votes a model needs before its interval is shown; below it the UI says "too few votes". */
  minVotes: z.number().int(),
  rows: z.array(LeaderboardRowSchema),
});
export type Leaderboard = z.infer<typeof LeaderboardSchema>;

const SessionIdSchema = z.object({ sessionId: z.string().min(1) }).strict();

export const compareRoutes = {
  /** Starts streaming to every ref at once; returns at once with empty slots. Events carry the text. */
  'compare.start': route(CompareStartInputSchema, CompareSessionSchema),
  /** Stops one slot, or every slot when `slot` is absent. Partial text is kept. */
  /** Gives one answer's tool calls their results (typed, or the tools' mock results) and lets that model continue. Nothing is executed. */
  'compare.answerTools': route(
    z.object({ sessionId: z.string().min(1), slot: z.number().int().min(0), results: z.array(z.unknown()).min(1).max(128) }).strict(),
    CompareSessionSchema,
  ),
  'compare.stop': route(z.object({ sessionId: z.string().min(1), slot: z.number().int().min(0).optional() }).strict(), CompareSessionSchema),
  'compare.get': route(SessionIdSchema, CompareSessionSchema),
  'compare.list': route(
    z.object({ limit: z.number().int().min(1).max(500).optional(), offset: z.number().int().min(0).optional() }).strict(),
    z.object({ items: z.array(CompareSummarySchema), total: z.number().int() }),
  ),
  /** Records the vote and reveals the session. One vote per session, only after every slot finished. */
  'compare.vote': route(z.object({ sessionId: z.string().min(1), choice: VoteChoiceSchema }).strict(), CompareSessionSchema),
  /** Reveals names without voting; the session can no longer be voted on (a sighted vote is biased). */
  'compare.reveal': route(SessionIdSchema, CompareSessionSchema),
  /** Bradley-Terry ratings from the stored votes with bootstrap 95% intervals. */
  'compare.leaderboard': route(
    z.object({ blindOnly: z.boolean().optional(), bootstrapSamples: z.number().int().min(0).max(2000).optional() }).strict(),
    LeaderboardSchema,
  ),
} as const;

/** Deltas are batched (~25 ms); `text` is the new chunk, `stats` a live estimate measured in main. */
export const compareEvents = {
  'compare.delta': z.object({
    sessionId: z.string(),
    slot: z.number().int(),
    text: z.string(),
    stats: z.object({ elapsedMs: z.number(), ttftMs: z.number().nullable(), deltas: z.number().int() }),
  }),
  'compare.done': z.object({
    sessionId: z.string(),
    slot: z.number().int(),
    status: CompareSlotStatusSchema,
    text: z.string(),
    metrics: SlotMetricsSchema,
  }),
} as const;
