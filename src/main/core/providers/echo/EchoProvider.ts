import { emptyMetrics, type ChatMessage } from '../../../../shared/domain/generation';
import type { ModelProvider, ProviderCapabilities, ProviderModelInfo, StreamEvent, StreamRequest, StreamOptions } from '../ModelProvider';

/**
 * promptfoo's built-in `echo` provider: the answer is the prompt itself, as promptfoo renders it
 * (a plain prompt's text; a chat as its JSON array). Suites use it to test templates and
 * assertions without a model; nothing leaves the machine.
 */
export class EchoProvider implements ModelProvider {
  readonly id = 'echo';
  readonly capabilities: ProviderCapabilities = { local: true, streaming: true, listModels: false, seed: true, defaultConcurrency: 8 };

  /**
   * Not offered in model pickers: listed, it became the first "on this device" model and so the
   * default of Chat and Compare, and hid the empty state that leads a new user to the Models page.
   * Suites and the CLI name `echo:echo` explicitly.
   */
  async listModels(): Promise<ProviderModelInfo[]> {
    return [];
  }

  destination(): string | null {
    return null;
  }

  async *stream(request: StreamRequest, options: StreamOptions = {}): AsyncIterable<StreamEvent> {
    const started = performance.now();
    const text = echoText(request.messages);
    const aborted = options.signal?.aborted === true;
    if (!aborted) yield { type: 'delta', text };
    const metrics = { ...emptyMetrics('echo', request.model), totalMs: performance.now() - started, ttftMs: 0, stopReason: aborted ? ('aborted' as const) : ('eos' as const) };
    yield { type: 'done', text: aborted ? '' : text, metrics };
  }
}

export function echoText(messages: readonly ChatMessage[]): string {
  const only = messages.length === 1 && messages[0]!.role === 'user' ? messages[0] : null;
  return only ? only.content : JSON.stringify(messages);
}
