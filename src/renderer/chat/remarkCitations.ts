/** What an answer's `[n]` can point at: passage n's accessible label, e.g. "Source 2: report.pdf, page 3". */
export type CitationLabels = ReadonlyMap<number, string>;

/** The markdown tree as far as this transform needs it (mdast, without depending on its types). */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
  data?: Record<string, unknown>;
}

const MARKER = /\[(\d{1,4})\]/g;

/**
 * Nodes whose text is not prose: code keeps `[1]` literally, a link cannot hold a button, and
 * `[1]` in a link's text or a definition is the link's own syntax.
 */
const SKIPPED = new Set(['code', 'inlineCode', 'link', 'linkReference', 'definition', 'html']);

/** Splits text at each `[n]` whose n is a known passage; other brackets stay in the text. */
export function citationSegments(text: string, known: CitationLabels): Array<string | number> {
  const out: Array<string | number> = [];
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    const n = Number(match[1]);
    if (!known.has(n)) continue;
    if (match.index > last) out.push(text.slice(last, match.index));
    out.push(n);
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * A remark plugin: each `[n]` in the answer's prose that matches a retrieved passage becomes a
 * `<button data-cite="n">` named after its source. It rides on an emphasis node renamed through
 * `data.hName`, so the ordinary mdast-to-hast step builds the element and no raw HTML is involved.
 */
export function remarkCitations(labels: CitationLabels) {
  return () => (tree: MdNode) => {
    if (labels.size > 0) visit(tree, labels);
  };
}

function visit(node: MdNode, labels: CitationLabels): void {
  if (!node.children || SKIPPED.has(node.type)) return;
  const children: MdNode[] = [];
  for (const child of node.children) {
    if (child.type !== 'text' || child.value === undefined) {
      visit(child, labels);
      children.push(child);
      continue;
    }
    for (const part of citationSegments(child.value, labels)) {
      children.push(typeof part === 'string' ? { type: 'text', value: part } : citationNode(part, labels.get(part)!));
    }
  }
  node.children = children;
}

function citationNode(n: number, label: string): MdNode {
  return {
    type: 'emphasis',
    children: [{ type: 'text', value: `[${n}]` }],
    data: { hName: 'button', hProperties: { type: 'button', className: ['chat-cite'], dataCite: String(n), ariaLabel: label, title: label } },
  };
}
