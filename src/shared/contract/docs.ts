import { z } from 'zod';
import { route } from './route';

/** The file types a collection accepts, by what parses them (not by extension alone). */
export const DocumentKindSchema = z.enum(['pdf', 'docx', 'markdown', 'html', 'text', 'csv']);
export type DocumentKind = z.infer<typeof DocumentKindSchema>;

/** queued → parsing → (embedding) → ready, or failed with a reason at any step. */
export const DocumentStatusSchema = z.enum(['queued', 'parsing', 'embedding', 'ready', 'failed']);
export type DocumentStatus = z.infer<typeof DocumentStatusSchema>;

export const SearchModeSchema = z.enum(['keyword', 'vector', 'hybrid']);
export type SearchMode = z.infer<typeof SearchModeSchema>;

export const CollectionSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The local model that embeds this collection's chunks; null means keyword search only. */
  embeddingModel: z.string().nullable(),
  /** Target chunk length in characters, and how many characters consecutive chunks share. */
  chunkSize: z.number().int(),
  chunkOverlap: z.number().int(),
  createdAt: z.string(),
  documents: z.number().int(),
  chunks: z.number().int(),
  failed: z.number().int(),
});
export type Collection = z.infer<typeof CollectionSchema>;

export const DocumentInfoSchema = z.object({
  id: z.number().int(),
  collectionId: z.number().int(),
  path: z.string(),
  name: z.string(),
  kind: DocumentKindSchema,
  sizeBytes: z.number().int(),
  sha256: z.string().nullable(),
  status: DocumentStatusSchema,
  /** Why the file failed, in words a user can act on; null unless failed. */
  reason: z.string().nullable(),
  pages: z.number().int().nullable(),
  chunks: z.number().int(),
  addedAt: z.string(),
  indexedAt: z.string().nullable(),
  /** While embedding: how many of its chunks have a vector so far (progress events only). */
  embeddedChunks: z.number().int().optional(),
});
export type DocumentInfo = z.infer<typeof DocumentInfoSchema>;

/** One retrieved passage with where it came from and why it ranked. */
export const SearchHitSchema = z.object({
  chunkId: z.number().int(),
  documentId: z.number().int(),
  fileName: z.string(),
  path: z.string(),
  page: z.number().int().nullable(),
  heading: z.string().nullable(),
  charStart: z.number().int(),
  charEnd: z.number().int(),
  text: z.string(),
  /** Higher is better in every mode: -bm25 for keyword, 1 - cosine distance for vector, RRF for hybrid. */
  score: z.number(),
  keywordRank: z.number().int().nullable(),
  vectorRank: z.number().int().nullable(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResultSchema = z.object({
  collection: z.string(),
  query: z.string(),
  mode: SearchModeSchema,
  k: z.number().int(),
  hits: z.array(SearchHitSchema),
  /** Set when the mode asked for could not run as asked (e.g. no embedding model: keyword only). */
  note: z.string().nullable(),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

export const IngestJobSchema = z.object({
  jobId: z.string(),
  collectionId: z.number().int(),
  state: z.enum(['running', 'done', 'cancelled']),
  filesTotal: z.number().int(),
  filesDone: z.number().int(),
  /** Files whose content hash matched what is already indexed. */
  skipped: z.number().int(),
  failed: z.number().int(),
});
export type IngestJob = z.infer<typeof IngestJobSchema>;

/** A passage as the model saw it: `n` is the number it was cited by ([1], [2], ...). */
export const CitedPassageSchema = SearchHitSchema.extend({ n: z.number().int(), collection: z.string() });
export type CitedPassage = z.infer<typeof CitedPassageSchema>;

/** "What the model saw" for one answer from document collections. */
export const RetrievalRecordSchema = z.object({
  messageId: z.string(),
  conversationId: z.string(),
  collections: z.array(z.string()),
  query: z.string(),
  mode: SearchModeSchema,
  k: z.number().int(),
  passages: z.array(CitedPassageSchema),
  /** The messages sent to the model, passages included, before its chat template is applied. */
  prompt: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
  /** True when the model was not on this device (the passages left it; see the audit log). */
  remote: z.boolean(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type RetrievalRecord = z.infer<typeof RetrievalRecordSchema>;

export const ChatCollectionsSchema = z.object({
  conversationId: z.string(),
  collections: z.array(z.string()),
  /** Set once the user agreed, for this conversation, to send passages to a model off this device. */
  remoteConfirmedAt: z.string().nullable(),
});
export type ChatCollections = z.infer<typeof ChatCollectionsSchema>;

export const ExpectedSourceSchema = z.object({ file: z.string().min(1), page: z.number().int().positive().nullable().optional() });
export type ExpectedSource = z.infer<typeof ExpectedSourceSchema>;

/** One retrieval setting's score over a suite's cases; null means not measured (shown as –). */
export const RetrievalMetricRowSchema = z.object({
  mode: SearchModeSchema,
  k: z.number().int(),
  chunkSize: z.number().int(),
  recall: z.number().nullable(),
  mrr: z.number().nullable(),
  cases: z.number().int(),
  note: z.string().nullable(),
});
export type RetrievalMetricRow = z.infer<typeof RetrievalMetricRowSchema>;

export const RetrievalCaseResultSchema = z.object({
  id: z.string(),
  mode: SearchModeSchema,
  chunkSize: z.number().int(),
  /** Rank of the first passage from an expected source, within the largest k; null when none. */
  firstRelevantRank: z.number().int().nullable(),
  top: z.array(z.object({ file: z.string(), page: z.number().int().nullable() })),
});
export type RetrievalCaseResult = z.infer<typeof RetrievalCaseResultSchema>;

const CollectionNameSchema = z
  .string()
  .trim()
  .min(1, 'give the collection a name')
  .max(80)
  .regex(/^[^/\\]+$/, 'a collection name cannot contain / or \\');

export const CreateCollectionInputSchema = z
  .object({
    name: CollectionNameSchema,
    embeddingModel: z.string().min(1).nullable().optional(),
    chunkSize: z.number().int().min(200).max(8000).optional(),
    chunkOverlap: z.number().int().min(0).max(2000).optional(),
  })
  .strict()
  .refine((v) => (v.chunkOverlap ?? 0) < (v.chunkSize ?? 1000), { message: 'the overlap must be smaller than the chunk size', path: ['chunkOverlap'] });

const CollectionRefSchema = z.object({ collection: z.string().trim().min(1, 'name a collection') });

export const docsRoutes = {
  'docs.collections.create': route(CreateCollectionInputSchema, CollectionSchema),
  'docs.collections.list': route(z.object({}).strict(), z.object({ collections: z.array(CollectionSchema) })),
  'docs.collections.remove': route(CollectionRefSchema.strict(), z.object({ removed: z.string() })),
  /**
   * Queues files and folders (folders recursively, supported types only) and indexes them in the
   * background; progress arrives as docs.progress / docs.job. With `wait`, resolves when done.
   */
  'docs.add': route(
    CollectionRefSchema.extend({ paths: z.array(z.string().min(1)).min(1, 'name at least one file or folder'), wait: z.boolean().optional() }).strict(),
    z.object({ job: IngestJobSchema, documents: z.array(DocumentInfoSchema) }),
  ),
  'docs.cancel': route(z.object({ jobId: z.string().min(1) }).strict(), z.object({ cancelled: z.boolean() })),
  'docs.jobs.list': route(z.object({}).strict(), z.object({ jobs: z.array(IngestJobSchema) })),
  'docs.files.list': route(CollectionRefSchema.strict(), z.object({ documents: z.array(DocumentInfoSchema) })),
  'docs.files.remove': route(
    CollectionRefSchema.extend({ documentIds: z.array(z.number().int()).min(1) }).strict(),
    z.object({ removed: z.number().int() }),
  ),
  'docs.search': route(
    CollectionRefSchema.extend({
      query: z.string().trim().min(1, 'type something to search for').max(4000),
      k: z.number().int().min(1).max(100).default(5),
      mode: SearchModeSchema.default('hybrid'),
    }).strict(),
    SearchResultSchema,
  ),
  /** The collections a conversation answers from (replaces the list; empty detaches all). */
  'docs.chat.set': route(z.object({ conversationId: z.string().min(1), collections: z.array(z.string().trim().min(1)) }).strict(), ChatCollectionsSchema),
  'docs.chat.get': route(z.object({ conversationId: z.string().min(1) }).strict(), ChatCollectionsSchema),
  /** The explicit per-conversation consent to send passages to a remote model. */
  'docs.chat.confirmRemote': route(z.object({ conversationId: z.string().min(1) }).strict(), ChatCollectionsSchema),
  /** Numbered passages for a one-off prompt (`parity chat --collection`); a remote model needs allowRemote. */
  'docs.context': route(
    z
      .object({
        collections: z.array(z.string().trim().min(1)).min(1),
        query: z.string().min(1),
        modelRef: z.string().min(1),
        allowRemote: z.boolean().default(false),
        k: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
    z.object({
      collections: z.array(z.string()),
      system: z.string(),
      passages: z.array(CitedPassageSchema),
      mode: SearchModeSchema,
      k: z.number().int(),
      remote: z.boolean(),
      note: z.string().nullable(),
    }),
  ),
  /**
   * Retrieval quality on cases with expected sources: recall@k and MRR per mode, k and chunk size.
   * Other chunk sizes re-index the collection's files into a temporary collection, removed after.
   */
  'docs.evaluate': route(
    CollectionRefSchema.extend({
      cases: z.array(z.object({ id: z.string().optional(), query: z.string().min(1), expectedSources: z.array(ExpectedSourceSchema).min(1) })).min(1),
      ks: z.array(z.number().int().min(1).max(100)).min(1).default([1, 3, 5]),
      modes: z.array(SearchModeSchema).min(1).default(['keyword', 'vector', 'hybrid']),
      chunkSizes: z.array(z.number().int().min(200).max(8000)).optional(),
    }).strict(),
    z.object({ collection: z.string(), rows: z.array(RetrievalMetricRowSchema), cases: z.array(RetrievalCaseResultSchema) }),
  ),
  /** The same from a suite file on this machine (its `collection:` and `vars.expected_sources`), for the app. */
  'docs.evaluateSuite': route(
    z
      .object({
        suitePath: z.string().trim().min(1, 'give the path of a suite file'),
        collection: z.string().trim().min(1).optional(),
        ks: z.array(z.number().int().min(1).max(100)).min(1).default([1, 3, 5]),
        modes: z.array(SearchModeSchema).min(1).default(['keyword', 'vector', 'hybrid']),
        chunkSizes: z.array(z.number().int().min(200).max(8000)).optional(),
      })
      .strict(),
    z.object({ collection: z.string(), description: z.string().nullable(), caseCount: z.number().int(), rows: z.array(RetrievalMetricRowSchema), cases: z.array(RetrievalCaseResultSchema) }),
  ),
  'docs.retrievals.get': route(z.object({ messageId: z.string().min(1) }).strict(), z.object({ retrieval: RetrievalRecordSchema.nullable() })),
} as const;

export const docsEvents = {
  /** A file changed status (or its page/chunk counts grew). */
  'docs.progress': z.object({ jobId: z.string(), document: DocumentInfoSchema }),
  /** A background ingestion job started, advanced a file, or ended. */
  'docs.job': IngestJobSchema,
  /** Passages were retrieved for an answer that is about to stream. */
  'docs.retrieved': RetrievalRecordSchema,
} as const;
