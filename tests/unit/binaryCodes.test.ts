import { describe, expect, it } from 'vitest';
import { BinaryCodes } from '../../src/main/core/store/BinaryCodes';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function hamming(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) for (let x = a[i]! ^ b[i]!; x; x >>= 1) d += x & 1;
  return d;
}

describe('BinaryCodes.nearest', () => {
  // 5-byte codes (not a whole number of 32-bit words) and few bits, so many codes tie at the cut-off.
  for (const bytes of [5, 48]) {
    it(`returns what ORDER BY hamming distance, id LIMIT n returns (${bytes * 8}-bit codes)`, () => {
      const rand = rng(bytes);
      const rows = Array.from({ length: 3000 }, (_, i) => ({ id: 10 + i * 3, bits: Uint8Array.from({ length: bytes }, () => Math.floor(rand() * 256)) }));
      const codes = BinaryCodes.from(rows.map((r) => [r.id, r.bits] as const));
      expect(codes.size).toBe(3000);
      for (const count of [1, 37, 500, 3000, 5000]) {
        const query = Uint8Array.from({ length: bytes }, () => Math.floor(rand() * 256));
        const expected = rows
          .map((r) => ({ id: r.id, d: hamming(r.bits, query) }))
          .sort((a, b) => a.d - b.d || a.id - b.id)
          .slice(0, count)
          .map((r) => r.id);
        expect(codes.nearest(query, count).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
      }
    });
  }

  it('finds nothing in an empty set', () => {
    expect(BinaryCodes.from([]).nearest(new Uint8Array(48), 10)).toEqual([]);
  });
});
