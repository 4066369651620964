/**
 * Puts the original values back in place of their placeholders in a streamed answer. A
 * placeholder may arrive split across deltas (`[EMA` + `IL_1]`), so a tail that could still
 * become one is held back until the next delta or `flush()`.
 */
export class PlaceholderRestorer {
  readonly #originals: ReadonlyMap<string, string>;
  readonly #placeholders: string[];
  #pending = '';

  constructor(originals: ReadonlyMap<string, string>) {
    this.#originals = originals;
    this.#placeholders = [...originals.keys()];
  }

  /** Text that is safe to show now. */
  push(delta: string): string {
    let buf = this.#pending + delta;
    let out = '';
    for (;;) {
      const open = buf.indexOf('[');
      if (open < 0) {
        out += buf;
        buf = '';
        break;
      }
      out += buf.slice(0, open);
      buf = buf.slice(open);
      const whole = this.#placeholders.find((p) => buf.startsWith(p));
      if (whole) {
        out += this.#originals.get(whole)!;
        buf = buf.slice(whole.length);
        continue;
      }
      // Could still grow into a placeholder: wait for more.
      if (this.#placeholders.some((p) => p.startsWith(buf))) break;
      out += '[';
      buf = buf.slice(1);
    }
    this.#pending = buf;
    return out;
  }

  /** The held-back tail, once the stream has ended (it never became a placeholder). */
  flush(): string {
    const rest = this.#pending;
    this.#pending = '';
    return rest;
  }

  /**
   * Restores every string inside parsed JSON (a tool call's arguments), keys included: a property
   * name redacted in the tool's schema comes back as the placeholder the model was shown.
   */
  static restoreDeep(originals: ReadonlyMap<string, string>, value: unknown): unknown {
    if (originals.size === 0) return value;
    if (typeof value === 'string') return PlaceholderRestorer.restore(originals, value);
    if (Array.isArray(value)) return value.map((v) => PlaceholderRestorer.restoreDeep(originals, v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [PlaceholderRestorer.restore(originals, k), PlaceholderRestorer.restoreDeep(originals, v)]));
    }
    return value;
  }

  /** The same inside JSON text (a tool call's raw arguments), where a value must be escaped to stay valid JSON. */
  static restoreJsonText(originals: ReadonlyMap<string, string>, text: string): string {
    const escaped = new Map([...originals].map(([placeholder, value]) => [placeholder, JSON.stringify(value).slice(1, -1)]));
    return PlaceholderRestorer.restore(escaped, text);
  }

  /** The same substitution on a whole text, so the final answer equals the streamed deltas joined. */
  static restore(originals: ReadonlyMap<string, string>, text: string): string {
    if (originals.size === 0) return text;
    const r = new PlaceholderRestorer(originals);
    return r.push(text) + r.flush();
  }
}
