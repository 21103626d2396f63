// Shared by the Chromium journeys (t/e2e/journeys.mjs): TAP output, a
// check that turns an exception into a failed test with its stack, axe
// scans and screenshots at desktop, tablet and phone sizes, the browser
// and sign-in.  playwright-core and @axe-core/playwright come from
// frontend/node_modules.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'frontend', 'package.json'));
export const { chromium } = require('playwright-core');
const AxeBuilder = require('@axe-core/playwright').default;

export const DESKTOP = { width: 1280, height: 800 };
export const TABLET = { width: 820, height: 1180 };
export const MOBILE = { width: 390, height: 844 };
export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 30000);

let n = 0;
let failed = 0;
export const ok = (cond, what, detail) => {
  n += 1;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}`);
  if (!cond) {
    failed += 1;
    if (detail) for (const l of String(detail).split('\n')) console.log(`# ${l}`);
  }
  return cond;
};
export const diag = (s) => console.log(`# ${s}`);

/** Runs fn as one test: false or an exception fails it. */
export async function check(what, fn) {
  try {
    const r = await fn();
    return ok(r !== false, what, r === false ? 'the check returned false' : undefined);
  } catch (e) {
    return ok(false, what, e && e.stack ? e.stack.split('\n').slice(0, 6).join('\n') : e);
  }
}

/** Prints the plan and exits 1 when a test failed. */
export function finish() {
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
}

const axeLine = (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((x) => x.target.join(' ')).join(', ')})`;

/** An axe scan (WCAG 2.0/2.1 A and AA; no serious or critical finding)
 * at desktop and at phone size, and screenshots at the three sizes, as
 * SHOTS/NN-NAME-{desktop,tablet,mobile}.png. */
export function screens(shots) {
  let shot = 0;
  return async function screen(page, name) {
    shot += 1;
    const base = `${String(shot).padStart(2, '0')}-${name}`;
    const size = page.viewportSize() ?? DESKTOP;
    for (const [label, vp] of [['desktop', DESKTOP], ['tablet', TABLET], ['mobile', MOBILE]]) {
      await page.setViewportSize(vp);
      await page.waitForTimeout(100);
      if (label !== 'tablet') {
        const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        ok(bad.length === 0, `axe: no serious or critical violations on ${name} (${label})`, bad.map(axeLine).join('\n'));
      }
      await page.screenshot({ path: join(shots, `${base}-${label}.png`), fullPage: false });
    }
    await page.setViewportSize(size);
  };
}

/** Headless Chromium, and a way to open a page in a context of its own
 * (its own cookies) whose script errors are collected in errors. */
export async function launch(errors) {
  const browser = await chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const newPage = async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
    ctx.setDefaultTimeout(TIMEOUT);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    // HTTP errors the app handles (401 before sign-in, a 404) are logged
    // by Chromium as failed loads: not script errors.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    return { ctx, page };
  };
  return { browser, newPage };
}

/** Fills the local sign-in form (the page must show it) and waits for
 * the signed-in app's header. */
export async function signInHere(page, who) {
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'attached' });
}

/** "EMAIL:PASSWORD" from the environment variable k. */
export function creds(k) {
  const v = process.env[k] ?? '';
  const i = v.indexOf(':');
  if (i < 0) {
    console.log(`Bail out! ${k} must be EMAIL:PASSWORD`);
    process.exit(1);
  }
  return { email: v.slice(0, i), password: v.slice(i + 1) };
}
