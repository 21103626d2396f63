import { describe, expect, it } from 'vitest';
import { citationLabel, splitFollowUps } from './format';
import { CITATION } from './test/mockServer';

describe('citationLabel', () => {
  it('follows "Title by Authors, Chapter N: Chapter title, pp. X-Y"', () => {
    expect(citationLabel(CITATION)).toBe(
      'Learning by Doing by Richard DuFour and Rebecca DuFour, Chapter 3: Creating a Results Orientation, pp. 45-47');
  });
  it('uses p. for one page and copes with no chapter', () => {
    expect(citationLabel({ ...CITATION, chapter: { number: null, title: null }, pages: { start: 'xii', end: 'xii' } }))
      .toBe('Learning by Doing by Richard DuFour and Rebecca DuFour, p. xii');
  });
});

describe('splitFollowUps', () => {
  it('takes a trailing follow-up list off the answer', () => {
    const r = splitFollowUps('Answer text.\n\n**Suggested follow-up questions**\n\n1. What about Tier 3?\n2. How do we *start*?');
    expect(r.body).toBe('Answer text.');
    expect(r.followUps).toEqual(['What about Tier 3?', 'How do we start?']);
  });
  it('leaves answers without one alone', () => {
    const r = splitFollowUps('Just text.\n\n- a list\n- of things');
    expect(r.followUps).toEqual([]);
    expect(r.body).toBe('Just text.\n\n- a list\n- of things');
  });
});
