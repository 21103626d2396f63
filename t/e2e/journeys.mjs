#!/usr/bin/env node
// Three journeys in headless Chromium against the real stack (issue 19's
// admin screens and share recipients, issue 11's model failure), each screen
// scanned by axe and photographed at desktop, tablet and phone sizes:
//
//  1. An admin pages through 58 users, adds a person, disables and enables
//     an account, changes a role after the confirmation (her own is
//     locked), assigns a school; adds a school and a team and a member;
//     filters the audit log to see those changes.
//  2. Teacher 1 shares a conversation; a colleague who is not signed in
//     opens the link, is told who shared what, signs in and lands on it;
//     copies it to her conversations and continues it there.
//  3. The model fails mid-answer (t/model/stub.py error_after_chunks): what
//     it streamed is withdrawn and the library's quoted answer takes its
//     place with the notice (docs/api.md, the stream's model_failed), no
//     failure; a reload shows the same answer (it is the one saved).
//  4. Try again after the stream is cut (issue 11): the model stand-in
//     holds an answer after its first token (t/model/stub.py "hold"), the
//     FastCGI worker streaming it is killed; the app shows the connection
//     lost with "Try again"; trying again (the same Idempotency-Key) waits
//     while the server still holds the first attempt (409 in_progress,
//     until its lease runs out), then answers; a reload shows the question
//     once, with that answer.
//
// Prints TAP.  Environment (set by t/integration/e2e-journeys.sh):
// E2E_BASE_URL, E2E_SHOTS, E2E_CHROMIUM, E2E_STUB_URL (the stand-in's
// script endpoint), E2E_POOL_PID (the FastCGI master), E2E_ADMIN,
// E2E_TEACHER1, E2E_TEACHER2 (EMAIL:PASSWORD).
import { mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { check, creds, diag, finish, launch, ok, screens, signInHere, TIMEOUT } from './lib.mjs';

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
function workersTalkingToStub() {
  const port = Number(new URL(STUB).port).toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(f, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const col = line.trim().split(/\s+/);
      if (col.length > 9 && col[2].endsWith(`:${port}`) && col[3] === '01') inodes.add(col[9]);
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

try {
  // ---- 1. The admin screens ------------------------------------------------
  const ad = await newPage();
  const p = ad.page;
  await check('the admin opens Users: 50 people on page 1, the rest on page 2', async () => {
    await signIn(p, ADMIN);
    await p.getByRole('link', { name: 'Admin' }).click();
    await p.getByRole('heading', { name: 'Users' }).waitFor();
    const rows = p.getByRole('table', { name: /^Users, page/ }).locator('tbody tr');
    await rows.nth(49).waitFor();
    const first = await rows.count();
    const pager = p.getByRole('navigation', { name: 'Pages of users' });
    await pager.getByRole('button', { name: 'Next page' }).click();
    await pager.getByText('Page 2').waitFor();
    await p.getByRole('table', { name: 'Users, page 2' }).waitFor();
    const second = await rows.count();
    const nextOff = await pager.getByRole('button', { name: 'Next page' }).isDisabled();
    diag(`users: ${first} on page 1, ${second} on page 2`);
    await pager.getByRole('button', { name: 'Previous page' }).click();
    await p.getByRole('table', { name: 'Users, page 1' }).waitFor();
    return first === 50 && second >= 8 && nextOff;
  });
  await check('her own role cannot be changed from the list', async () =>
    p.getByLabel(`Role of ${ADMIN.email}`).isDisabled());
  await check('she adds a person and gets a one-time sign-in link for them', async () => {
    await p.getByLabel('Email', { exact: true }).fill('newcomer@example.org');
    await p.getByLabel('Name', { exact: true }).fill('New Comer');
    await p.getByRole('button', { name: 'Add and make a sign-in link' }).click();
    const box = p.getByRole('region', { name: 'Sign-in link' });
    await box.waitFor();
    return /sign-in\/link#[0-9a-f]{64}/.test((await box.textContent()) ?? '');
  });
  await screen(p, 'admin-users');
  await check('she disables an account and enables it again', async () => {
    await p.getByLabel('Search by name or email').fill('t3@example.org');
    await p.getByRole('button', { name: 'Disable t3@example.org' }).click();
    await p.getByText(/t3@example.org is disabled/).waitFor();
    await p.getByRole('button', { name: 'Enable t3@example.org' }).click();
    await p.getByText('t3@example.org can sign in again.').waitFor();
  });
  await check('a role change waits for the confirmation', async () => {
    await p.getByLabel('Search by name or email').fill('t4@example.org');
    await p.getByRole('button', { name: 'Disable t4@example.org' }).waitFor();
    await p.getByLabel('Role of t4@example.org').selectOption('coach');
    const dialog = p.getByRole('dialog', { name: 'Make t4@example.org coach?' });
    await dialog.waitFor();
    await screen(p, 'admin-role-confirm');
    await dialog.getByRole('button', { name: 'Make coach' }).click();
    await p.getByText('t4@example.org is now coach.').waitFor();
    const role = await p.getByLabel('Role of t4@example.org').inputValue();
    diag(`t4's role shown after the change: ${role}`);
    return role === 'coach';
  });
  await check('she assigns a school', async () => {
    await p.getByLabel('School of t4@example.org').selectOption({ label: 'E2E School' });
    await p.getByText('t4@example.org now belongs to E2E School.').waitFor();
  });
  await check('Organizations and teams: she adds a school, a team in it and a member', async () => {
    await p.getByRole('link', { name: 'Organizations and teams' }).click();
    await p.getByRole('heading', { name: 'Organizations and teams' }).waitFor();
    await p.getByLabel('Name', { exact: true }).fill('Oak Middle');
    await p.getByRole('button', { name: 'Add the organization' }).click();
    await p.getByText('School Oak Middle was added.').waitFor();
    await p.getByLabel('School', { exact: true }).selectOption({ label: 'Oak Middle' });
    await p.getByLabel('Team name').fill('Grade 5');
    await p.getByRole('button', { name: 'Add the team' }).click();
    await p.getByText('Team Grade 5 was added.').waitFor();
    await p.getByRole('button', { name: 'People of Grade 5' }).click();
    const panel = p.getByRole('region', { name: 'People of Grade 5' });
    await panel.getByLabel('Email').fill('t5@example.org');
    await panel.getByRole('button', { name: 'Add' }).click();
    await panel.getByText('Person T5 (t5@example.org)').waitFor();
    await panel.getByLabel('Email').fill('t4@example.org');
    await panel.getByLabel('as').selectOption('coaches');
    await panel.getByRole('button', { name: 'Add' }).click();
    await panel.getByText('Person T4 (t4@example.org)').waitFor();
  });
  await screen(p, 'admin-organizations');
  await check('the audit log is its own screen, and its filters find those changes', async () => {
    await p.goto(BASE + '/admin/audit');
    await p.getByRole('heading', { name: 'Audit log' }).waitFor();
    await p.getByLabel('Action').selectOption('team');
    await p.getByLabel('By (email)').fill(ADMIN.email);
    await p.getByRole('button', { name: 'Filter' }).click();
    const table = p.getByRole('table', { name: /^Audit log, page 1/ });
    await table.getByText('team.coach.add').waitFor();
    // The unfiltered page has the same caption: wait until the filtered
    // one replaced it (or the time is up, and the check below fails).
    await p.waitForFunction(() => {
      const t = document.querySelector('table')?.textContent ?? '';
      return /team\.create/.test(t) && !/user\.role|org\.create|user\.update/.test(t);
    }, null, { timeout: TIMEOUT }).catch(() => undefined);
    const text = (await table.textContent()) ?? '';
    const others = /user\.role|org\.create|user\.update/.test(text);
    diag(`audit (team, by the admin): ${(text.match(/team\.[a-z.]+/g) ?? []).join(' ')}`);
    return /team\.create/.test(text) && /team\.member\.add/.test(text) && !others;
  });
  await screen(p, 'admin-audit');
  await check('the content library lists the books', async () => {
    await p.getByRole('link', { name: 'Content library' }).click();
    await p.getByRole('heading', { name: 'Books' }).waitFor();
  });
  await screen(p, 'admin-library');

  // ---- 2. A share link's recipients ------------------------------------------
  const t1 = await newPage();
  let link = '';
  let title = '';
  await check('teacher 1 asks and shares the conversation', async () => {
    await signIn(t1.page, T1);
    await ask(t1.page, 'How should a team write its norms?');
    await t1.page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = t1.page.getByRole('dialog', { name: 'Share this conversation' });
    await dialog.getByRole('button', { name: 'Create link' }).click();
    link = await dialog.getByLabel('Link', { exact: true }).inputValue();
    await t1.page.keyboard.press('Escape');
    title = ((await t1.page.locator('.conversation-head h1').textContent()) ?? '').trim();
    return /\/shared\/[0-9a-f]{64}$/.test(link) && title.length > 0;
  });
  const local = BASE + (link ? new URL(link).pathname : '/shared/none');
  const t2 = await newPage();
  await check('signed out, the link says who shared what', async () => {
    await t2.page.goto(local);
    const note = t2.page.getByRole('note');
    await note.getByText(/shared the conversation/).waitFor();
    const text = (await note.textContent()) ?? '';
    diag(`signed-out note: ${text}`);
    return text.includes('Person T1') && text.includes(`“${title}”`);
  });
  await screen(t2.page, 'shared-signed-out');
  await check('signing in lands on the shared conversation', async () => {
    await signInHere(t2.page, T2);
    await t2.page.getByRole('heading', { level: 1, name: title }).waitFor();
    await t2.page.getByText(/^Shared by /).waitFor();
    return new URL(t2.page.url()).pathname === new URL(local).pathname;
  });
  await screen(t2.page, 'shared-signed-in');
  await check('"Copy to my conversations" opens her own copy, which she continues', async () => {
    await t2.page.getByRole('button', { name: 'Copy to my conversations' }).click();
    await t2.page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await t2.page.getByLabel('Your question').waitFor();
    await t2.page.locator('.message.assistant .sources li').first().waitFor();
    const before = await t2.page.locator('.message.assistant').count();
    const a = await ask(t2.page, 'What about a new team member?');
    const sources = await a.locator('.sources li').count();
    diag(`copy: ${before} answer(s) copied, the follow-up cites ${sources}`);
    return before >= 1 && sources >= 1;
  });
  await screen(t2.page, 'shared-copy-continued');

  // ---- 3. The model fails mid-answer ------------------------------------------------
  let quoted = '';
  await check('the model fails mid-answer: the library\'s quoted answer takes its place, with the notice, not a failure', async () => {
    const r = await fetch(STUB + '/__script', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ responses: [{ error_after_chunks: 4, error_message: 'the GPU went away' }] }),
    });
    if (!r.ok) throw new Error(`could not script the model stand-in: ${r.status}`);
    await t1.page.getByRole('button', { name: 'New conversation' }).click();
    const box = t1.page.getByLabel('Your question');
    await box.fill('How do teams use common formative assessments?');
    await box.press('Enter');
    const answer = t1.page.locator('.message.assistant').last();
    await answer.locator('.sources li').first().waitFor({ timeout: TIMEOUT * 2 });
    const failures = await t1.page.locator('.message.assistant .notice.error').count();
    const notice = ((await answer.locator('p.notice[role="note"]').first().textContent().catch(() => '')) ?? '');
    quoted = ((await answer.locator('.markdown').first().textContent()) ?? '').slice(0, 160);
    // The stand-in's own answer begins "Here is what the sources say".
    diag(`failures ${failures}; notice "${notice}"; answer "${quoted}"`);
    return failures === 0 && notice.length > 0 && quoted.length > 0
      && !/^Here is what the sources say/.test(quoted);
  });
  await screen(t1.page, 'answer-after-model-failure');
  await check('and that answer is the one saved (the same after a reload)', async () => {
    await t1.page.reload();
    const answer = t1.page.locator('.message.assistant').last();
    await answer.locator('.sources li').first().waitFor();
    const text = ((await answer.locator('.markdown').first().textContent()) ?? '').slice(0, 160);
    return (await t1.page.locator('.message.assistant .notice.error').count()) === 0
      && (await t1.page.locator('.message.user').count()) === 1 && text === quoted;
  });

  // ---- 4. Try again after the stream is cut --------------------------------------------------
  const cutQuestion = 'How can a team plan interventions for students who need more time?';
  await check('a worker killed mid-answer: the app says the connection was lost and offers Try again', async () => {
    await stub('/__script', { responses: [{ hold: 'cut' }] });
    await t1.page.getByRole('button', { name: 'New conversation' }).click();
    const box = t1.page.getByLabel('Your question');
    await box.fill(cutQuestion);
    await box.press('Enter');
    // The stand-in holds the stream after its first token.
    const deadline = Date.now() + TIMEOUT;
    let held = false;
    while (!held && Date.now() < deadline) {
      held = (await stub('/__requests')).some((r) => r.outcome === 'held');
      if (!held) await t1.page.waitForTimeout(100);
    }
    if (!held) throw new Error('the model stand-in never held a stream');
    const pids = workersTalkingToStub();
    diag(`workers streaming from the stand-in: ${pids.join(' ') || 'none'}`);
    if (pids.length !== 1) throw new Error(`expected one worker on the stand-in, found ${pids.length}`);
    process.kill(pids[0], 'SIGKILL');
    const failure = t1.page.locator('.message.assistant .notice.error').last();
    await failure.waitFor({ timeout: TIMEOUT * 2 });
    const text = (await failure.textContent()) ?? '';
    diag(`failure shown: ${text}`);
    await stub('/__release', { hold: 'cut' });
    return /connection was lost/.test(text)
      && await failure.getByRole('button', { name: 'Try again' }).isVisible()
      && (await t1.page.getByLabel('Your question').inputValue()) === cutQuestion;
  });
  await screen(t1.page, 'connection-lost');
  await check('"Try again" answers it in place once the server lets the first attempt go', async () => {
    const started = Date.now();
    await t1.page.locator('.message.assistant .notice.error').last().getByRole('button', { name: 'Try again' }).click();
    const answer = t1.page.locator('.message.assistant').last();
    // The first attempt's lease (the model's timeout + 60 s) may still run.
    await answer.locator('.sources li').first().waitFor({ timeout: 180000 });
    diag(`answered ${Math.round((Date.now() - started) / 1000)} s after Try again`);
    return (await t1.page.locator('.message.assistant .notice.error').count()) === 0
      && (await t1.page.locator('.message.user').count()) === 1;
  });
  await screen(t1.page, 'connection-lost-answered');
  await check('and a reload shows the question once, with that answer', async () => {
    await t1.page.reload();
    await t1.page.locator('.message.assistant .sources li').first().waitFor();
    const users = await t1.page.locator('.message.user').allTextContents();
    return users.length === 1 && users[0].includes(cutQuestion)
      && (await t1.page.locator('.message.assistant .notice.error').count()) === 0;
  });
} catch (e) {
  ok(false, 'the journeys ran to the end', e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
ok(errors.length === 0, 'no JavaScript errors in the pages', errors.slice(0, 10).join('\n'));
finish();
