import type { ServerResponse } from 'node:http';
import { isLocal } from '../../../shared/domain/modelRef';
import type { ModelQueue } from '../../core/api/ModelQueue';
import { checkParams, writeJson } from './chatCompletions';
import { badRequest, fromZod } from './openAiErrors';
import { EMBEDDINGS_KNOWN_PARAMS, EmbeddingsRequestSchema } from './openAiSchemas';
import type { ApiClient } from './apiClient';

export interface EmbeddingsDeps {
  client: ApiClient;
  queue: ModelQueue;
}

/** The official clients ask for base64 by default: little-endian float32, as OpenAI sends it. */
function base64Of(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

export async function runEmbeddings(raw: unknown, res: ServerResponse, deps: EmbeddingsDeps, signal: AbortSignal): Promise<{ ref: string; promptTokens: number }> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('The request body must be a JSON object.', null);
  checkParams(raw as Record<string, unknown>, EMBEDDINGS_KNOWN_PARAMS);
  const parsed = EmbeddingsRequestSchema.safeParse(raw);
  if (!parsed.success) throw fromZod(parsed.error);
  const body = parsed.data;
  if (!isLocal(body.model)) throw badRequest(`Embeddings come from models on this device; "${body.model}" is not one (use a local:<id> from GET /v1/models).`, 'model');
  const texts = typeof body.input === 'string' ? [body.input] : body.input;
  // One embedding context per model, so one request at a time on it; the queue bounds the wait.
  const release = await deps.queue.acquire(`${body.model}#embeddings`, signal);
  try {
    // The `embeddings.create` route: a library model only, loading a file by path is not offered over the API.
    const { vectors, promptTokens } = await deps.client.call('embeddings.create', { model: body.model, input: texts }, { signal });
    const base64 = body.encoding_format === 'base64';
    writeJson(res, 200, {
      object: 'list',
      data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: base64 ? base64Of(v) : v })),
      model: body.model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
    return { ref: body.model, promptTokens };
  } finally {
    release();
  }
}
