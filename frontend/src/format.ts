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
