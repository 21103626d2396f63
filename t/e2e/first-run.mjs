#!/usr/bin/env node
// First run (issue 11) in headless Chromium: the one-time link that
// `scripts/up` printed signs a browser in, on the port it was started on;
// the same link does nothing the second time; a second link opened through
// 127.0.0.1 (a loopback alias of the public URL's localhost) signs in too;
// the sign-in page tells a visitor without an account how to get one.
// Prints TAP.  Environment (set by t/integration/first-run.sh):
//   E2E_LINK       the link scripts/up printed (http://localhost:PORT/sign-in/link#TOKEN)
//   E2E_LINK2      another link for the same account
//   E2E_CHROMIUM   the browser (default /usr/bin/chromium)
//   E2E_SHOTS      where the screenshots go
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, finish, launch } from './lib.mjs';

const LINK = process.env.E2E_LINK ?? '';
const LINK2 = process.env.E2E_LINK2 ?? '';
const SHOTS = resolve(process.env.E2E_SHOTS ?? 'first-run-screenshots');
if (!/^http:\/\/localhost:\d+\/sign-in\/link#[0-9a-f]{64}$/.test(LINK) || !LINK2) {
  console.log('Bail out! E2E_LINK and E2E_LINK2 must be sign-in links');
  process.exit(1);
}
const ORIGIN = new URL(LINK).origin;
mkdirSync(SHOTS, { recursive: true });

// Script errors are not this scenario's checks (e2e.sh's are).
const launched = await launch([]);
const browser = launched.browser;
const newPage = async () => (await launched.newPage()).page;

try {
  // The link scripts/up printed: straight into the coach.
  const page = await newPage();
  await check('the printed link opens the coach, signed in', async () => {
    await page.goto(LINK);
    await page.getByLabel('Your question').waitFor();
  });
  await page.screenshot({ path: join(SHOTS, '01-signed-in-by-link.png') });
  await check('as the administrator', async () => {
    await page.locator('.who', { hasText: 'Administrator' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/me')).json());
    return me.email === 'admin@localhost' && me.role === 'admin';
  });
  await check(`on the port scripts/up was given (${ORIGIN}), and the token is gone from the address bar`,
    async () => page.url() === ORIGIN + '/');
  await check('the administrator sees the Admin section (to add people)', async () => {
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Add a person' }).waitFor();
  });

  // The same link again, in a browser that is not signed in: refused.
  const again = await newPage();
  await check('the same link a second time says it was used, and how to get a new one', async () => {
    await again.goto(LINK);
    const alert = again.getByRole('alert');
    await alert.waitFor();
    const text = await alert.textContent();
    return /already used/.test(text) && /plccoach user sign-in-link/.test(text);
  });
  await again.screenshot({ path: join(SHOTS, '02-link-used.png') });
  await check('and signs nobody in', async () =>
    (await again.evaluate(async () => (await fetch('/api/me')).status)) === 401);

  // The same server through 127.0.0.1: one origin on loopback.
  const alias = await newPage();
  const aliasLink = LINK2.replace('//localhost:', '//127.0.0.1:');
  await check(`a link opened at ${new URL(aliasLink).origin} signs in too (loopback names are one origin)`, async () => {
    await alias.goto(aliasLink);
    await alias.getByLabel('Your question').waitFor();
  });

  // A visitor without an account: the sign-in page says what to do.
  const visitor = await newPage();
  await check('the sign-in page tells a visitor how an account is obtained', async () => {
    await visitor.goto(ORIGIN + '/');
    await visitor.getByRole('heading', { name: 'No account yet?' }).waitFor();
    const text = await visitor.locator('.signin-help').textContent();
    return /Ask your administrator/.test(text) && /plccoach user sign-in-link/.test(text);
  });
  await visitor.screenshot({ path: join(SHOTS, '03-sign-in-page.png') });
} finally {
  await browser.close();
}
finish();
