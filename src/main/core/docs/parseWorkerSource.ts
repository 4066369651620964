/**
 * The document parser's worker thread, evaluated from this string (like the script sandbox's) so
 * it needs no bundle entry of its own and runs the same from source and from the build.
 *
 * It must stay pure JavaScript: it loads only unpdf (pdf.js) and mammoth, by the paths the host
 * resolved, and nothing of Parity's. The host terminates it to cancel a parse, and a worker
 * terminated while a native addon (better-sqlite3, node-llama-cpp) registers aborts the process.
 *
 * Protocol: the host sends `{ type: 'parse', id, kind, data, credit }` (the file's bytes,
 * transferred) and `{ type: 'credit', id, n }` as it consumes; the worker answers with
 * `section` (a PDF page; at most `credit` unacknowledged, so a long PDF is not held whole in the
 * host's queue), `html` (a DOCX rendered by mammoth), then `done` or `failed`.
 */
export const PARSE_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData, threadId } = require('node:worker_threads');
const credits = new Map();

parentPort.on('message', (message) => {
  if (message.type === 'credit') {
    const credit = credits.get(message.id);
    if (!credit) return;
    credit.n += message.n;
    if (credit.wake) {
      const wake = credit.wake;
      credit.wake = null;
      wake();
    }
  } else if (message.type === 'parse') {
    run(message).catch((error) => {
      parentPort.postMessage({ type: 'failed', id: message.id, failure: 'internal', detail: describe(error) });
    });
  }
});

async function run(job) {
  const credit = { n: job.credit, wake: null };
  credits.set(job.id, credit);
  try {
    const ok = job.kind === 'pdf' ? await pdf(job, credit) : await docx(job);
    if (ok) parentPort.postMessage({ type: 'done', id: job.id, threadId });
  } finally {
    credits.delete(job.id);
  }
}

async function pdf(job, credit) {
  const { getDocumentProxy } = require(workerData.unpdfPath);
  let doc;
  try {
    doc = await getDocumentProxy(job.data, { verbosity: 0 });
  } catch (error) {
    const failure = error && error.name === 'PasswordException' ? 'encrypted' : 'corrupt';
    parentPort.postMessage({ type: 'failed', id: job.id, failure, detail: describe(error) });
    return false;
  }
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      while (credit.n <= 0) await new Promise((resolve) => { credit.wake = resolve; });
      credit.n--;
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str;
        if (item.hasEOL) text += '\n';
        else if (item.str !== '' && !item.str.endsWith(' ')) text += ' ';
      }
      page.cleanup();
      parentPort.postMessage({ type: 'section', id: job.id, section: { page: n, heading: null, text } });
    }
  } finally {
    await doc.loadingTask.destroy();
  }
  return true;
}

async function docx(job) {
  const mammoth = require(workerData.mammothPath);
  let html;
  try {
    // No external files: a DOCX may link images by path, which must not be read on its behalf.
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength) }, { externalFileAccess: false })).value;
  } catch (error) {
    parentPort.postMessage({ type: 'failed', id: job.id, failure: 'corrupt', detail: describe(error) });
    return false;
  }
  parentPort.postMessage({ type: 'html', id: job.id, html });
  return true;
}

function describe(error) {
  return error instanceof Error ? error.message : String(error);
}
`;
