import { describe, expect, it } from 'vitest';
import { answerAnnouncement, citationLabel, renumberCitations, splitFollowUps, splitTakeaways, withoutChoices } from './format';
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

describe('answerAnnouncement', () => {
  it('says the answer is complete, how many sources it cites and its first sentence, without markdown or markers', () => {
    expect(answerAnnouncement({
      type: 'answer', citations: [{}, {}, {}],
      answer: '## Start\n\n**Teams** write a [shared](https://x.example) test [1]. Then they _score_ it [2].\n\n**Key takeaways**\n\n- Shared [1]',
    })).toBe('The coach\'s answer is complete, with 3 sources. It begins: Start Teams write a shared test.');
  });

  it('cuts a long first sentence at a word', () => {
    const long = 'word '.repeat(80).trim() + '.';
    const said = answerAnnouncement({ type: 'answer', citations: [], answer: long });
    expect(said).toMatch(/^The coach's answer is complete, with no sources from the library\. It begins: (word ){39}word…$/);
  });
});

describe('renumberCitations', () => {
  const c = (n: number) => ({ ...CITATION, n });
  it('numbers by first citation in the text, keeps the server\'s number, and puts uncited sources last', () => {
    const r = renumberCitations('A [5]. B [2]. C [5].', [c(2), c(5), c(7)]);
    expect(r.text).toBe('A [1]. B [2]. C [1].');
    expect(r.citations.map((x) => [x.n, x.source_n])).toEqual([[1, 5], [2, 2], [3, 7]]);
  });
  it('renumbers every marker while no citation is known yet, and drops a marker naming no verified source after', () => {
    expect(renumberCitations('A [4]. B [9].', []).text).toBe('A [1]. B [2].');
    expect(renumberCitations('A [4]. B [9].', [c(4)]).text).toBe('A [1]. B.');
  });
});
