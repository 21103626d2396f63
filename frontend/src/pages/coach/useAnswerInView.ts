// New answers in view (the coach page).  When a question is sent, it is
// scrolled to the top of the message pane (smoothly, unless the reader
// prefers reduced motion), and kept there while its answer grows, so the
// answer fills the view below it.  The spacer after the list gives the
// last exchange at least the pane's height, so even a short answer can sit
// under its question at the top.  Once the reader scrolls the pane
// themselves (wheel, touch, keys), the pane is theirs until the next
// question.

import { useEffect, type RefObject } from 'react';
import type { UiMessage } from '../../components/MessageView';

/** `listEnd`: the spacer after the message list (its parent is the pane);
 * `pinned`: the id of the question kept at the top (null: none);
 * `forceScroll`: the next change of `messages` scrolls even with nothing
 * pinned (to the end). */
export function useAnswerInView(
  listEnd: RefObject<HTMLDivElement | null>,
  messages: UiMessage[],
  pinned: RefObject<string | null>,
  forceScroll: RefObject<boolean>,
) {
  useEffect(() => {
    const pane = listEnd.current?.parentElement;
    const spacer = listEnd.current;
    if (!pane || !spacer) return;
    const id = pinned.current;
    const q = id ? pane.querySelector<HTMLElement>(`[data-message-id="${id}"]`) : null;
    if (!q) {
      spacer.style.height = '0px'; // CSSOM, which the CSP allows (no inline style attribute)
      if (forceScroll.current) pane.scrollTop = pane.scrollHeight;
      forceScroll.current = false;
      return;
    }
    const paneBox = pane.getBoundingClientRect();
    const qTop = q.getBoundingClientRect().top - paneBox.top + pane.scrollTop;
    const below = spacer.getBoundingClientRect().top - q.getBoundingClientRect().top;
    spacer.style.height = `${Math.max(0, Math.floor(pane.clientHeight - below))}px`;
    const top = Math.max(0, qTop - parseFloat(getComputedStyle(pane).paddingTop || '0'));
    if (Math.abs(pane.scrollTop - top) > 1) {
      const smooth = forceScroll.current && !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      pane.scrollTo({ top, behavior: smooth ? 'smooth' : 'auto' });
    }
    forceScroll.current = false;
  }, [listEnd, messages, pinned, forceScroll]);

  useEffect(() => {
    const pane = listEnd.current?.parentElement;
    if (!pane) return;
    const release = () => { pinned.current = null; };
    const onKey = (e: KeyboardEvent) => {
      if (['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown'].includes(e.key)) release();
    };
    // A press on the pane itself (not on something in it) is its scroll bar.
    const onPointer = (e: PointerEvent) => { if (e.target === pane) release(); };
    pane.addEventListener('wheel', release, { passive: true });
    pane.addEventListener('touchmove', release, { passive: true });
    pane.addEventListener('keydown', onKey);
    pane.addEventListener('pointerdown', onPointer);
    return () => {
      pane.removeEventListener('pointerdown', onPointer);
      pane.removeEventListener('wheel', release);
      pane.removeEventListener('touchmove', release);
      pane.removeEventListener('keydown', onKey);
    };
  }, [listEnd, pinned]);
}
