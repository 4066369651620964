import { describe, expect, it } from 'vitest';
import { parseContentRange, publishedSha256, resolveDownloadSource } from '../../src/main/core/models/downloadSource';

describe('download sources', () => {
  it('turns hf: URIs into Hugging Face resolve URLs', () => {
    expect(resolveDownloadSource('hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf')).toEqual({
      url: 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf',
      fileName: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
    });
  });

  it('turns a /blob/ page link into the download link', () => {
    expect(resolveDownloadSource('https://huggingface.co/a/b/blob/main/x.gguf').url).toBe('https://huggingface.co/a/b/resolve/main/x.gguf');
  });

  it('refuses plain http off loopback, non-gguf targets and malformed hf URIs', () => {
    expect(() => resolveDownloadSource('http://example.com/x.gguf')).toThrow(/https/);
    expect(() => resolveDownloadSource('https://example.com/model')).toThrow(/\.gguf/);
    expect(() => resolveDownloadSource('hf:user/file.gguf')).toThrow(/hf:<user>/);
    expect(resolveDownloadSource('http://127.0.0.1:8080/x.gguf').fileName).toBe('x.gguf');
  });

  it('reads a sha256 from X-Linked-Etag or ETag, and ignores git object ids', () => {
    const sha = 'ab'.repeat(32);
    expect(publishedSha256(new Headers({ 'X-Linked-Etag': `"${sha}"` }))).toBe(sha);
    expect(publishedSha256(new Headers({ ETag: `W/"${sha.toUpperCase()}"` }))).toBe(sha);
    expect(publishedSha256(new Headers({ ETag: `"${'c'.repeat(40)}"` }))).toBeNull();
    // After a redirect to a CDN, only X-Linked-Etag is trusted.
    expect(publishedSha256(new Headers({ ETag: `"${sha}"` }), { linkedOnly: true })).toBeNull();
  });

  it('parses Content-Range', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, total: 1000 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, total: null });
    expect(parseContentRange(null)).toBeNull();
  });
});
