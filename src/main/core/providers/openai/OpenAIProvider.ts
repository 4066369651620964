import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModel } from 'ai';
import { z } from 'zod';
import type { FetchLike } from '../../egress/EgressGateway';
import type { ProviderModelInfo, StreamOptions } from '../ModelProvider';
import { format as formatRef } from '../../../../shared/domain/modelRef';
import { CloudProvider } from '../base/CloudProvider';

const ModelListSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

/** OpenAI through `@ai-sdk/openai`, whose default language model speaks the Responses API. */
export class OpenAIProvider extends CloudProvider {
  protected createModel(model: string, settings: { apiKey: string; baseURL: string; fetch: FetchLike }): LanguageModel {
    return createOpenAI(settings)(model);
  }

  async listModels(options: StreamOptions = {}): Promise<ProviderModelInfo[]> {
    const target = this.target('');
    const body = ModelListSchema.parse(await this.getJson(target, '/models', { Authorization: `Bearer ${target.key}` }, options.signal));
    return body.data.map((m) => ({ ref: formatRef(this.id, m.id), name: m.id })).sort((a, b) => a.name.localeCompare(b.name));
  }
}
