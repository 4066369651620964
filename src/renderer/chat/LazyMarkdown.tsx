import { Suspense } from 'react';
import { lazyChunk } from '../app/lazyChunk';
import type { MarkdownProps } from './Markdown';

// react-markdown, remark-gfm and highlight.js are most of a chat page's code: they load with the
// first message to render, not with the app, and the text shows as it is until they arrive.
const MarkdownImpl = lazyChunk(() => import('./Markdown').then((m) => m.Markdown), 'the markdown renderer');

/** The markdown renderer, loaded on first use; plain text stands in meanwhile. */
export function Markdown(props: MarkdownProps) {
  return (
    <Suspense fallback={<div style={{ whiteSpace: 'pre-wrap' }}>{props.text}</div>}>
      <MarkdownImpl {...props} />
    </Suspense>
  );
}
