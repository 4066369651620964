import { writeFileSync } from 'node:fs';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, PDFHexString, rgb, StandardFonts } from 'pdf-lib';

/** A PDF with one page per entry; each page's text is drawn line by line (the standard fonts are Latin-1 only). */
export async function writePdf(path: string, pages: readonly string[]): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage([612, 792]);
    let y = 740;
    for (const line of text.split('\n')) {
      page.drawText(line, { x: 50, y, size: 11, font });
      y -= 16;
    }
  }
  writeFileSync(path, await doc.save());
}

/**
 * A PDF whose trailer names the standard security handler with a user password we never give:
 * readers (pdf.js included) ask for the password before showing any page.
 */
export async function writeEncryptedPdf(path: string): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Confidential figures', { x: 50, y: 700, font });
  const encrypt = doc.context.obj({ Filter: 'Standard', V: 1, R: 2, O: PDFHexString.of('00'.repeat(32)), U: PDFHexString.of('11'.repeat(32)), P: -4 });
  doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of('ab'.repeat(16)), PDFHexString.of('ab'.repeat(16))]);
  writeFileSync(path, await doc.save({ useObjectStreams: false }));
}

/** What a scanner produces, as far as text goes: pages with marks on them and no text layer. */
export async function writeScannedPdf(path: string, pages = 2): Promise<void> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage().drawRectangle({ x: 40, y: 40, width: 500, height: 700, color: rgb(0.9, 0.9, 0.85) });
  writeFileSync(path, await doc.save());
}

/** A DOCX whose sections start with a Heading 1 paragraph. */
export async function writeDocx(path: string, sections: ReadonlyArray<{ heading: string; paragraphs: readonly string[] }>): Promise<void> {
  const children = sections.flatMap((s) => [new Paragraph({ text: s.heading, heading: HeadingLevel.HEADING_1 }), ...s.paragraphs.map((p) => new Paragraph(p))]);
  const doc = new Document({ sections: [{ children }] });
  writeFileSync(path, await Packer.toBuffer(doc));
}
