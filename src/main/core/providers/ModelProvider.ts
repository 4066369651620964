import type { ChatMessage, GenerationMetrics, GenerationParams, SamplingParams } from '../../../shared/domain/generation';

export interface ProviderCapabilities {
  /** Runs on this device: nothing leaves the machine. */
  local: boolean;
  streaming: boolean;
  listModels: boolean;
  seed: boolean;
  /** How many requests of this provider may run at once by default (evals, compare). */
  defaultConcurrency: number;
}

export interface ProviderModelInfo {
  /** Full ref, e.g. `openai:gpt-4o-mini` or `local:<id>`. */
  ref: string;
  name: string;
  contextLength?: number | null;
}

export interface StreamRequest {
  /** The model part of the ref (after `provider:`). */
  model: string;
  messages: ChatMessage[];
  params: GenerationParams;
}

export interface StreamOptions {
  signal?: AbortSignal;
  /**
   * How many generations on this model will run at once (evals pass their concurrency), so a
   * local model can batch them in one context. A throughput hint: it never changes the answer.
   */
  sequences?: number;
  /**
   * One independent answer whose state nothing continues from (an eval cell). A local model may then
   * run it as a plain completion of the prompt its chat template renders: the same tokens and sampling,
   * less per-token work. Like `sequences`, it never changes what is sent.
   */
  oneShot?: boolean;
  /**
   * Remote providers send their HTTP through this (GenerationService passes one egress call per
   * attempt so the audit row carries bytes, status and tokens). Local providers ignore it.
   */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

export type StreamEvent =
  | { type: 'delta'; text: string }
  /** Always the last event, also after a stop or a mid-stream failure (then with metrics.error). */
  | { type: 'done'; text: string; metrics: GenerationMetrics; usageDetail?: UsageDetail };

/** Usage facts GenerationMetrics does not carry but cost needs (cached prompt tokens are cheaper). */
export interface UsageDetail {
  cachedPromptTokens?: number | null;
}

/**
 * One interface for every model source, the local engine included. `stream` never throws after
 * its first delta: a failure midway ends with a `done` whose stopReason is 'error' and whose text
 * holds the partial answer. Before the first delta it may throw an AppError (bad key, offline...).
 */
export interface ModelProvider {
  readonly id: string;
  readonly capabilities: ProviderCapabilities;
  listModels(options?: StreamOptions): Promise<ProviderModelInfo[]>;
  /** Where a prompt to this model goes: null for this device, else the host. */
  destination(model: string): string | null;
  stream(request: StreamRequest, options?: StreamOptions): AsyncIterable<StreamEvent>;
  /** The sampling the model's publisher recommends (a GGUF's `general.sampling.*`), or null when it names none. */
  recommendedSampling?(model: string, options?: { signal?: AbortSignal }): Promise<SamplingParams | null>;
}
