/**
 * Well-formedness of XML for `is-xml`/`contains-xml` (promptfoo checks with a validator, then
 * looks up `requiredElements` as dotted paths such as `analysis.sentiment`).
 */
export interface XmlElement {
  name: string;
  children: XmlElement[];
}

export type XmlParse = { ok: true; root: XmlElement } | { ok: false; error: string };

const NAME = /^[A-Za-z_:][\w:.-]*/;
const ATTRS = /^(?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*/;

export function parseXml(text: string): XmlParse {
  let s = text.trim();
  let i = 0;
  const fail = (error: string): XmlParse => ({ ok: false, error: `${error} at character ${i}` });
  const skipMisc = (): boolean => {
    for (;;) {
      while (i < s.length && /\s/.test(s[i]!)) i++;
      if (s.startsWith('<?', i)) {
        const end = s.indexOf('?>', i);
        if (end < 0) return false;
        i = end + 2;
      } else if (s.startsWith('<!--', i)) {
        const end = s.indexOf('-->', i);
        if (end < 0) return false;
        i = end + 3;
      } else if (s.startsWith('<!DOCTYPE', i)) {
        const end = s.indexOf('>', i);
        if (end < 0) return false;
        i = end + 1;
      } else return true;
    }
  };
  if (!skipMisc()) return fail('unterminated declaration or comment');
  if (s[i] !== '<') return fail('no root element');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < s.length) {
    if (stack.length === 0 && root) break;
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i);
      if (end < 0) return fail('unterminated comment');
      i = end + 3;
    } else if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i);
      if (end < 0) return fail('unterminated CDATA');
      i = end + 3;
    } else if (s.startsWith('</', i)) {
      const m = NAME.exec(s.slice(i + 2));
      const open = stack.pop();
      if (!m || !open || open.name !== m[0]) return fail(`closing tag </${m?.[0] ?? ''}> does not match <${open?.name ?? ''}>`);
      i += 2 + m[0].length;
      while (/\s/.test(s[i] ?? '')) i++;
      if (s[i] !== '>') return fail('malformed closing tag');
      i++;
    } else if (s[i] === '<') {
      const m = NAME.exec(s.slice(i + 1));
      if (!m) return fail('malformed tag');
      i += 1 + m[0].length;
      const attrs = ATTRS.exec(s.slice(i))!;
      i += attrs[0].length;
      const el: XmlElement = { name: m[0], children: [] };
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) return fail('more than one root element');
      else root = el;
      if (s.startsWith('/>', i)) i += 2;
      else if (s[i] === '>') {
        i++;
        stack.push(el);
      } else return fail(`malformed attributes in <${el.name}>`);
    } else {
      const next = s.indexOf('<', i);
      const textRun = s.slice(i, next < 0 ? s.length : next);
      if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i.test(textRun)) return fail('unescaped & in text');
      i = next < 0 ? s.length : next;
    }
  }
  if (stack.length) return fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  s = s.slice(i);
  i = 0;
  if (!skipMisc() || i < s.length) return { ok: false, error: 'text after the root element' };
  return root ? { ok: true, root } : { ok: false, error: 'no root element' };
}

/** `a.b.c`: a root named a with a child b with a child c. */
export function hasElementPath(root: XmlElement, path: string): boolean {
  const [first, ...rest] = path.split('.');
  if (root.name !== first) return false;
  let level = [root];
  for (const part of rest) {
    level = level.flatMap((el) => el.children.filter((c) => c.name === part));
    if (level.length === 0) return false;
  }
  return true;
}

/** Candidate XML fragments in free text (promptfoo's contains-xml extraction, simplified). */
export function xmlCandidates(output: string): string[] {
  const found: string[] = [];
  const open = /<([A-Za-z_][\w:.-]*)[^>]*>/g;
  let m;
  while ((m = open.exec(output))) {
    const close = output.lastIndexOf(`</${m[1]}>`);
    if (close > m.index) found.push(output.slice(m.index, close + m[1]!.length + 3));
    else if (m[0].endsWith('/>')) found.push(m[0]);
  }
  return found;
}
