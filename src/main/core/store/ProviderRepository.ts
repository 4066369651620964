import { z } from 'zod';
import type { Store } from './Store';

const SettingRowSchema = z.object({ provider: z.string(), enabled: z.number().int(), baseUrl: z.string().nullable() });
const EndpointRowSchema = z.object({ name: z.string(), baseUrl: z.string(), models: z.string(), preset: z.string().nullable() });
const PriceRowSchema = z.object({
  model: z.string(),
  inputPerMTok: z.number(),
  outputPerMTok: z.number(),
  cachedInputPerMTok: z.number().nullable(),
});

export interface ProviderSettingRow {
  provider: string;
  enabled: boolean;
  baseUrl: string | null;
}
export interface EndpointRow {
  name: string;
  baseUrl: string;
  models: string[];
  preset: string | null;
}
export type PriceOverrideRow = z.infer<typeof PriceRowSchema>;

/** Per-provider switches, OpenAI-compatible endpoints and user price overrides. */
export class ProviderRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  setting(provider: string): ProviderSettingRow | null {
    const row = this.#store.run(() =>
      this.#store.db.prepare('SELECT provider, enabled, base_url AS baseUrl FROM provider_settings WHERE provider = ?').get(provider),
    );
    if (row === undefined) return null;
    const parsed = SettingRowSchema.parse(row);
    return { provider: parsed.provider, enabled: parsed.enabled === 1, baseUrl: parsed.baseUrl };
  }

  setEnabled(provider: string, enabled: boolean): void {
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `INSERT INTO provider_settings (provider, enabled, updated_at) VALUES (?, ?, ?)
           ON CONFLICT(provider) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
        )
        .run(provider, enabled ? 1 : 0, new Date().toISOString()),
    );
  }

  endpoints(): EndpointRow[] {
    const rows = this.#store.run(() =>
      this.#store.db.prepare('SELECT name, base_url AS baseUrl, models, preset FROM provider_endpoints ORDER BY name').all(),
    );
    return rows.map((r) => {
      const row = EndpointRowSchema.parse(r);
      return { ...row, models: z.array(z.string()).catch([]).parse(JSON.parse(row.models)) };
    });
  }

  upsertEndpoint(row: EndpointRow): void {
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `INSERT INTO provider_endpoints (name, base_url, models, preset, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET base_url = excluded.base_url, models = excluded.models, preset = excluded.preset`,
        )
        .run(row.name, row.baseUrl, JSON.stringify(row.models), row.preset, new Date().toISOString()),
    );
  }

  removeEndpoint(name: string): boolean {
    return this.#store.run(() => this.#store.db.prepare('DELETE FROM provider_endpoints WHERE name = ?').run(name).changes > 0);
  }

  priceOverrides(): PriceOverrideRow[] {
    const rows = this.#store.run(() =>
      this.#store.db
        .prepare(
          `SELECT model, input_per_mtok AS inputPerMTok, output_per_mtok AS outputPerMTok, cached_input_per_mtok AS cachedInputPerMTok
           FROM price_overrides ORDER BY model`,
        )
        .all(),
    );
    return rows.map((r) => PriceRowSchema.parse(r));
  }

  setPriceOverride(row: PriceOverrideRow): void {
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `INSERT INTO price_overrides (model, input_per_mtok, output_per_mtok, cached_input_per_mtok, updated_at)
           VALUES (@model, @inputPerMTok, @outputPerMTok, @cachedInputPerMTok, @now)
           ON CONFLICT(model) DO UPDATE SET input_per_mtok = excluded.input_per_mtok, output_per_mtok = excluded.output_per_mtok,
             cached_input_per_mtok = excluded.cached_input_per_mtok, updated_at = excluded.updated_at`,
        )
        .run({ ...row, now: new Date().toISOString() }),
    );
  }

  removePriceOverride(model: string): void {
    this.#store.run(() => this.#store.db.prepare('DELETE FROM price_overrides WHERE model = ?').run(model));
  }
}
