import { createAnthropic } from '@ai-sdk/anthropic';
import type { LanguageModel } from 'ai';
import { z } from 'zod';
import type { FetchLike } from '../../egress/EgressGateway';
import type { ProviderModelInfo, StreamOptions } from '../ModelProvider';
import { CloudProvider } from '../remote/CloudProvider';

const ModelListSchema = z.object({ data: z.array(z.object({ id: z.string(), display_name: z.string().optional() })) });

/** Anthropic's Messages API through `@ai-sdk/anthropic`. */
export class AnthropicProvider extends CloudProvider {
  readonly id = 'anthropic' as const;

  protected createModel(model: string, settings: { apiKey: string; baseURL: string; fetch: FetchLike }): LanguageModel {
    return createAnthropic(settings)(model);
  }

  async listModels(options: StreamOptions = {}): Promise<ProviderModelInfo[]> {
    const target = this.target('');
    const headers = { 'x-api-key': target.key ?? '', 'anthropic-version': '2023-06-01' };
    const body = ModelListSchema.parse(await this.getJson(target, '/models', headers, options.signal));
    return body.data.map((m) => ({ ref: `anthropic:${m.id}`, name: m.display_name ?? m.id }));
  }
}
