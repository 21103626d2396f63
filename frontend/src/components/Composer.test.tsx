import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Composer } from './Composer';

describe('Composer', () => {
  it('sends on Enter, adds a line on Shift+Enter, and clears after sending', async () => {
    const onSend = vi.fn();
    render(<Composer streaming={false} onSend={onSend} onStop={() => undefined} />);
    const box = screen.getByLabelText('Your question');
    await userEvent.type(box, 'First line{Shift>}{Enter}{/Shift}second line');
    expect(onSend).not.toHaveBeenCalled();
    expect(box).toHaveValue('First line\nsecond line');
    await userEvent.type(box, '{Enter}');
    expect(onSend).toHaveBeenCalledWith('First line\nsecond line');
    expect(box).toHaveValue('');
    expect(box).toHaveFocus();
  });

  it('does not send blank questions', async () => {
    const onSend = vi.fn();
    render(<Composer streaming={false} onSend={onSend} onStop={() => undefined} />);
    await userEvent.type(screen.getByLabelText('Your question'), '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
  });

  it('shows Stop while streaming and does not send', async () => {
    const onSend = vi.fn();
    const onStop = vi.fn();
    render(<Composer streaming onSend={onSend} onStop={onStop} />);
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    await userEvent.type(screen.getByLabelText('Your question'), 'Next{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(onStop).toHaveBeenCalled();
  });

  it('stops at the server\'s 2,000 characters, with a counter as the limit nears', async () => {
    render(<Composer streaming={false} onSend={() => undefined} onStop={() => undefined} />);
    const box = screen.getByLabelText('Your question');
    await userEvent.click(box);
    await userEvent.paste('a'.repeat(1799));
    expect(screen.queryByText(/characters left/)).toBeNull();
    await userEvent.type(box, 'b');
    expect(screen.getByText('200 of 2,000 characters left')).toBeInTheDocument();
    expect(box.getAttribute('aria-describedby')).toContain('composer-count');
    await userEvent.paste('c'.repeat(500));
    expect(box).toHaveValue('a'.repeat(1799) + 'b' + 'c'.repeat(200));
    expect(screen.getByText(/That is the 2,000-character limit/)).toBeInTheDocument();
    expect(screen.getByText('The question has reached the 2,000-character limit.')).toHaveAttribute('aria-live', 'polite');
  });
});
