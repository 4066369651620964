import { AppError } from '../../../shared/errors';

export interface DownloadSource {
  url: string;
  fileName: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * `hf:user/repo/path/file.gguf` → the Hugging Face resolve URL; https URLs pass through (a
 * `/blob/` page link is turned into its `/resolve/` download). Plain http is refused except on
 * loopback, where nothing leaves the machine.
 */
export function resolveDownloadSource(source: string): DownloadSource {
  const trimmed = source.trim();
  let url: URL;
  if (trimmed.startsWith('hf:')) {
    const parts = trimmed.slice(3).replace(/^\/+/, '').split('/').filter(Boolean);
    if (parts.length < 3) {
      throw new AppError('VALIDATION_FAILED', `"${source}" is not a Hugging Face model URI. Use hf:<user>/<repo>/<file>.gguf.`, { field: 'source' });
    }
    const [user, repo, ...file] = parts;
    url = new URL(`https://huggingface.co/${user}/${repo}/resolve/main/${file.join('/')}`);
  } else {
    try {
      url = new URL(trimmed);
    } catch {
      throw new AppError('VALIDATION_FAILED', `"${source}" is neither an https URL nor an hf:<user>/<repo>/<file>.gguf URI.`, { field: 'source' });
    }
    if (url.hostname === 'huggingface.co') url.pathname = url.pathname.replace(/^(\/[^/]+\/[^/]+)\/blob\//, '$1/resolve/');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new AppError('VALIDATION_FAILED', `Downloads must use https (got ${url.protocol.replace(':', '')}).`, { field: 'source' });
  }
  const fileName = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  if (!/\.gguf$/i.test(fileName) || /[\\/]/.test(fileName)) {
    throw new AppError('VALIDATION_FAILED', `"${source}" does not name a .gguf file. Link to the file itself, not a model page.`, { field: 'source' });
  }
  return { url: url.toString(), fileName };
}

/**
 * The sha256 a host publishes for a file. Hugging Face puts an LFS file's sha256 in
 * `X-Linked-Etag` (on the redirect) or `ETag`; a 40-hex git object id is not a sha256. After a
 * redirect to a CDN only `X-Linked-Etag` counts: a storage backend's own ETag may be another
 * 64-hex hash (Xet content ids are) and would fail every download.
 */
export function publishedSha256(headers: Headers, options: { linkedOnly?: boolean } = {}): string | null {
  for (const name of options.linkedOnly ? ['x-linked-etag'] : ['x-linked-etag', 'etag']) {
    const value = headers.get(name)?.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    if (value && /^[a-f0-9]{64}$/i.test(value)) return value.toLowerCase();
  }
  return null;
}

/** `bytes 100-199/1000` → start and total (total null when `*`). */
export function parseContentRange(value: string | null): { start: number; total: number | null } | null {
  const match = value ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim()) : null;
  if (!match) return null;
  return { start: Number(match[1]), total: match[3] === '*' ? null : Number(match[3]) };
}
