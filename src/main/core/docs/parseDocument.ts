import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import Papa from 'papaparse';
import type { DocumentKind } from '../../../shared/contract/docs';
import { AppError } from '../../../shared/errors';
import type { DocumentParser } from './DocumentParser';
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
 * written while it is read rather than held whole as text. PDF and DOCX are parsed on the
 * parser's worker thread; the other kinds are read whole and split here, which is cheap.
 */
export async function* parseDocument(path: string, kind: DocumentKind, { signal, parser }: { signal?: AbortSignal; parser: DocumentParser }): AsyncGenerator<Section> {
  switch (kind) {
    case 'pdf':
      yield* parser.pdfPages(path, { signal });
      return;
    case 'docx':
      yield* await htmlSections(await parser.docxHtml(path, { signal }));
      return;
    case 'html':
      yield* await htmlSections(await readFile(path, 'utf8'));
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
