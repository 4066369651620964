import { createGoogleGenerativeAI } from '@ai-sdk/google';
import type { LanguageModel } from 'ai';
import { z } from 'zod';
import type { FetchLike } from '../../egress/EgressGateway';
import type { ProviderModelInfo, StreamOptions } from '../ModelProvider';
import { format as formatRef } from '../../../../shared/domain/modelRef';
import { CloudProvider } from '../base/CloudProvider';

const ModelListSchema = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      displayName: z.string().optional(),
      inputTokenLimit: z.number().optional(),
      supportedGenerationMethods: z.array(z.string()).optional(),
    }),
  ),
});

/** Gemini's generateContent API (streamGenerateContent?alt=sse) through `@ai-sdk/google`. */
export class GoogleProvider extends CloudProvider {
  protected createModel(model: string, settings: { apiKey: string; baseURL: string; fetch: FetchLike }): LanguageModel {
    return createGoogleGenerativeAI(settings)(model);
  }

  async listModels(options: StreamOptions = {}): Promise<ProviderModelInfo[]> {
    const target = this.target('');
    const body = ModelListSchema.parse(await this.getJson(target, '/models', { 'x-goog-api-key': target.key ?? '' }, options.signal));
    return body.models
      .filter((m) => !m.supportedGenerationMethods || m.supportedGenerationMethods.includes('generateContent'))
      .map((m) => {
        const id = m.name.replace(/^models\//, '');
        return { ref: formatRef(this.id, id), name: m.displayName ?? id, contextLength: m.inputTokenLimit ?? null };
      });
  }
}
