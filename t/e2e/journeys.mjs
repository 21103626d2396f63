#!/usr/bin/env node
// Journeys in headless Chromium against the real stack (issue 19's admin
// screens, share recipients, flags and the teacher's journey, issue 11's
// model failure), each at desktop (1280x800), tablet (820x1180) and phone
// (390x844, by touch) sizes in a context of that size, one browser for the
// whole run (journey 5 at desktop is scenario.mjs's); each screen
// is scanned by axe and photographed at the size its journey runs at:
//
//  1. An admin pages through 58 users, adds a person, disables and enables
//     an account, changes a role after the confirmation (her own is
//     locked), assigns a school; adds a school and a team and a member;
//     filters the audit log to see those changes.
//  2. Teacher 1 shares a conversation, kept up to date; a colleague who is
//     not signed in opens the link, is told who shared what, signs in and
//     lands on it; sees on Refresh what teacher 1 asked since; copies it
//     to her conversations and continues it there.
//  3. The model fails mid-answer (t/model/stub.py error_after_chunks): what
//     it streamed is withdrawn and the library's quoted answer takes its
//     place with the notice (docs/api.md, the stream's model_failed), no
//     failure; a reload shows the same answer (it is the one saved).
//  4. Try again after the stream is cut (issue 11): the model stand-in
//     holds an answer after its first token (t/model/stub.py "hold"), the
//     FastCGI worker streaming it is killed; the app shows the connection
//     lost with "Try again"; trying again (the same Idempotency-Key)
//     answers it in place once the pool has released the dead worker's
//     question (docs/operations.md, "Worker deaths"; before that, a 409
//     in_progress that the app waits out); a reload shows the question
//     once, with that answer.
//  5. The teacher's journey of scenario.mjs at tablet and phone size: the
//     answer and its live region, 24 px citation targets, the citation
//     panel, a follow-up in view, the question's limit, the session that
//     ends mid-question, renaming from the sidebar (a drawer on the
//     phone), the share dialog's active link and its copy button.
//  6. The flag of scenario.mjs: a thumbs-down
//     with a reason and a flag (the dialog within the view), the admin's
//     card with the answer's sources, resolved with a note, and the
//     teacher seeing the resolution and the note on her answer; then she
//     deletes the conversation and the flag is still listed under "All".
//
// Prints TAP.  Environment (set by t/integration/e2e-journeys.sh):
// E2E_BASE_URL, E2E_SHOTS, E2E_CHROMIUM, E2E_STUB_URL (the stand-in's
// script endpoint), E2E_POOL_PID (the FastCGI master), E2E_ADMIN,
// E2E_TEACHER1, E2E_TEACHER2 (EMAIL:PASSWORD).
import { mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  check, creds, diag, finish, lastExchangeInView, launch, ok, press, screens, signInHere, SIZES, TIMEOUT,
} from './lib.mjs';

const BASE = (process.env.E2E_BASE_URL ?? '').replace(/\/$/, '');
const STUB = process.env.E2E_STUB_URL ?? '';
const POOL_PID = Number(process.env.E2E_POOL_PID ?? 0);
const SHOTS = resolve(process.env.E2E_SHOTS ?? 'journeys-screenshots');
mkdirSync(SHOTS, { recursive: true });
const ADMIN = creds('E2E_ADMIN');
const T1 = creds('E2E_TEACHER1');
const T2 = creds('E2E_TEACHER2');
const screen = screens(SHOTS);
const errors = [];
const { browser, newPage } = await launch(errors);

async function signIn(page, who) {
  await page.goto(BASE + '/');
  await signInHere(page, who);
}

// Asks in the open conversation; resolves with the new answer's element
// once the Send button is back.
async function ask(page, question) {
  const before = await page.locator('.message.assistant').count();
  const box = page.getByLabel('Your question');
  await box.fill(question);
  await box.press('Enter');
  await page.locator('.message.assistant').nth(before).waitFor();
  await page.getByRole('button', { name: 'Send', exact: true }).waitFor({ timeout: TIMEOUT * 2 });
  return page.locator('.message.assistant').nth(before);
}

async function stub(path, body) {
  const r = await fetch(STUB + path, {
    method: body === undefined ? 'GET' : 'POST', headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`the model stand-in answered ${r.status} to ${path}`);
  return r.json();
}

// The pids of the FastCGI master's workers that hold an established TCP
// connection to the model stand-in (from /proc: the sockets' inodes in
// /proc/net/tcp{,6} whose remote port is the stand-in's, and the workers'
// descriptors that point at them).
function workersTalkingToStub(peerPort) {
  const port = Number(new URL(STUB).port).toString(16).toUpperCase().padStart(4, '0');
  // With peerPort (the request's client port, as the stand-in saw it), only
  // the socket of that request: a worker's idle kept-alive connection to the
  // stand-in is established too.
  const local = peerPort === undefined ? null : Number(peerPort).toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(f, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const col = line.trim().split(/\s+/);
      if (col.length > 9 && col[2].endsWith(`:${port}`) && col[3] === '01'
        && (local === null || col[1].endsWith(`:${local}`))) inodes.add(col[9]);
    }
  }
  const children = readFileSync(`/proc/${POOL_PID}/task/${POOL_PID}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return children.map(Number).filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
          return m !== null && inodes.has(m[1]);
        } catch { return false; }
      });
    } catch { return false; }
  });
}

// The header's navigation: behind "Menu" below 768 px.
async function nav(page, size, name) {
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  if (!(await link.isVisible())) await press(size, page.getByRole('button', { name: 'Menu', exact: true }));
  await press(size, link);
}

// An element's box must fit the viewport's width (nothing cut off or
// pushed sideways at tablet and phone sizes); returns its width.
async function fitsWidth(page, locator) {
  const vw = page.viewportSize().width;
  const r = await locator.evaluate((el) => { const b = el.getBoundingClientRect(); return [b.left, b.right]; });
  if (r[0] < -1 || r[1] > vw + 1) throw new Error(`it spans ${Math.round(r[0])}..${Math.round(r[1])} px of a ${vw} px view`);
  return r[1] - r[0];
}

// ---- 1. The admin screens, at one size --------------------------------------
async function adminJourney(size) {
  const L = size.label;
  // What the journey adds or changes is its own at each size: the
  // person added, whose role changes, the school and the team.
  const who = { desktop: 't4', tablet: 'staff1', phone: 'staff2' }[L];
  const email = `${who}@example.org`;
  const school = `Oak Middle ${L}`;
  const team = `Grade 5 ${L}`;
  const ad = await newPage(size);
  const p = ad.page;
  await check(`[${L}] the admin opens Users: 50 people on page 1, the rest on page 2`, async () => {
    await signIn(p, ADMIN);
    await nav(p, size, 'Admin');
    await p.getByRole('heading', { name: 'Users' }).waitFor();
    const rows = p.getByRole('table', { name: /^Users, page/ }).locator('tbody tr');
    await rows.nth(49).waitFor();
    const first = await rows.count();
    const pager = p.getByRole('navigation', { name: 'Pages of users' });
    await press(size, pager.getByRole('button', { name: 'Next page' }));
    await pager.getByText('Page 2').waitFor();
    await p.getByRole('table', { name: 'Users, page 2' }).waitFor();
    const second = await rows.count();
    const nextOff = await pager.getByRole('button', { name: 'Next page' }).isDisabled();
    diag(`[${L}] users: ${first} on page 1, ${second} on page 2`);
    await press(size, pager.getByRole('button', { name: 'Previous page' }));
    await p.getByRole('table', { name: 'Users, page 1' }).waitFor();
    return first === 50 && second >= 8 && nextOff;
  });
  await check(`[${L}] her own role cannot be changed from the list`, async () =>
    p.getByLabel(`Role of ${ADMIN.email}`).isDisabled());
  await check(`[${L}] she adds a person and gets a one-time sign-in link for them`, async () => {
    await p.getByLabel('Email', { exact: true }).fill(`newcomer-${L}@example.org`);
    await p.getByLabel('Name', { exact: true }).fill(`New Comer ${L}`);
    await press(size, p.getByRole('button', { name: 'Add and make a sign-in link' }));
    const box = p.getByRole('region', { name: 'Sign-in link' });
    await box.waitFor();
    await fitsWidth(p, box);
    return /sign-in\/link#[0-9a-f]{64}/.test((await box.textContent()) ?? '');
  });
  await screen(p, 'admin-users');
  await check(`[${L}] she disables an account and enables it again`, async () => {
    await p.getByLabel('Search by name or email').fill('t3@example.org');
    await press(size, p.getByRole('button', { name: 'Disable t3@example.org' }));
    await p.getByText(/t3@example.org is disabled/).waitFor();
    await press(size, p.getByRole('button', { name: 'Enable t3@example.org' }));
    await p.getByText('t3@example.org can sign in again.').waitFor();
  });
  await check(`[${L}] a role change waits for the confirmation`, async () => {
    await p.getByLabel('Search by name or email').fill(email);
    await p.getByRole('button', { name: `Disable ${email}` }).waitFor();
    await p.getByLabel(`Role of ${email}`).selectOption('coach');
    const dialog = p.getByRole('dialog', { name: `Make ${email} coach?` });
    await dialog.waitFor();
    // At phone size this dialog spanned 41..585 px of the 390 px view:
    // the table's visually hidden labels (position: absolute) had the
    // page, not the scrolling .table-wrap, as their containing block.
    await fitsWidth(p, dialog);
    await screen(p, 'admin-role-confirm');
    await press(size, dialog.getByRole('button', { name: 'Make coach' }));
    await p.getByText(`${email} is now coach.`).waitFor();
    const role = await p.getByLabel(`Role of ${email}`).inputValue();
    diag(`[${L}] ${who}'s role shown after the change: ${role}`);
    return role === 'coach';
  });
  await check(`[${L}] she assigns a school`, async () => {
    await p.getByLabel(`School of ${email}`).selectOption({ label: 'E2E School' });
    await p.getByText(`${email} now belongs to E2E School.`).waitFor();
  });
  await check(`[${L}] Organizations and teams: she adds a school, a team in it and a member`, async () => {
    await press(size, p.getByRole('link', { name: 'Organizations and teams' }));
    await p.getByRole('heading', { name: 'Organizations and teams' }).waitFor();
    await p.getByLabel('Name', { exact: true }).fill(school);
    await press(size, p.getByRole('button', { name: 'Add the organization' }));
    await p.getByText(`School ${school} was added.`).waitFor();
    await p.getByLabel('School', { exact: true }).selectOption({ label: school });
    await p.getByLabel('Team name').fill(team);
    await press(size, p.getByRole('button', { name: 'Add the team' }));
    await p.getByText(`Team ${team} was added.`).waitFor();
    await press(size, p.getByRole('button', { name: `People of ${team}` }));
    const panel = p.getByRole('region', { name: `People of ${team}` });
    await panel.getByLabel('Email').fill('t5@example.org');
    await press(size, panel.getByRole('button', { name: 'Add' }));
    await panel.getByText('Person T5 (t5@example.org)').waitFor();
    await panel.getByLabel('Email').fill(email);
    await panel.getByLabel('as').selectOption('coaches');
    await press(size, panel.getByRole('button', { name: 'Add' }));
    await panel.getByText(`(${email})`).waitFor();
    await fitsWidth(p, panel);
  });
  await screen(p, 'admin-organizations');
  await check(`[${L}] the audit log is its own screen, and its filters find those changes`, async () => {
    await p.goto(BASE + '/admin/audit');
    await p.getByRole('heading', { name: 'Audit log' }).waitFor();
    await p.getByLabel('Action').selectOption('team');
    await p.getByLabel('By (email)').fill(ADMIN.email);
    await press(size, p.getByRole('button', { name: 'Filter' }));
    const table = p.getByRole('table', { name: /^Audit log, page 1/ });
    await table.getByText('team.coach.add').first().waitFor();
    // The unfiltered page has the same caption: wait until the filtered
    // one replaced it (or the time is up, and the check below fails).
    await p.waitForFunction(() => {
      const t = document.querySelector('table')?.textContent ?? '';
      return /team\.create/.test(t) && !/user\.role|org\.create|user\.update/.test(t);
    }, null, { timeout: TIMEOUT }).catch(() => undefined);
    const text = (await table.textContent()) ?? '';
    const others = /user\.role|org\.create|user\.update/.test(text);
    diag(`[${L}] audit (team, by the admin): ${[...new Set(text.match(/team\.[a-z.]+/g) ?? [])].join(' ')}`);
    return /team\.create/.test(text) && /team\.member\.add/.test(text) && !others;
  });
  await screen(p, 'admin-audit');
  await check(`[${L}] the content library lists the books`, async () => {
    await press(size, p.getByRole('link', { name: 'Content library' }));
    await p.getByRole('heading', { name: 'Books' }).waitFor();
  });
  await screen(p, 'admin-library');
  await ad.ctx.close();
}

// ---- 2. A share link's recipients, at one size ------------------------------------
// Returns teacher 1's page (journeys 3 and 4 go on with it at desktop).
async function shareJourney(size) {
  const L = size.label;
  const t1 = await newPage(size);
  let link = '';
  let title = '';
  await check(`[${L}] teacher 1 asks and shares the conversation, kept up to date (a live link)`, async () => {
    await signIn(t1.page, T1);
    await ask(t1.page, `How should a team write its norms? (${L})`);
    await press(size, t1.page.getByRole('button', { name: 'Share', exact: true }));
    const dialog = t1.page.getByRole('dialog', { name: 'Share this conversation' });
    await fitsWidth(t1.page, dialog);
    await press(size, dialog.getByRole('radio', { name: /^Keep this link up to date/ }));
    await press(size, dialog.getByRole('button', { name: 'Create link' }));
    link = await dialog.getByLabel('Link', { exact: true }).inputValue();
    await t1.page.keyboard.press('Escape');
    title = ((await t1.page.locator('.conversation-head h1').textContent()) ?? '').trim();
    return /\/shared\/[0-9a-f]{64}$/.test(link) && title.length > 0;
  });
  const local = BASE + (link ? new URL(link).pathname : '/shared/none');
  const t2 = await newPage(size);
  await check(`[${L}] signed out, the link says who shared what`, async () => {
    await t2.page.goto(local);
    const note = t2.page.getByRole('note');
    await note.getByText(/shared the conversation/).waitFor();
    const text = (await note.textContent()) ?? '';
    diag(`[${L}] signed-out note: ${text}`);
    await fitsWidth(t2.page, note);
    return text.includes('Person T1') && text.includes(`“${title}”`);
  });
  await screen(t2.page, 'shared-signed-out');
  await check(`[${L}] signing in lands on the shared conversation`, async () => {
    await signInHere(t2.page, T2);
    await t2.page.getByRole('heading', { level: 1, name: title }).waitFor();
    await t2.page.getByText(/^Shared by /).waitFor();
    return new URL(t2.page.url()).pathname === new URL(local).pathname;
  });
  await screen(t2.page, 'shared-signed-in');
  await check(`[${L}] a question teacher 1 asks later reaches her colleague on Refresh (the link is live)`, async () => {
    const later = `And how often should we revisit them? (${L})`;
    await ask(t1.page, later);
    await press(size, t2.page.getByRole('button', { name: 'Refresh' }));
    await t2.page.getByText(/^2 new messages\.$/).waitFor();
    await t2.page.locator('.message.user').filter({ hasText: later }).waitFor();
    return (await t2.page.locator('.message.user').count()) === 2;
  });
  await check(`[${L}] "Copy to my conversations" opens her own copy, which she continues`, async () => {
    await press(size, t2.page.getByRole('button', { name: 'Copy to my conversations' }));
    await t2.page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await t2.page.getByLabel('Your question').waitFor();
    await t2.page.locator('.message.assistant .sources li').first().waitFor();
    const before = await t2.page.locator('.message.assistant').count();
    const a = await ask(t2.page, 'What about a new team member?');
    const sources = await a.locator('.sources li').count();
    diag(`[${L}] copy: ${before} answer(s) copied, the follow-up cites ${sources}`);
    return before >= 1 && sources >= 1;
  });
  await screen(t2.page, 'shared-copy-continued');
  await t2.ctx.close();
  return t1;
}

// ---- 5. The teacher's journey at tablet and phone size ------------------------------
// scenario.mjs walks it at desktop (t/integration/e2e.sh); here, at a
// smaller size, the parts whose layout changes: the answer and its live
// region, the citation panel (an overlay below 1024 px), a follow-up
// kept in view, the question's limit, the session that ends mid-meeting,
// the conversation renamed from the sidebar (a drawer below 768 px) and
// the share dialog's active links.
async function teacherJourney(size) {
  const L = size.label;
  const { ctx, page } = await newPage(size);
  let answer;
  await check(`[${L}] teacher 1 asks; the live region says "writing", then "complete" with its sources`, async () => {
    await signIn(page, T1);
    await page.evaluate(() => {
      const w = window;
      w.__said = [];
      new MutationObserver(() => {
        const said = document.getElementById('answer-status')?.textContent ?? '';
        if (said !== (w.__said[w.__said.length - 1] ?? '')) w.__said.push(said);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    answer = await ask(page, `How should our team write a common formative assessment? (${L})`);
    const said = await page.evaluate(() => window.__said);
    diag(`[${L}] live region: ${JSON.stringify(said).slice(0, 200)}`);
    return said[0] === 'The coach is writing an answer.'
      && /^The coach's answer is complete, with \d+ sources?\. It begins: .{10,}/.test(said[said.length - 1]);
  });
  await check(`[${L}] the answer fits the width, and its citation buttons are at least 24x24 px`, async () => {
    await fitsWidth(page, answer);
    const boxes = await answer.locator('.markdown .cite-ref, .source-chip').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return [r.width, r.height];
    }));
    diag(`[${L}] ${boxes.length} citation buttons, the smallest ${Math.min(...boxes.map((b) => b[0]))}x${Math.min(...boxes.map((b) => b[1]))} px`);
    return boxes.length > 0 && boxes.every(([w, h]) => w >= 24 && h >= 24);
  });
  await screen(page, 'answer');
  await check(`[${L}] a citation opens the panel over the answer, within the view; Escape closes it`, async () => {
    await press(size, answer.locator('.source-chip').first());
    const panel = page.getByRole('complementary', { name: /^Source \d+$/ });
    await panel.waitFor();
    const w = await fitsWidth(page, panel);
    const quote = (await panel.locator('.quote').textContent()) ?? '';
    await screen(page, 'citation-panel');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    diag(`[${L}] citation panel ${Math.round(w)} px wide`);
    return quote.length > 10;
  });
  const convUrl = page.url();
  await check(`[${L}] a follow-up is scrolled to the top of the view, its answer below it`, async () => {
    const followUp = answer.locator('.followups button').first();
    const before = await page.locator('.message.assistant').count();
    if (await followUp.count()) {
      await press(size, followUp);
      await page.locator('.message.assistant').nth(before).waitFor();
      await page.getByRole('button', { name: 'Send', exact: true }).waitFor({ timeout: TIMEOUT * 2 });
    } else {
      await ask(page, 'What about Tier 3?');
    }
    const at = await lastExchangeInView(page);
    diag(`[${L}] follow-up: ${at.said}`);
    return page.url() === convUrl && at.ok;
  });
  await screen(page, 'follow-up');
  await check(`[${L}] the question box stops at 2,000 characters and says so`, async () => {
    const box = page.getByLabel('Your question');
    await box.focus();
    await page.keyboard.insertText('a'.repeat(2100));
    const length = (await box.inputValue()).length;
    const counter = page.locator('#composer-count');
    const said = (await counter.textContent()) ?? '';
    await fitsWidth(page, counter);
    await screen(page, 'question-limit');
    await box.fill('');
    return length === 2000 && /2,000-character limit/.test(said);
  });
  const typed = `How do we score the common assessment together? (${L})`;
  await check(`[${L}] the session ends mid-question: told so, signed in again, back with the question`, async () => {
    await page.getByLabel('Your question').fill(typed);
    await ctx.clearCookies();
    await page.getByLabel('Your question').press('Enter');
    await page.getByRole('heading', { name: 'Sign in to PLC Coach' }).waitFor();
    const said = (await page.getByText(/^Your session ended/).textContent()) ?? '';
    await screen(page, 'session-ended');
    await signInHere(page, T1);
    await page.waitForFunction((q) => document.getElementById('composer-input')?.value === q, typed);
    const back = page.url() === convUrl;
    await page.getByLabel('Your question').fill('');
    return /anything you were typing has been kept/.test(said) && back;
  });
  const title = `Norms ${L} ${Date.now() % 100000}`;
  await check(`[${L}] the conversation is renamed from the sidebar${size.touch ? ' (a drawer)' : ''}`, async () => {
    const drawer = page.getByRole('button', { name: 'Conversations', exact: true });
    const inDrawer = await drawer.isVisible();
    if (inDrawer) await press(size, drawer);
    const current = page.locator('.conv-list li.active');
    await press(size, current.getByRole('button', { name: /^Actions for / }));
    await press(size, current.getByRole('button', { name: 'Rename' }));
    const field = page.getByLabel('New title');
    await field.fill(title);
    await field.press('Enter');
    await page.locator('.conv-list').getByText(title).waitFor();
    if (inDrawer) {
      await screen(page, 'drawer');
      await page.keyboard.press('Escape');
      await page.locator('#sidebar').waitFor({ state: 'hidden' });
    }
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    diag(`[${L}] the sidebar is ${inDrawer ? 'a drawer' : 'a column'}`);
    return inDrawer === (size.viewport.width < 768);
  });
  await check(`[${L}] the share dialog lists the active link with its expiry, and copies it`, async () => {
    await press(size, page.getByRole('button', { name: 'Share', exact: true }));
    const dialog = page.getByRole('dialog', { name: 'Share this conversation' });
    // Each kind of link is one row: its radio button beside its words
    // (a radio button once took a row of its own, its words the next).
    const rows = await dialog.locator('.share-kind label').evaluateAll((ls) => ls.map((l) => {
      const r = l.querySelector('input').getBoundingClientRect();
      const b = l.getBoundingClientRect();
      return { beside: r.right < b.left + 40 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1, w: r.width };
    }));
    if (rows.length !== 2 || !rows.every((r) => r.beside && r.w <= 24)) {
      throw new Error(`the link kinds' radio buttons are not beside their words: ${JSON.stringify(rows)}`);
    }
    await dialog.getByLabel('Link expires').selectOption('7');
    await press(size, dialog.getByRole('button', { name: 'Create link' }));
    const url = await dialog.getByLabel('Link', { exact: true }).inputValue();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await press(size, page.getByRole('button', { name: 'Share', exact: true }));
    const item = dialog.locator('.share-list li').first();
    await item.getByRole('button', { name: /^Copy the link/ }).waitFor();
    await fitsWidth(page, dialog);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
    await press(size, item.getByRole('button', { name: /^Copy the link/ }));
    await dialog.getByText('Link copied.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const text = (await item.textContent()) ?? '';
    await screen(page, 'share-dialog');
    await page.keyboard.press('Escape');
    return /expires /.test(text) && copied === url;
  });
  await ctx.close();
}

// Opens a new conversation: the sidebar's button, in the drawer below
// 768 px (opened first from "Conversations").
async function newConversation(page, size) {
  const drawer = page.getByRole('button', { name: 'Conversations', exact: true });
  if (await drawer.isVisible()) await press(size, drawer);
  await press(size, page.getByRole('button', { name: 'New conversation' }));
  await page.getByRole('heading', { level: 1, name: 'New conversation' }).waitFor();
}

// A dialog must fit the view, both ways (its own scroll bar holds what is
// longer): nothing of it, its buttons included, out of reach.
async function fitsView(page, locator) {
  await fitsWidth(page, locator);
  const vh = page.viewportSize().height;
  const r = await locator.evaluate((el) => { const b = el.getBoundingClientRect(); return [b.top, b.bottom]; });
  if (r[0] < -1 || r[1] > vh + 1) throw new Error(`it spans ${Math.round(r[0])}..${Math.round(r[1])} px of a ${vh} px tall view`);
}

// Every control a finger or a pointer presses in locator (buttons, and
// the labels of check boxes, which are their targets) is at least 24x24 px
// (WCAG 2.2's target size, 2.5.8); throws naming the first one smaller.
async function targetsAtLeast24(locator) {
  const small = await locator.locator('button, label.check').evaluateAll((els) => els
    .map((e) => { const r = e.getBoundingClientRect(); return { t: e.textContent.trim().slice(0, 30), w: r.width, h: r.height }; })
    .filter((b) => b.w > 0 && (b.w < 24 || b.h < 24)));
  if (small.length) throw new Error(`targets under 24 px: ${JSON.stringify(small)}`);
}

// ---- 6. Flags that close the loop, at one size ------------------------------------
// scenario.mjs's checks at desktop, here at each size: teacher 1 gives an answer a thumbs-down
// with a reason and a flag (the reasons dialog within the view); the
// admin's card lists the answer's sources (no bare [n]) and she resolves
// it with a note; teacher 1 sees the resolution and the note on her
// answer; she deletes the conversation, and the admin still finds the
// flag under "All", saying so, with the answer and its sources (scenario.mjs
// keeps its conversation: its counts are exact).  Returns teacher 1's
// context (journeys 3 and 4 go on in it).
async function flagJourney(size) {
  const L = size.label;
  const comment = `Needs an example rubric (${L}).`;
  const note = `We added a sample rubric to the library (${L}).`;
  const t = await newPage(size);
  const p = t.page;
  let answer;
  let convUrl = '';
  await check(`[${L}] thumbs-down opens the reasons dialog, within the view, and saves a reason and a flag`, async () => {
    await signIn(p, T1);
    answer = await ask(p, `How do we give feedback on a common assessment? (${L})`);
    convUrl = p.url();
    await targetsAtLeast24(answer.getByRole('group', { name: 'Rate this answer' }));
    await press(size, answer.getByRole('button', { name: /Not helpful/ }));
    const dialog = p.getByRole('dialog', { name: 'What was wrong with this answer?' });
    await dialog.waitFor();
    await fitsView(p, dialog);
    await targetsAtLeast24(dialog);
    await press(size, dialog.getByRole('checkbox', { name: 'Incomplete' }));
    await dialog.getByLabel('Comment (optional)').fill(comment);
    await press(size, dialog.getByRole('checkbox', { name: /Flag for urgent review/ }));
    const checked = await dialog.getByRole('checkbox', { name: 'Incomplete' }).isChecked()
      && await dialog.getByRole('checkbox', { name: /Flag for urgent review/ }).isChecked();
    await screen(p, 'feedback-dialog');
    await press(size, dialog.getByRole('button', { name: 'Send feedback' }));
    await dialog.waitFor({ state: 'detached' });
    await answer.getByText(/administrator will review/).waitFor();
    return checked && (await answer.getByRole('button', { name: /Not helpful/ }).getAttribute('aria-pressed')) === 'true';
  });
  const ad = await newPage(size);
  const card = ad.page.locator('.flag-list > li').filter({ hasText: comment });
  await check(`[${L}] the admin's flag card lists the answer's sources, not bare [n] markers, within the view`, async () => {
    await signIn(ad.page, ADMIN);
    await nav(ad.page, size, 'Admin');
    await press(size, ad.page.getByRole('link', { name: 'Flagged feedback' }));
    await ad.page.getByText(comment).waitFor();
    await fitsWidth(ad.page, card);
    const sources = await card.locator('.sources li').count();
    const bare = /\[\d+\]/.test((await card.locator('.markdown').first().textContent()) ?? '');
    diag(`[${L}] admin's card: ${sources} sources listed, bare markers ${bare}`);
    return sources > 0 && !bare;
  });
  await screen(ad.page, 'admin-feedback');
  await check(`[${L}] the admin resolves the flag with a note`, async () => {
    await card.getByLabel('Resolution note (optional)').fill(note);
    await targetsAtLeast24(card);
    await press(size, card.getByRole('button', { name: 'Resolve' }));
    await ad.page.getByText('Marked as resolved.').waitFor();
  });
  await check(`[${L}] teacher 1 sees the resolution and the admin's note on her answer, not "Flagged" forever`, async () => {
    await p.goto(convUrl);
    const resolution = p.locator('.flag-resolution');
    await resolution.waitFor();
    await fitsWidth(p, resolution);
    const text = (await resolution.textContent()) ?? '';
    diag(`[${L}] teacher sees: "${text}"`);
    return /reviewed your flag/.test(text) && text.includes(note)
      && (await p.getByRole('button', { name: /Flag resolved/ }).count()) === 1;
  });
  await screen(p, 'flag-resolved');
  await check(`[${L}] she deletes the conversation (the confirmation within the view); the flag outlives it under "All"`, async () => {
    const drawer = p.getByRole('button', { name: 'Conversations', exact: true });
    const inDrawer = await drawer.isVisible();
    if (inDrawer) await press(size, drawer);
    const current = p.locator('.conv-list li.active');
    await press(size, current.getByRole('button', { name: /^Actions for / }));
    await press(size, current.getByRole('button', { name: 'Delete' }));
    const confirm = p.getByRole('dialog', { name: 'Delete this conversation?' });
    await confirm.waitFor();
    await fitsView(p, confirm);
    await press(size, confirm.getByRole('button', { name: 'Delete' }));
    // (In the drawer, which may have closed as the page went to "/".)
    await p.getByText('Conversation deleted.').waitFor({ state: 'attached' });
    if (inDrawer && await p.locator('#sidebar').isVisible()) {
      await p.keyboard.press('Escape');
      await p.locator('#sidebar').waitFor({ state: 'hidden' });
    }
    await ad.page.getByLabel('Show', { exact: true }).selectOption('all');
    const kept = card.locator('.notice.warn');
    await kept.waitFor();
    await fitsWidth(ad.page, card);
    const said = (await kept.textContent()) ?? '';
    const resolved = (await card.getByText(/^Resolved/).textContent()) ?? '';
    const sources = await card.locator('.sources li').count();
    diag(`[${L}] after deleting: "${said.slice(0, 60)}…", ${sources} sources, "${resolved.slice(0, 60)}…"`);
    return /deleted this conversation/.test(said) && sources > 0 && resolved.includes(note);
  });
  await screen(ad.page, 'flag-after-delete');
  await ad.ctx.close();
  return t;
}

// ---- 3. The model fails mid-answer, at one size --------------------------------------
// In teacher 1's page, signed in at that size.
async function modelFailureJourney(size, page) {
  const L = size.label;
  let quoted = '';
  await check(`[${L}] the model fails mid-answer: the library's quoted answer takes its place, with the notice, not a failure`, async () => {
    await stub('/__script', { responses: [{ error_after_chunks: 4, error_message: 'the GPU went away' }] });
    await newConversation(page, size);
    const box = page.getByLabel('Your question');
    await box.fill('How do teams use common formative assessments?');
    await box.press('Enter');
    const answer = page.locator('.message.assistant').last();
    await answer.locator('.sources li').first().waitFor({ timeout: TIMEOUT * 2 });
    await fitsWidth(page, answer);
    const failures = await page.locator('.message.assistant .notice.error').count();
    const notice = ((await answer.locator('p.notice[role="note"]').first().textContent().catch(() => '')) ?? '');
    quoted = ((await answer.locator('.markdown').first().textContent()) ?? '').slice(0, 160);
    // The stand-in's own answer begins "Here is what the sources say".
    diag(`[${L}] failures ${failures}; notice "${notice}"; answer "${quoted}"`);
    return failures === 0 && notice.length > 0 && quoted.length > 0
      && !/^Here is what the sources say/.test(quoted);
  });
  await screen(page, 'answer-after-model-failure');
  await check(`[${L}] and that answer is the one saved (the same after a reload)`, async () => {
    await page.reload();
    const answer = page.locator('.message.assistant').last();
    await answer.locator('.sources li').first().waitFor();
    const text = ((await answer.locator('.markdown').first().textContent()) ?? '').slice(0, 160);
    return (await page.locator('.message.assistant .notice.error').count()) === 0
      && (await page.locator('.message.user').count()) === 1 && text === quoted;
  });
}

// ---- 4. Try again after the stream is cut, at one size -------------------------------
async function tryAgainJourney(size, page) {
  const L = size.label;
  // A hold of its own at each size: a released hold stays open.
  const hold = `cut-${L}`;
  const cutQuestion = `How can a team plan interventions for students who need more time? (${L})`;
  await check(`[${L}] a worker killed mid-answer: the app says the connection was lost and offers Try again`, async () => {
    await stub('/__script', { responses: [{ hold }] });
    await newConversation(page, size);
    const box = page.getByLabel('Your question');
    await box.fill(cutQuestion);
    await box.press('Enter');
    // The stand-in holds the stream after its first token.
    const deadline = Date.now() + TIMEOUT;
    let held;
    while (held === undefined && Date.now() < deadline) {
      held = (await stub('/__requests')).find((r) => r.outcome === 'held' && r.behaviour?.hold === hold);
      if (held === undefined) await page.waitForTimeout(100);
    }
    if (held === undefined) throw new Error('the model stand-in never held a stream');
    // The worker on the held request's own connection: another worker may
    // keep an idle connection to the stand-in from an earlier answer.
    const pids = workersTalkingToStub(String(held.peer ?? '').split(':').pop());
    diag(`[${L}] workers streaming from the stand-in: ${pids.join(' ') || 'none'}`);
    if (pids.length !== 1) throw new Error(`expected one worker on the stand-in, found ${pids.length}`);
    process.kill(pids[0], 'SIGKILL');
    const failure = page.locator('.message.assistant .notice.error').last();
    await failure.waitFor({ timeout: TIMEOUT * 2 });
    const text = (await failure.textContent()) ?? '';
    diag(`[${L}] failure shown: ${text}`);
    await stub('/__release', { hold });
    await fitsWidth(page, failure);
    await targetsAtLeast24(failure);
    return /connection was lost/.test(text)
      && await failure.getByRole('button', { name: 'Try again' }).isVisible()
      && (await page.getByLabel('Your question').inputValue()) === cutQuestion;
  });
  await screen(page, 'connection-lost');
  await check(`[${L}] "Try again" answers it in place once the server lets the first attempt go`, async () => {
    const started = Date.now();
    await press(size, page.locator('.message.assistant .notice.error').last().getByRole('button', { name: 'Try again' }));
    const answer = page.locator('.message.assistant').last();
    // The pool releases the dead worker's question within a moment; the
    // app waits out a 409 in_progress meanwhile.
    await answer.locator('.sources li').first().waitFor({ timeout: 180000 });
    diag(`[${L}] answered ${Math.round((Date.now() - started) / 1000)} s after Try again`);
    return (await page.locator('.message.assistant .notice.error').count()) === 0
      && (await page.locator('.message.user').count()) === 1;
  });
  await screen(page, 'connection-lost-answered');
  await check(`[${L}] and a reload shows the question once, with that answer`, async () => {
    await page.reload();
    await page.locator('.message.assistant .sources li').first().waitFor();
    const users = await page.locator('.message.user').allTextContents();
    return users.length === 1 && users[0].includes(cutQuestion)
      && (await page.locator('.message.assistant .notice.error').count()) === 0;
  });
}

try {
  // Journeys 1 to 6 at each size (5 at desktop is scenario.mjs's),
  // in one browser against one stack.  The time each part takes is
  // printed: what the smaller sizes add to the run (docs/development.md).
  const timed = async (what, fn) => {
    const t0 = Date.now();
    const r = await fn();
    diag(`time: ${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return r;
  };
  for (const size of [SIZES.tablet, SIZES.phone]) await timed(`teacher ${size.label}`, () => teacherJourney(size));
  for (const size of [SIZES.desktop, SIZES.tablet, SIZES.phone]) await timed(`admin ${size.label}`, () => adminJourney(size));
  for (const size of [SIZES.desktop, SIZES.tablet, SIZES.phone]) {
    await timed(`share ${size.label}`, async () => (await shareJourney(size)).ctx.close());
  }
  for (const size of [SIZES.desktop, SIZES.tablet, SIZES.phone]) {
    const t = await timed(`flag ${size.label}`, () => flagJourney(size));
    await timed(`model failure and Try again ${size.label}`, async () => {
      await modelFailureJourney(size, t.page);
      await tryAgainJourney(size, t.page);
    });
    await t.ctx.close();
  }
} catch (e) {
  ok(false, 'the journeys ran to the end', e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
ok(errors.length === 0, 'no JavaScript errors in the pages', errors.slice(0, 10).join('\n'));
finish();
