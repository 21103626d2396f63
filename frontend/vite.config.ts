// Vite configuration for the PLC Coach web app.
//
// `npm run dev` serves the app with hot reload and proxies /api and /health
// to the local stack (scripts/up, http://127.0.0.1:8000 by default; set
// PLCCOACH_DEV_API to point elsewhere).  `npm run build` writes dist/,
// which nginx serves (conf/nginx/spa_locations.conf).  Vitest runs the
// component tests under jsdom.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const api = process.env.PLCCOACH_DEV_API ?? 'http://127.0.0.1:8000';
// The server refuses state changes whose Origin is not its
// PLCCOACH_PUBLIC_URL (default http://localhost:8000): the proxy presents
// that origin instead of the dev server's.
const origin = process.env.PLCCOACH_DEV_ORIGIN ?? 'http://localhost:8000';
const proxied = {
  target: api,
  changeOrigin: true,
  configure: (proxy: { on: (ev: 'proxyReq', fn: (req: { getHeader(n: string): unknown; setHeader(n: string, v: string): void }) => void) => void }) => {
    proxy.on('proxyReq', (req) => {
      if (req.getHeader('origin')) req.setHeader('origin', origin);
    });
  },
};

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': proxied,
      '/health': proxied,
    },
    // Under Vitest only: src/api/errors.test.ts reads the server's error
    // codes from ../src and ../docs.  The dev server serves this folder alone.
    ...(process.env.VITEST ? { fs: { allow: ['.', '../src', '../docs'] } } : {}),
  },
  build: {
    // The CSP allows no inline script or style: keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // A journey test takes ~2 s alone; on two busy cores (CI builds the C
    // code beside it) it has reached 5.4 s, past the 5 s default.
    testTimeout: 20000,
    // CSS is not applied under jsdom; styles.css is read as text (?raw) by
    // the tests that check a rule (MessageView.test.tsx: target size).
    css: { include: [/styles\.css/] },
  },
});
