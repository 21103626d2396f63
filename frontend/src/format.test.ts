import { describe, expect, it } from 'vitest';
import { citationLabel, splitFollowUps, splitTakeaways, withoutChoices } from './format';
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

describe('splitTakeaways', () => {
  it('takes the key takeaways out of the answer, keeping what follows', () => {
    const r = splitTakeaways('"Opening." [1]\n\n- "A point." [1]\n\n**Key takeaways**\n\n- "One." [1]\n- "Two." [2]\n\n**Suggested follow-up questions**\n\n1. What next?');
    expect(r.takeaways).toBe('- "One." [1]\n- "Two." [2]');
    expect(r.body).toBe('"Opening." [1]\n\n- "A point." [1]\n\n**Suggested follow-up questions**\n\n1. What next?');
  });
  it('accepts a heading and leaves answers without takeaways alone', () => {
    expect(splitTakeaways('Text.\n\n## Key takeaways\n- One [1]').takeaways).toBe('- One [1]');
    expect(splitTakeaways('Text about key takeaways in a sentence.\n\n- a list')).toEqual({
      body: 'Text about key takeaways in a sentence.\n\n- a list', takeaways: '' });
  });
});

describe('withoutChoices', () => {
  it('drops the list of choices, keeping the question', () => {
    expect(withoutChoices('Which part do you mean?\n\n- Getting started\n- Assessment', ['Getting started', 'Assessment']))
      .toBe('Which part do you mean?');
  });
  it('keeps list items that are not choices', () => {
    expect(withoutChoices('Q?\n\n- other\n- Assessment', ['Assessment'])).toBe('Q?\n\n- other');
  });
});
