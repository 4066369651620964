import type { FakeReply } from './FakeProviderServer';
import { sse, type WireEvent } from './sse';

/** Gemini streamGenerateContent?alt=sse: each event is a GenerateContentResponse; usage in usageMetadata. */
export function geminiStream(model: string, reply: FakeReply): WireEvent[] {
  // Gemini sends a function call whole (parsed `args`, never partial JSON), in a part of its own, after the text.
  const calls = (reply.toolCalls ?? []).map((c) => ({ functionCall: { name: c.name, args: JSON.parse(c.arguments) as unknown } }));
  const chunks: Array<Array<Record<string, unknown>>> = [...reply.chunks.map((text) => [{ text }]), ...(calls.length ? [calls] : [])];
  const last = chunks.length - 1;
  return chunks.map((parts, i) =>
    sse(
      {
        candidates: [{ content: { parts, role: 'model' }, ...(i === last ? { finishReason: 'STOP' } : {}), index: 0 }],
        usageMetadata:
          i === last
            ? { promptTokenCount: reply.usage.input, candidatesTokenCount: reply.usage.output, totalTokenCount: reply.usage.input + reply.usage.output, cachedContentTokenCount: reply.usage.cached }
            : { promptTokenCount: reply.usage.input, totalTokenCount: reply.usage.input },
        modelVersion: model,
        responseId: 'fakeResponseId',
      },
      undefined,
      'text' in parts[0]!,
    ),
  );
}

export function geminiError(kind: string, model: string): { status: number; body: unknown } {
  const err = (code: number, status: string, message: string, details?: unknown[]) => ({ error: { code, message, status, ...(details ? { details } : {}) } });
  switch (kind) {
    case 'auth':
      return {
        status: 400,
        body: err(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
        ]),
      };
    case 'model':
      return { status: 404, body: err(404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for generateContent.`) };
    case '429':
      return { status: 429, body: err(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.') };
    case '503':
      return { status: 503, body: err(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.') };
    default:
      return { status: 500, body: err(500, 'INTERNAL', 'An internal error has occurred.') };
  }
}
