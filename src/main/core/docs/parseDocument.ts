import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import Papa from 'papaparse';
import type { DocumentKind } from '../../../shared/contract/docs';
import { AbortedError, AppError } from '../../../shared/errors';
import { htmlSections, markdownSections } from './textSections';

/** A run of text from one place in a file: a PDF page, or the part under one heading. */
export interface Section {
  page: number | null;
  heading: string | null;
  text: string;
}

export type UnreadableKind = 'empty' | 'encrypted' | 'corrupt' | 'no-text' | 'unsupported';

/** A file that cannot be indexed; the message is stored as the document's reason. */
export class DocumentUnreadableError extends AppError {
  readonly kind: UnreadableKind;

  constructor(kind: UnreadableKind, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('VALIDATION_FAILED', message, { ...details, unreadable: kind }, options);
    this.name = 'DocumentUnreadableError';
    this.kind = kind;
  }
}

const EXTENSIONS: Record<string, DocumentKind> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'text',
  '.text': 'text',
  '.csv': 'csv',
};

export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);

export function documentKind(path: string): DocumentKind | null {
  return EXTENSIONS[extname(path).toLowerCase()] ?? null;
}

/**
 * Yields a file's text section by section (a PDF page at a time), so a long file is chunked and
 * written while it is read rather than held whole as text.
 */
export async function* parseDocument(path: string, kind: DocumentKind, { signal }: { signal?: AbortSignal } = {}): AsyncGenerator<Section> {
  switch (kind) {
    case 'pdf':
      yield* pdfSections(path, signal);
      return;
    case 'docx':
      yield* htmlSections(await docxHtml(path));
      return;
    case 'html':
      yield* htmlSections(await readFile(path, 'utf8'));
      return;
    case 'markdown':
      yield* markdownSections(await readFile(path, 'utf8'));
      return;
    case 'text':
      yield { page: null, heading: null, text: await readFile(path, 'utf8') };
      return;
    case 'csv':
      yield* csvSections(await readFile(path, 'utf8'));
      return;
  }
}

async function* pdfSections(path: string, signal: AbortSignal | undefined): AsyncGenerator<Section> {
  const { getDocumentProxy } = await import('unpdf');
  const data = new Uint8Array(await readFile(path));
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(data, { verbosity: 0 });
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (name === 'PasswordException') {
      throw new DocumentUnreadableError('encrypted', 'The PDF is password-protected (encrypted). Save an unprotected copy and add that instead.', { path }, { cause: error });
    }
    throw new DocumentUnreadableError('corrupt', `The PDF cannot be read (${error instanceof Error ? error.message : String(error)}). It may be damaged or not a PDF.`, { path }, { cause: error });
  }
  try {
    for (let n = 1; n <= pdf.numPages; n++) {
      if (signal?.aborted) throw new AbortedError('Indexing was cancelled.');
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str;
        if (item.hasEOL) text += '\n';
        else if (item.str !== '' && !item.str.endsWith(' ')) text += ' ';
      }
      page.cleanup();
      yield { page: n, heading: null, text };
    }
  } finally {
    await pdf.loadingTask.destroy();
  }
}

async function docxHtml(path: string): Promise<string> {
  const mammoth = (await import('mammoth')).default;
  try {
    // No external files: a DOCX may link images by path, which must not be read on its behalf.
    return (await mammoth.convertToHtml({ path }, { externalFileAccess: false })).value;
  } catch (error) {
    throw new DocumentUnreadableError('corrupt', `The DOCX cannot be read (${error instanceof Error ? error.message : String(error)}). It may be damaged, or an older .doc renamed to .docx.`, { path }, { cause: error });
  }
}

/** Each row as "column: value" lines, a few dozen rows per section so a chunk keeps its header names. */
function* csvSections(text: string): Generator<Section> {
  const parsed = Papa.parse<Record<string, unknown>>(text, { header: true, skipEmptyLines: true });
  const rows = parsed.data;
  const perSection = 25;
  for (let i = 0; i < rows.length; i += perSection) {
    const lines = rows.slice(i, i + perSection).map((row) =>
      Object.entries(row)
        .filter(([, v]) => v !== undefined && v !== null && String(v).trim() !== '')
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('; '),
    );
    yield { page: null, heading: `rows ${i + 1}–${Math.min(rows.length, i + perSection)}`, text: lines.join('\n') };
  }
}
