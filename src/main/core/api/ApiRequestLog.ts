import { randomUUID } from 'node:crypto';
import type { ApiRequestEntry } from '../../../shared/contract/api';
import type { EventBus } from '../events/EventBus';

const DEFAULT_CAPACITY = 200;

/**
 * The live log of recent API requests for Settings → API: kept in memory (newest first, bounded)
 * and pushed as `api.request` events. Durable evidence of what left the machine is the audit log.
 */
export class ApiRequestLog {
  readonly #entries: ApiRequestEntry[] = [];
  readonly #bus: EventBus;
  readonly #capacity: number;

  constructor(options: { bus: EventBus; capacity?: number }) {
    this.#bus = options.bus;
    this.#capacity = options.capacity ?? DEFAULT_CAPACITY;
  }

  /** A fresh id for a request, sent to the client as `x-request-id` before the entry is recorded. */
  newId(): string {
    return `req_${randomUUID().replaceAll('-', '')}`;
  }

  record(entry: Omit<ApiRequestEntry, 'id' | 'time'> & { id?: string; time?: string }): ApiRequestEntry {
    const full: ApiRequestEntry = { ...entry, id: entry.id ?? this.newId(), time: entry.time ?? new Date().toISOString() };
    this.#entries.unshift(full);
    if (this.#entries.length > this.#capacity) this.#entries.length = this.#capacity;
    this.#bus.emit('api.request', full);
    return full;
  }

  list(): ApiRequestEntry[] {
    return [...this.#entries];
  }
}
