import { memo } from 'react';
import ReactMarkdown from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { markdownBlocks } from './markdownBlocks';

const REMARK = [remarkGfm];
// rehype-highlight registers every common grammar each time it is attached, and react-markdown
// attaches its plugins on every render: per block and per batch that was most of each long task.
// Attach one transformer instead (it keeps no state between trees), built at the first
// markdown render rather than while the app loads.
let sharedHighlight: ReturnType<typeof rehypeHighlight> | undefined;
const REHYPE = [() => (sharedHighlight ??= rehypeHighlight())];

/** Markdown without raw HTML (react-markdown drops it unless told otherwise): model output is untrusted. */
const MarkdownBlock = memo(function MarkdownBlock({ text, highlight }: { text: string; highlight: boolean }) {
  return (
    <ReactMarkdown remarkPlugins={REMARK} rehypePlugins={highlight ? REHYPE : undefined}>
      {text}
    </ReactMarkdown>
  );
});

export interface MarkdownProps {
  text: string;
  /**
   * Block by block, so a growing answer re-parses only its last block (memo skips the rest).
   * Saved messages are parsed in one go: one parser per block would cost twice as much.
   */
  blockwise: boolean;
  /** Still being written: the last block is shown without syntax highlighting until it is complete. */
  streaming: boolean;
}

export function Markdown({ text, blockwise, streaming }: MarkdownProps) {
  if (!blockwise) return <MarkdownBlock text={text} highlight />;
  const blocks = markdownBlocks(text);
  // Highlighting a long code block again on every batch as it grows is what would block; it is
  // highlighted once, when the next block starts or the answer ends.
  return blocks.map((block, i) => <MarkdownBlock key={i} text={block} highlight={!streaming || i < blocks.length - 1} />);
}
