import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { z } from 'zod';
import { COMPAT_PROVIDER, compatEndpointKey, compatModelParts, compatRef } from '../../../../shared/domain/modelRef';
import { AppError } from '../../../../shared/errors';
import type { EgressGateway } from '../../egress/EgressGateway';
import type { ProviderModelInfo, StreamOptions } from '../ModelProvider';
import { AiSdkProvider, hostOf, type RemoteTarget } from '../base/AiSdkProvider';
import type { ProviderConfig } from '../service/ProviderConfig';

const ModelListSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

export interface CompatProviderOptions {
  gateway: EgressGateway;
  config: ProviderConfig;
}

/** `compat:<endpoint>/<model>` → the endpoint name and the server's own model id (which may contain `/`). */
export function splitCompatModel(model: string): { endpoint: string; model: string } {
  const parts = compatModelParts(model);
  if (!parts) {
    throw new AppError('VALIDATION_FAILED', `"${COMPAT_PROVIDER}:${model}" must look like compat:<endpoint-name>/<model>, e.g. compat:ollama/llama3.2.`, { model });
  }
  return parts;
}

/** Every OpenAI-compatible server (vLLM, llama.cpp, Ollama, LM Studio, Groq, ...) via chat completions. */
export class CompatProvider extends AiSdkProvider {
  readonly id = COMPAT_PROVIDER;
  readonly #config: ProviderConfig;

  constructor(options: CompatProviderOptions) {
    super(options.gateway);
    this.#config = options.config;
  }

  destination(model: string): string | null {
    return hostOf(this.#config.endpoint(splitCompatModel(model).endpoint).baseUrl);
  }

  knownModels(): ProviderModelInfo[] {
    return this.#config.endpoints().flatMap((e) => e.models.map((m) => ({ ref: compatRef(e.name, m), name: `${m} (${e.name})` })));
  }

  protected target(model: string): RemoteTarget {
    const split = splitCompatModel(model);
    const endpoint = this.#config.endpoint(split.endpoint);
    const egressId = compatEndpointKey(endpoint.name);
    // Local servers need no key; a missing key is only an error if the server says so (401).
    const apiKey = this.#config.vault.get(egressId, endpoint.keyEnv);
    return {
      egressId,
      label: `endpoint "${endpoint.name}"`,
      model: split.model,
      host: hostOf(endpoint.baseUrl),
      baseUrl: endpoint.baseUrl,
      keyHint: `Settings → Providers → ${endpoint.name}${endpoint.keyEnv ? ` (or ${endpoint.keyEnv})` : ''}`,
      key: apiKey,
      // Schemas go out as json_schema; a server without it answers 400, which becomes "unsupported by" this endpoint.
      create: (fetch) =>
        createOpenAICompatible({ name: endpoint.name, baseURL: endpoint.baseUrl, apiKey: apiKey ?? undefined, fetch, includeUsage: true, supportsStructuredOutputs: true }).chatModel(split.model),
    };
  }

  override async *stream(...args: Parameters<AiSdkProvider['stream']>): ReturnType<AiSdkProvider['stream']> {
    const [request, options] = args;
    // The model id in metrics keeps the endpoint so refs round-trip (`compat:<endpoint>/<model>`).
    for await (const event of super.stream(request, options)) {
      if (event.type === 'done') event.metrics.model = request.model;
      yield event;
    }
  }

  /** Lists every endpoint's models (or one endpoint's when `endpoint` is given). */
  async listModels(options: StreamOptions & { endpoint?: string } = {}): Promise<ProviderModelInfo[]> {
    const endpoints = this.#config.endpoints().filter((e) => !options.endpoint || e.name === options.endpoint);
    const out: ProviderModelInfo[] = [];
    for (const e of endpoints) {
      const target = this.target(`${e.name}/_`);
      const headers: Record<string, string> = target.key ? { Authorization: `Bearer ${target.key}` } : {};
      const body = ModelListSchema.parse(await this.getJson(target, '/models', headers, options.signal));
      out.push(...body.data.map((m) => ({ ref: compatRef(e.name, m.id), name: `${m.id} (${e.name})` })));
    }
    return out;
  }
}
