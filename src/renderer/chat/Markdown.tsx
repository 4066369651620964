import { createContext, memo, useContext, useMemo, type ComponentProps, type ReactNode } from 'react';
import ReactMarkdown from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { markdownBlocks, plainHead } from './markdownBlocks';
import { remarkCitations, type CitationLabels } from './remarkCitations';

type RemarkPlugins = NonNullable<ComponentProps<typeof ReactMarkdown>['remarkPlugins']>;
const REMARK: RemarkPlugins = [remarkGfm];
// rehype-highlight registers every common grammar each time it is attached, and react-markdown
// attaches its plugins on every render: per block and per batch that was most of each long task.
// Attach one transformer instead (it keeps no state between trees), built at the first
// markdown render rather than while the app loads.
let sharedHighlight: ReturnType<typeof rehypeHighlight> | undefined;
const REHYPE = [() => (sharedHighlight ??= rehypeHighlight())];

// Through context, so a new click handler does not re-parse every block.
const CiteContext = createContext<((n: number) => void) | null>(null);

/** The only buttons in rendered markdown are citations (raw HTML is never rendered). */
function CitationButton({ node: _node, ...props }: ComponentProps<'button'> & { node?: unknown }) {
  const onCite = useContext(CiteContext);
  const n = Number((props as Record<string, unknown>)['data-cite']);
  return <button {...props} onClick={() => onCite?.(n)} />;
}

const COMPONENTS = { button: CitationButton };

/** The rest of a paragraph whose plain head is already shown: its paragraph's content, inside the head's <p>. */
function Unwrapped({ children }: { children?: ReactNode }) {
  return <>{children}</>;
}
const REST_COMPONENTS = { ...COMPONENTS, p: Unwrapped };

/** Below this, parsing a block whole costs too little to be worth a second path. */
const PLAIN_HEAD_MIN = 256;

/** Markdown without raw HTML (react-markdown drops it unless told otherwise): model output is untrusted. */
const MarkdownBlock = memo(function MarkdownBlock({ text, highlight, remark }: { text: string; highlight: boolean; remark: RemarkPlugins }) {
  const split = text.length >= PLAIN_HEAD_MIN ? plainHead(text) : null;
  if (split) {
    // The same <p> a whole parse gives, with only the part after the head parsed (see plainHead).
    return (
      <p>
        {split.head}{' '}
        <ReactMarkdown remarkPlugins={remark} rehypePlugins={highlight ? REHYPE : undefined} components={REST_COMPONENTS}>
          {split.rest}
        </ReactMarkdown>
      </p>
    );
  }
  return (
    <ReactMarkdown remarkPlugins={remark} rehypePlugins={highlight ? REHYPE : undefined} components={COMPONENTS}>
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
  /** Retrieved passages by number: each matching `[n]` in the prose becomes a button named by its label. */
  citations?: CitationLabels | null;
  onCite?: (n: number) => void;
}

export function Markdown({ text, blockwise, streaming, citations, onCite }: MarkdownProps) {
  const remark = useMemo(() => (citations && citations.size > 0 ? [remarkGfm, remarkCitations(citations)] : REMARK), [citations]);
  let body;
  if (!blockwise) body = <MarkdownBlock text={text} highlight remark={remark} />;
  else {
    const blocks = markdownBlocks(text);
    // Highlighting a long code block again on every batch as it grows is what would block; it is
    // highlighted once, when the next block starts or the answer ends.
    body = blocks.map((block, i) => <MarkdownBlock key={i} text={block} highlight={!streaming || i < blocks.length - 1} remark={remark} />);
  }
  return <CiteContext.Provider value={onCite ?? null}>{body}</CiteContext.Provider>;
}
