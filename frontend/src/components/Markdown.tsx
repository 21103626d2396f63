// Markdown of the coach's answers, rendered safely: react-markdown builds
// React elements from the syntax tree, raw HTML in the text is dropped
// (skipHtml, and no rehype-raw), and link URLs pass react-markdown's
// default filter (no javascript: or data:).  Citation markers "[n]"
// become buttons that open the citation panel.

import ReactMarkdown, { type Components } from 'react-markdown';
import { useMemo, useRef, type ReactNode } from 'react';

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
  data?: Record<string, unknown>;
}

/** remark plugin: splits text nodes at [n] into citation reference nodes. */
function remarkCitations() {
  const walk = (node: MdNode) => {
    if (!node.children) return;
    const out: MdNode[] = [];
    for (const child of node.children) {
      if (child.type === 'text' && child.value && /\[\d{1,2}\]/.test(child.value)) {
        const re = /\[(\d{1,2})\]/g;
        let last = 0;
        let m: RegExpExecArray | null;
        while ((m = re.exec(child.value)) !== null) {
          if (m.index > last) out.push({ type: 'text', value: child.value.slice(last, m.index) });
          out.push({
            type: 'citeRef',
            data: { hName: 'sup', hProperties: { dataCite: m[1] } },
            children: [{ type: 'text', value: m[1] }],
          });
          last = m.index + m[0].length;
        }
        if (last < child.value.length) out.push({ type: 'text', value: child.value.slice(last) });
      } else {
        walk(child);
        out.push(child);
      }
    }
    node.children = out;
  };
  return (tree: MdNode) => walk(tree);
}

export function Markdown({ text, onCite, knownCitations }: {
  text: string;
  onCite?: (n: number, el: HTMLElement) => void;
  knownCitations?: Set<number>;
}) {
  // The components keep one identity across renders (so React does not
  // remount the chips, and a chip that had focus keeps it); the current
  // callback and citation numbers are read through a ref.
  const live = useRef({ onCite, knownCitations });
  live.current = { onCite, knownCitations };
  const components: Components = useMemo(() => ({
    sup: ({ node: _node, children, ...props }) => {
      void _node;
      const n = Number((props as Record<string, unknown>)['data-cite']);
      if (!Number.isNaN(n) && live.current.onCite && live.current.knownCitations?.has(n)) {
        return (
          <button type="button" className="cite-ref" aria-label={`Source ${n}`}
            onClick={(e) => live.current.onCite?.(n, e.currentTarget)}>
            {n}
          </button>
        );
      }
      if (!Number.isNaN(n)) return <sup className="cite-ref-plain">[{n}]</sup>;
      return <sup {...props}>{children as ReactNode}</sup>;
    },
    a: ({ node: _node, children, href }) => {
      void _node;
      return <a href={href} target="_blank" rel="noopener noreferrer nofollow">{children}</a>;
    },
    img: ({ node: _node, alt }) => {
      void _node;
      // Images from an answer are never loaded; the alt text stands in.
      return <span className="md-img">{alt ? `[image: ${alt}]` : ''}</span>;
    },
    // An answer's headings sit below the message's own (h2): h3 and down.
    h1: ({ node: _node, children }) => { void _node; return <h3>{children}</h3>; },
    h2: ({ node: _node, children }) => { void _node; return <h3>{children}</h3>; },
    h3: ({ node: _node, children }) => { void _node; return <h4>{children}</h4>; },
    h4: ({ node: _node, children }) => { void _node; return <h5>{children}</h5>; },
  }), []);
  return (
    <div className="markdown">
      <ReactMarkdown skipHtml remarkPlugins={[remarkCitations]} components={components}>{text}</ReactMarkdown>
    </div>
  );
}
