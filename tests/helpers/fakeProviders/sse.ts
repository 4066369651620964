/** One SSE event as written on the wire; `text` marks events that carry answer text. */
export interface WireEvent {
  raw: string;
  text: boolean;
}

export function sse(data: unknown, event?: string, text = false): WireEvent {
  return { raw: `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`, text };
}
