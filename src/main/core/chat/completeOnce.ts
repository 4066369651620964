import { randomInt } from 'node:crypto';
import type { ChatCompleteOutput, ChatCompleteRequest, CompleteSampling } from '../../../shared/contract/chat';
import type { SamplingParams } from '../../../shared/domain/generation';
import { MAX_SEED, chatFillSampling, chatParams } from '../../../shared/domain/generationDefaults';
import { LOCAL_PROVIDER, localId, localRef, parse } from '../../../shared/domain/modelRef';
import type { EventBus } from '../events/EventBus';
import { consumeBatched } from '../generation/consumeBatched';
import type { GenerationService } from '../generation/GenerationService';
import type { LocalModelResolver } from '../models/LocalModelResolver';
import { looksLikePath } from '../models/libraryFiles';
import type { ProviderRegistry } from '../providers/ProviderRegistry';

export interface CompleteOnceDeps {
  generation: GenerationService;
  providers: ProviderRegistry;
  library: LocalModelResolver & { waitForHash(id: string): Promise<string | null> };
  bus: EventBus;
  /** How long deltas gather before one `chat.complete.delta` (as for a conversation's answer). */
  batchMs?: number;
}

export type CompleteOnceInput = ChatCompleteRequest;

/** OpenAI's default when a request leaves temperature unset; only local models need it filled (a remote one has it as its own default). */
export const OPENAI_DEFAULT_TEMPERATURE = 1;

/** What fills the sampling left unset, under the model file's recommendation and the caller's own values. */
function fillSampling(sampling: CompleteSampling, remote: boolean, freshSeed: number): SamplingParams | undefined {
  if (sampling === 'chat') return chatFillSampling(freshSeed);
  return remote ? undefined : { temperature: OPENAI_DEFAULT_TEMPERATURE, seed: freshSeed };
}

/**
 * One streamed answer to the caller's messages, nothing stored: what `parity chat` and the
 * OpenAI-compatible API do, with a chat's defaults (the API asks for OpenAI's sampling fill).
 * Anything that is not a registered remote provider's ref is a library model (an id, a `local:`
 * ref or a path), so a Windows path's drive letter is not mistaken for a provider.
 */
export async function completeOnce(deps: CompleteOnceDeps, input: CompleteOnceInput, { signal }: { signal?: AbortSignal } = {}): Promise<ChatCompleteOutput> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Remote providers and routes (the data policy's `route:<name>`) are registered; a library model is not.
    const prefix = parse(input.model).provider;
    const provider = deps.providers.get(prefix);
    // Library ids never hold a colon, so `nosuch:model` (not a path) names a provider that does not
    // exist: say that, rather than that no library model has that id.
    if (provider === undefined && prefix !== '' && !looksLikePath(input.model)) deps.providers.resolve(input.model);
    const remote = provider !== undefined && provider.id !== LOCAL_PROVIDER;
    let ref = input.model;
    let id = input.model;
    let sha256: Promise<string | null> = Promise.resolve(null);
    if (!remote) {
      const resolved = await deps.library.resolve(localId(input.model), { importIfMissing: input.importIfMissing, signal: controller.signal });
      id = resolved.id;
      ref = localRef(resolved.id);
      // Started now, so a just-linked file hashes while the answer streams.
      sha256 = resolved.sha256 ? Promise.resolve(resolved.sha256) : input.waitForSha256 ? deps.library.waitForHash(resolved.id).catch(() => null) : Promise.resolve(null);
    }
    const stream = deps.generation.stream(ref, input.messages, chatParams(input.params), {
      signal: controller.signal,
      fillSampling: fillSampling(input.sampling, remote, randomInt(0, MAX_SEED)),
      sequences: remote ? undefined : input.sequences,
    });
    const { text, metrics } = await consumeBatched(stream, {
      ref,
      signal: controller.signal,
      batchMs: deps.batchMs ?? 24,
      immediateFirst: true,
      onBatch: (chunk) => deps.bus.emit('chat.complete.delta', { requestId: input.requestId, text: chunk }),
    });
    return { text, model: { id, ref, sha256: metrics.modelSha256 ?? (await sha256) }, metrics };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
