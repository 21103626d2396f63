import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Markdown } from './Markdown';

describe('Markdown', () => {
  it('never renders raw HTML from an answer', () => {
    const evil = 'Hello <script>window.pwned = 1</script> and <img src="x" onerror="window.pwned = 2"> ' +
      '<b onmouseover="x()">bold?</b>\n\n<iframe src="https://evil.example/"></iframe>\n\n<div><script>alert(1)</script></div>';
    const { container } = render(<Markdown text={evil} />);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('iframe')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('[onerror]')).toBeNull();
    expect(container.querySelector('[onmouseover]')).toBeNull();
    expect(container.innerHTML).not.toMatch(/<script|<img|onerror=/i);
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('renders markdown images as text only and neutralises javascript: links', () => {
    const { container } = render(<Markdown text={'![chart](https://x.example/a.png) [click](javascript:alert(1))'} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container).toHaveTextContent('[image: chart]');
    const a = container.querySelector('a');
    expect(a?.getAttribute('href') ?? '').not.toMatch(/javascript:/i);
  });

  it('renders paragraphs, lists and emphasis', () => {
    const { container } = render(<Markdown text={'**Key takeaways**\n\n- one\n- *two*'} />);
    expect(container.querySelector('strong')).toHaveTextContent('Key takeaways');
    expect(container.querySelectorAll('li')).toHaveLength(2);
    expect(container.querySelector('em')).toHaveTextContent('two');
  });

  it('turns [n] of a known citation into a button that opens it', async () => {
    const onCite = vi.fn();
    render(<Markdown text={'Teams agree on essentials [1]. Unknown [7].'} onCite={onCite} knownCitations={new Set([1])} />);
    const chip = screen.getByRole('button', { name: 'Source 1' });
    await userEvent.click(chip);
    expect(onCite).toHaveBeenCalledWith(1, chip);
    expect(screen.queryByRole('button', { name: 'Source 7' })).toBeNull();
    expect(screen.getByText('[7]', { exact: false })).toBeInTheDocument();
  });

  it('leaves [n] inside code alone', () => {
    const { container } = render(<Markdown text={'`arr[1]`'} onCite={() => undefined} knownCitations={new Set([1])} />);
    expect(container.querySelector('button')).toBeNull();
    expect(container.querySelector('code')).toHaveTextContent('arr[1]');
  });
});
