// Shared by the Chromium journeys (t/e2e/journeys.mjs): TAP output, a
// check that turns an exception into a failed test with its stack, the
// three sizes a journey runs at, axe scans and screenshots, the browser
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
/** The sizes a journey runs at (issue 19): a desktop with a mouse, the
 * tablet of a team meeting (a Chromebook or an iPad) and a phone, by
 * touch (taps, a mobile viewport). */
export const SIZES = {
  desktop: { label: 'desktop', viewport: DESKTOP, touch: false },
  tablet: { label: 'tablet', viewport: TABLET, touch: false },
  phone: { label: 'phone', viewport: MOBILE, touch: true },
};

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

const axeScan = async (page, what) => {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  ok(bad.length === 0, `axe: no serious or critical violations on ${what}`, bad.map(axeLine).join('\n'));
};

const labelOf = (vp) => Object.values(SIZES).find((s) => s.viewport.width === vp.width)?.label ?? `${vp.width}px`;

/** screen(page, name): an axe scan (WCAG 2.0/2.1 A and AA; no serious or
 * critical finding) and a screenshot, SHOTS/NN-NAME-SIZE.png, at the
 * size the page is at (each journey runs at each size in a context of
 * that size). */
export function screens(shots) {
  let shot = 0;
  return async function screen(page, name) {
    shot += 1;
    const label = labelOf(page.viewportSize() ?? DESKTOP);
    await axeScan(page, `${name} (${label})`);
    await page.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}-${label}.png`), fullPage: false });
  };
}

/** A tap at phone size (the context has touch), a click otherwise. */
export const press = (size, locator) => (size.touch ? locator.tap() : locator.click());

/** Headless Chromium, and a way to open a page in a context of its own
 * (its own cookies; at a size of SIZES, desktop unless named) whose
 * script errors are collected in errors. */
export async function launch(errors) {
  const browser = await chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const newPage = async (size = SIZES.desktop) => {
    const ctx = await browser.newContext({
      viewport: size.viewport, reducedMotion: 'reduce', hasTouch: size.touch, isMobile: size.touch,
    });
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
  // Behind the collapsed "Menu" at phone size: attached, not shown.
  await page.getByRole('button', { name: 'Sign out', includeHidden: true }).waitFor({ state: 'attached' });
}

/** Where the conversation's last question and answer are (issue 19:
 * new answers in view): ok when the question is at the top of the
 * messages pane (within 40 px) and its answer fills what is left of the
 * pane below the question (less 40 px: the gap between them), or is
 * whole; said, the figures in words.  (A question of three lines on a
 * phone leaves less room than one line at desktop.) */
export async function lastExchangeInView(page) {
  const at = await page.evaluate(() => {
    const pane = document.querySelector('.messages');
    const qs = document.querySelectorAll('.message.user');
    const as = document.querySelectorAll('.message.assistant');
    const p = pane.getBoundingClientRect();
    const q = qs[qs.length - 1].getBoundingClientRect();
    const a = as[as.length - 1].getBoundingClientRect();
    const visible = Math.max(0, Math.min(a.bottom, p.bottom) - Math.max(a.top, p.top));
    return { top: q.top - p.top, below: p.bottom - q.bottom, visible, height: a.height, pane: p.height };
  });
  return {
    ok: at.top >= 0 && at.top <= 40 && at.visible >= Math.min(at.height, at.below - 40),
    said: `question ${Math.round(at.top)} px below the pane's top; ${Math.round(at.visible)} of ${
      Math.round(at.height)} px of its answer visible (pane ${Math.round(at.pane)} px, ${Math.round(at.below)} px below the question)`,
  };
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
