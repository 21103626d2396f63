// Vitest set-up: jest-dom matchers, a clean DOM after every test, and the
// few browser APIs jsdom lacks.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

afterEach(() => {
  cleanup();
  // Drafts and the signed-in marker (drafts.ts) never leak between tests.
  localStorage.clear();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

if (!Element.prototype.scrollIntoView) {
  Element.prototype.scrollIntoView = function scrollIntoView() {};
}
