// Entry point: renders the app and reports uncaught browser errors to the
// server log (POST /api/client-errors).

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { reportClientError } from './api/client';
import './styles.css';

window.addEventListener('error', (e) => reportClientError(e.message || 'error', e.error?.stack));
window.addEventListener('unhandledrejection', (e) => {
  const r = e.reason;
  if (r instanceof DOMException && r.name === 'AbortError') return;
  reportClientError(r instanceof Error ? r.message : String(r), r instanceof Error ? r.stack : undefined);
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
