import type { IncomingMessage, ServerResponse } from 'node:http';
import { endpointKey, isLocal } from '../../../shared/domain/modelRef';
import type { ApiKeyService } from '../../core/api/ApiKeyService';
import type { ApiRequestLog } from '../../core/api/ApiRequestLog';
import type { ModelQueue } from '../../core/api/ModelQueue';
import type { EventBus } from '../../core/events/EventBus';
import { BodyTooLargeError, readBody } from '../HttpTransport';
import type { Router } from '../Router';
import { apiClient, type ApiClient } from './apiClient';
import { planChat, runChat, writeJson } from './chatCompletions';
import { runEmbeddings } from './embeddings';
import { badRequest, OpenAiHttpError, toOpenAiError } from './openAiErrors';

export interface OpenAiApiOptions {
  router: Pick<Router, 'handle'>;
  /** The app's events: a `chat.complete` answer streams as `chat.complete.delta`. */
  events: Pick<EventBus, 'on'>;
  /** Who may call: key checks are the transport's, like the serve UI's token. */
  keys: ApiKeyService;
  log: ApiRequestLog;
  queue: ModelQueue;
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

interface ApiModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** What one request contributes to the live log; filled in as the request proceeds. */
interface LogDraft {
  keyName: string | null;
  keyId: string | null;
  endpoint: string;
  model: string | null;
  local: boolean | null;
  stream: boolean;
  promptTokens: number | null;
  completionTokens: number | null;
  ttftMs: number | null;
  status: number;
  error: string | null;
}

/**
 * The OpenAI-compatible API (`/v1/models`, `/v1/chat/completions`, `/v1/embeddings`): one more thin
 * transport over the router. Listing, chat (`chat.complete`, the route `parity chat` uses) and
 * embeddings (`embeddings.create`) are routes; what stays here is OpenAI's wire shape, API keys,
 * the request log and each model's bounded queue. Mounted under `/v1` by HttpTransport (serve) and
 * ApiListener (the desktop app's own port).
 */
export class OpenAiApi {
  readonly #o: OpenAiApiOptions;
  readonly #client: ApiClient;

  constructor(options: OpenAiApiOptions) {
    this.#o = options;
    this.#client = apiClient(options.router, options.events);
  }

  /** `path` is what follows `/v1` (`/chat/completions`). Never throws: every failure is an answer. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const started = performance.now();
    const draft: LogDraft = { keyName: null, keyId: null, endpoint: path || '/', model: null, local: null, stream: false, promptTokens: null, completionTokens: null, ttftMs: null, status: 200, error: null };
    // The id of this request's log entry: clients (the openai SDKs' `_request_id`) can quote it.
    const requestId = this.#o.log.newId();
    res.setHeader('x-request-id', requestId);
    const controller = new AbortController();
    // A client that goes away stops its generation at once and frees its sequence.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const auth = req.headers.authorization ?? '';
      const key = this.#o.keys.verify(auth.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : null);
      if (!key) {
        throw new OpenAiHttpError(401, 'Missing or invalid API key. Create one in Settings → API or with `parity api-keys create`, and send it as `Authorization: Bearer <key>`.', 'authentication_error', 'invalid_api_key');
      }
      draft.keyName = key.name;
      draft.keyId = key.id;
      await this.#dispatch(req, res, path, draft, { signal: controller.signal, started, requestId });
    } catch (error) {
      const e = toOpenAiError(error);
      draft.status = controller.signal.aborted ? 499 : e.status;
      draft.error = e.message;
      writeJson(res, e.status, e.body(), e.headers);
    } finally {
      if (controller.signal.aborted && draft.status < 400) draft.status = 499;
      if (draft.endpoint !== '/models' || draft.status >= 400) this.#o.log.record({ ...draft, id: requestId, totalMs: performance.now() - started });
    }
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse, path: string, draft: LogDraft, { signal, started, requestId }: { signal: AbortSignal; started: number; requestId: string }): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === '/models' || path.startsWith('/models/')) {
      draft.endpoint = '/models';
      if (method !== 'GET') throw new OpenAiHttpError(405, 'Use GET for /v1/models.', 'invalid_request_error', 'method_not_allowed');
      const models = await this.#models(signal);
      if (path === '/models') return writeJson(res, 200, { object: 'list', data: models });
      let id: string;
      try {
        id = decodeURIComponent(path.slice('/models/'.length));
      } catch {
        throw badRequest('The model id in the path is not valid percent-encoding.', 'model');
      }
      const model = models.find((m) => m.id === id);
      if (!model) throw new OpenAiHttpError(404, `The model "${id}" does not exist here. GET /v1/models lists the ones Parity can run.`, 'not_found_error', 'model_not_found', 'model');
      return writeJson(res, 200, model);
    }
    if (path !== '/chat/completions' && path !== '/embeddings') {
      throw new OpenAiHttpError(404, `Unknown endpoint ${method} /v1${path}. Parity serves /v1/models, /v1/chat/completions and /v1/embeddings.`, 'invalid_request_error', 'unknown_url');
    }
    if (method !== 'POST') throw new OpenAiHttpError(405, `Use POST for /v1${path}.`, 'invalid_request_error', 'method_not_allowed');
    const body = await this.#body(req);
    // Named in the log even when the request is refused below.
    const fields = typeof body === 'object' && body !== null ? (body as { model?: unknown; stream?: unknown }) : {};
    draft.model = typeof fields.model === 'string' ? fields.model : null;
    draft.stream = fields.stream === true;
    if (path === '/embeddings') {
      draft.local = draft.model ? isLocal(draft.model) : null;
      const done = await runEmbeddings(body, res, { client: this.#client, queue: this.#o.queue }, signal);
      draft.promptTokens = done.promptTokens;
      return;
    }
    const plan = planChat(body);
    draft.model = plan.ref;
    draft.local = await this.#onDevice(plan.ref, signal);
    draft.stream = plan.stream;
    const outcome = await runChat(plan, res, { client: this.#client, queue: this.#o.queue }, { signal, requestId });
    draft.promptTokens = outcome.metrics?.promptTokens ?? null;
    draft.completionTokens = outcome.metrics?.completionTokens ?? null;
    draft.ttftMs = outcome.firstTokenAt === null ? null : outcome.firstTokenAt - started;
    if (outcome.aborted) draft.status = 499;
    if (outcome.streamError) {
      draft.status = outcome.streamError.status;
      draft.error = outcome.streamError.message;
    }
  }

  /** Whether the prompt stays on this device (local: and any other on-device provider); null for an unknown provider. */
  async #onDevice(ref: string, signal: AbortSignal): Promise<boolean | null> {
    try {
      return (await this.#client.call('providers.destination', { ref }, { signal })).host === null;
    } catch {
      return null;
    }
  }

  async #body(req: IncomingMessage): Promise<unknown> {
    let text: string;
    try {
      text = await readBody(req, this.#o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        throw new OpenAiHttpError(413, `The request body is larger than the ${error.limit} byte limit. Send less at once.`, 'invalid_request_error', 'request_too_large', null, { Connection: 'close' });
      }
      throw error;
    }
    if (text.length === 0) throw badRequest('The request body is empty; send a JSON object.', null);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`, null, 'invalid_json');
    }
  }

  /** Every model this device runs, and each remote model whose provider is on and has a key. */
  async #models(signal: AbortSignal): Promise<ApiModel[]> {
    const [{ models }, { providers }] = await Promise.all([this.#client.call('providers.models', { refresh: false }, { signal }), this.#client.call('providers.list', {}, { signal })]);
    const usable = new Set(providers.filter((p) => p.enabled && (p.key.keySet || p.kind !== 'cloud')).map((p) => p.id));
    return models
      .filter((m) => m.local || usable.has(endpointKey(m.ref)))
      .map((m) => ({ id: m.ref, object: 'model' as const, created: 0, owned_by: m.local ? 'parity-local' : m.provider }));
  }
}
