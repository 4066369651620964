import { createAnthropic } from '@ai-sdk/anthropic';
import type { LanguageModel } from 'ai';
import { z } from 'zod';
import type { FetchLike } from '../../egress/EgressGateway';
import type { ProviderModelInfo, StreamOptions, StreamRequest } from '../ModelProvider';
import { format as formatRef } from '../../../../shared/domain/modelRef';
import { CloudProvider } from '../base/CloudProvider';

const ModelListSchema = z.object({ data: z.array(z.object({ id: z.string(), display_name: z.string().optional() })) });

/** Anthropic's Messages API through `@ai-sdk/anthropic`. */
export class AnthropicProvider extends CloudProvider {
  protected createModel(model: string, settings: { apiKey: string; baseURL: string; fetch: FetchLike }): LanguageModel {
    return createAnthropic(settings)(model);
  }

  /** The Messages API has no schema-less JSON mode (the SDK would drop it and answer in plain text). */
  protected override unsupportedStructure(params: StreamRequest['params']): [string, string] | null {
    return params.responseFormat === 'json' ? ['responseFormat', 'Anthropic has no schema-less JSON mode: give a JSON Schema instead'] : null;
  }

  async listModels(options: StreamOptions = {}): Promise<ProviderModelInfo[]> {
    const target = this.target('');
    const headers = { 'x-api-key': target.key ?? '', 'anthropic-version': '2023-06-01' };
    const body = ModelListSchema.parse(await this.getJson(target, '/models', headers, options.signal));
    return body.data.map((m) => ({ ref: formatRef(this.id, m.id), name: m.display_name ?? m.id }));
  }
}
