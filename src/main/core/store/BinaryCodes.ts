/** Bits set in each 16-bit value: two lookups count a 32-bit word. */
const POPCOUNT16 = (() => {
  const t = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) t[i] = t[i >> 1]! + (i & 1);
  return t;
})();

/**
 * The sign-bit codes of one collection's vectors, held in memory for the coarse pass of vector
 * search. SQLite can rank the codes itself (`ORDER BY vec_distance_hamming(...) LIMIT n`), but its
 * two function calls a row cost about 13 ms at 100,000 × 384 bits on these cores; XOR and a table
 * popcount over typed arrays take about 2 ms. 4.8 MB a 100,000 chunks at 384-d.
 */
export class BinaryCodes {
  readonly #ids: Float64Array;
  readonly #codes: Uint32Array;
  /** 32-bit words a code, rounded up (padding bits are zero in every code and in the query). */
  readonly #words: number;

  private constructor(ids: Float64Array, codes: Uint32Array, words: number) {
    this.#ids = ids;
    this.#codes = codes;
    this.#words = words;
  }

  /** [id, code] rows, codes as `vec_quantize_binary` packs them (dimension i in bit i % 8 of byte i / 8), all of one length. */
  static from(rows: ReadonlyArray<readonly [number, Uint8Array]>): BinaryCodes {
    const bytes = rows[0]?.[1].length ?? 0;
    const words = Math.ceil(bytes / 4);
    const ids = new Float64Array(rows.length);
    const codes = new Uint32Array(rows.length * words);
    const view = new Uint8Array(codes.buffer);
    rows.forEach(([id, bits], i) => {
      ids[i] = id;
      view.set(bits.subarray(0, bytes), i * words * 4);
    });
    return new BinaryCodes(ids, codes, words);
  }

  get size(): number {
    return this.#ids.length;
  }

  /**
   * The ids of the `count` codes nearest to `query` by Hamming distance, ties in the order the codes
   * were given (callers give them by id, so this equals `ORDER BY distance, id LIMIT count`).
   */
  nearest(query: Uint8Array, count: number): number[] {
    const n = this.#ids.length;
    const words = this.#words;
    const q = new Uint32Array(words);
    new Uint8Array(q.buffer).set(query.subarray(0, words * 4));
    const distance = new Uint16Array(n);
    const histogram = new Uint32Array(words * 32 + 1);
    const codes = this.#codes;
    for (let i = 0, o = 0; i < n; i++, o += words) {
      let d = 0;
      for (let w = 0; w < words; w++) {
        const x = codes[o + w]! ^ q[w]!;
        d += POPCOUNT16[x & 0xffff]! + POPCOUNT16[x >>> 16]!;
      }
      distance[i] = d;
      histogram[d]!++;
    }
    // The distance at which the count is reached: everything nearer is in, then ties in order.
    let cut = 0;
    for (let taken = 0; cut < histogram.length && taken + histogram[cut]! < count; cut++) taken += histogram[cut]!;
    const out: number[] = [];
    for (let i = 0; i < n && out.length < count; i++) if (distance[i]! < cut) out.push(this.#ids[i]!);
    for (let i = 0; i < n && out.length < count; i++) if (distance[i] === cut) out.push(this.#ids[i]!);
    return out;
  }
}
