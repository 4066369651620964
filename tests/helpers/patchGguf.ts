import { readFileSync, writeFileSync } from 'node:fs';

const GGUF_UINT32 = 4;

/**
 * Writes a copy of a GGUF whose `<arch>.context_length` (a uint32 in every file we have) says
 * `value`: how a damaged or mis-converted header claiming an impossible context is made for tests.
 */
export function writeWithContextLength(source: string, target: string, value: number): void {
  const bytes = readFileSync(source);
  const suffix = Buffer.from('.context_length');
  for (let at = bytes.indexOf(suffix); at >= 0; at = bytes.indexOf(suffix, at + 1)) {
    const keyEnd = at + suffix.length;
    // A GGUF key is a uint64 length then the bytes: walk back to the length that matches.
    for (let start = at - 1; start >= 8 && at - start < 64; start--) {
      if (Number(bytes.readBigUInt64LE(start - 8)) !== keyEnd - start) continue;
      if (bytes.readUInt32LE(keyEnd) !== GGUF_UINT32) throw new Error(`${source}: context_length is not a uint32`);
      bytes.writeUInt32LE(value, keyEnd + 4);
      writeFileSync(target, bytes);
      return;
    }
  }
  throw new Error(`${source} has no <arch>.context_length key`);
}
