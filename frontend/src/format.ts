// Display helpers.

import type { Citation } from './api/types';

/** "Title by A and B, Chapter N: Chapter title, pp. X-Y" (product.md). */
export function citationLabel(c: Citation): string {
  const authors = c.book.authors ?? [];
  const by = authors.length === 0 ? '' : ' by ' + (authors.length <= 2 ? authors.join(' and ') : authors.slice(0, -1).join(', ') + ' and ' + authors[authors.length - 1]);
  let s = c.book.title + by;
  if (c.chapter && (c.chapter.number !== null || c.chapter.title)) {
    s += ', ';
    if (c.chapter.number !== null && c.chapter.number !== undefined && c.chapter.number !== '') s += `Chapter ${c.chapter.number}`;
    if (c.chapter.title) s += (s.endsWith(', ') ? '' : ': ') + c.chapter.title;
  }
  if (c.pages) {
    s += String(c.pages.start) === String(c.pages.end) ? `, p. ${c.pages.start}` : `, pp. ${c.pages.start}-${c.pages.end}`;
  }
  return s;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

export function formatTime(d: Date): string {
  return d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

export const REASONS: { id: 'inaccurate' | 'incomplete' | 'not_relevant' | 'missing_citations' | 'other'; label: string }[] = [
  { id: 'inaccurate', label: 'Inaccurate' },
  { id: 'incomplete', label: 'Incomplete' },
  { id: 'not_relevant', label: 'Not relevant' },
  { id: 'missing_citations', label: 'Missing citations' },
  { id: 'other', label: 'Other' },
];

/** Splits suggested follow-up questions off the end of an answer: a
 * heading or bold line mentioning "follow-up" followed by a list.  The
 * questions become buttons; the rest stays markdown. */
export function splitFollowUps(markdown: string): { body: string; followUps: string[] } {
  const lines = markdown.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i].trim();
    if (/^(#{1,6}\s*|\*\*|__)?.*follow[- ]?up/i.test(l) && !/^[-*+]\s|^\d+[.)]\s/.test(l)) {
      const items: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const t = lines[j].trim();
        if (t === '') continue;
        const m = /^(?:[-*+]|\d+[.)])\s+(.*)$/.exec(t);
        if (!m) break;
        items.push(m[1].replace(/\[\d+\]/g, '').replace(/[*_`]/g, '').trim());
      }
      if (items.length > 0 && j === lines.length) {
        return { body: lines.slice(0, i).join('\n').trimEnd(), followUps: items.slice(0, 4) };
      }
      break;
    }
  }
  return { body: markdown, followUps: [] };
}

/** Splits the "Key takeaways" section (a heading or bold line naming it,
 * then its list) out of an answer, wherever it stands; the rest of the
 * answer is returned as body, unchanged otherwise. */
export function splitTakeaways(markdown: string): { body: string; takeaways: string } {
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!/^(#{1,6}\s*|\*\*|__)?\s*key takeaways?\s*:?\s*(\*\*|__)?\s*:?$/i.test(l)) continue;
    let j = i + 1;
    const items: string[] = [];
    for (; j < lines.length; j++) {
      const t = lines[j].trim();
      if (t === '') {
        if (items.length > 0 && !/^(?:[-*+]|\d+[.)])\s+/.test((lines[j + 1] ?? '').trim())) break;
        continue;
      }
      if (!/^(?:[-*+]|\d+[.)])\s+/.test(t)) break;
      items.push(lines[j]);
    }
    if (items.length === 0) break;
    const body = [...lines.slice(0, i), ...lines.slice(j)].join('\n').replace(/\n{3,}/g, '\n\n').trim();
    return { body, takeaways: items.join('\n') };
  }
  return { body: markdown, takeaways: '' };
}

/** A clarifying answer's text without the list of its choices, which the
 * app shows once, as buttons. */
export function withoutChoices(markdown: string, choices: string[]): string {
  const wanted = new Set(choices.map((c) => c.trim()));
  return markdown
    .split('\n')
    .filter((l) => {
      const m = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(l);
      return !(m && wanted.has(m[1].trim()));
    })
    .join('\n')
    .trim();
}

/** Markdown reduced to the words a listener needs: no citation markers,
 * emphasis, headings, list markers, code ticks or link targets. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[(\d{1,2})\]/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/(^|\W)[*_](\S[^*_]*\S|\S)[*_](?=\W|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,;:!?])/g, '$1')
    .trim();
}

/** The opening of a text for an announcement: its first sentence, or its
 * first `max` characters cut at a word, with an ellipsis. */
export function opening(text: string, max = 200): string {
  const m = /^(.+?[.!?]["”’)]?)(\s|$)/.exec(text);
  const first = m ? m[1] : text;
  if (first.length <= max) return first;
  const cut = first.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut) + '…';
}

/** What the screen reader hears when an answer is complete: the kind of
 * reply, how many sources it cites, and how it begins (the whole answer
 * follows the question in the message list). */
export function answerAnnouncement(a: {
  type?: 'answer' | 'clarification' | 'refusal' | null;
  answer: string;
  citations: unknown[];
  clarification?: { question: string; choices: string[] } | null;
}): string {
  if (a.type === 'clarification' && a.clarification) {
    const n = a.clarification.choices.length;
    return `The coach needs to know more: ${a.clarification.question} ${n} option${n === 1 ? '' : 's'} follow${n === 1 ? 's' : ''} the question.`;
  }
  const body = plainText(splitTakeaways(splitFollowUps(a.answer).body).body);
  if (a.type === 'refusal') return `The coach's answer is complete: ${opening(body, 300)}`;
  const n = a.citations.length;
  const sources = n === 0 ? 'no sources from the library' : n === 1 ? '1 source' : `${n} sources`;
  return `The coach's answer is complete, with ${sources}. It begins: ${opening(body)}`;
}

/** A citation as shown: `n` is its number in the answer as displayed,
 * `source_n` the server's number (for GET .../citations/{n}). */
export type ShownCitation = Citation & { source_n: number };

/** Renumbers the sources an answer cites as 1..n in the order the text
 * first cites them (the server numbers the passages it retrieved, so an
 * answer may cite 1, 4 and 5), in the text's [n] markers and the list.
 * Sources the text never cites follow, numbered on.  Before any citation
 * is known (a model's text still streaming) every marker is renumbered;
 * afterwards a marker that names no verified source is dropped. */
export function renumberCitations(text: string, citations: Citation[]): { text: string; citations: ShownCitation[] } {
  const known = new Set(citations.map((c) => c.n));
  const order = new Map<number, number>();
  for (const m of text.matchAll(/\[(\d{1,2})\]/g)) {
    const n = Number(m[1]);
    if ((known.size === 0 || known.has(n)) && !order.has(n)) order.set(n, order.size + 1);
  }
  for (const c of [...citations].sort((a, b) => a.n - b.n)) {
    if (!order.has(c.n)) order.set(c.n, order.size + 1);
  }
  const out = text.replace(/ ?\[(\d{1,2})\]/g, (whole, d: string) => {
    const n = order.get(Number(d));
    return n === undefined ? '' : whole.replace(d, String(n));
  });
  const shown = citations.map((c) => ({ ...c, n: order.get(c.n)!, source_n: c.n }));
  return { text: out, citations: shown.sort((a, b) => a.n - b.n) };
}

/** A passage from a book without Markdown's emphasis and heading marks
 * (some books' text keeps them), for the citation panel. */
export function withoutMarkup(s: string): string {
  return s.replace(/\*\*|__|`/g, '').replace(/^\s{0,3}#{1,6}\s+/gm, '');
}
