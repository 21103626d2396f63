// What survives the end of a session in this browser (issue 19, "a
// 45-minute meeting"): the question being typed, per conversation, and
// the fact that someone was signed in, so that a sign-in page reached
// because the session ended (30 minutes idle by default,
// PLCCOACH_SESSION_IDLE) can say so.  Both live in localStorage, keyed by
// the user's id so that another teacher signing in on a shared
// Chromebook never sees them; signing out deliberately removes them.

const PREFIX = 'plccoach.draft.';
const LINKS = 'plccoach.links.';
const SIGNED_IN = 'plccoach.signed-in';

function store(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled: drafts are simply not kept
  }
}

function draftKey(userId: string, conversationId: string | null): string {
  return `${PREFIX}${userId}.${conversationId ?? 'new'}`;
}

/** The kept draft of a conversation (null: a new one), or ''. */
export function loadDraft(userId: string, conversationId: string | null): string {
  return store()?.getItem(draftKey(userId, conversationId)) ?? '';
}

/** Keeps (or, when blank, forgets) the draft of a conversation. */
export function saveDraft(userId: string, conversationId: string | null, text: string): void {
  const s = store();
  if (!s) return;
  try {
    if (text.trim() === '') s.removeItem(draftKey(userId, conversationId));
    else s.setItem(draftKey(userId, conversationId), text);
  } catch {
    // quota exceeded: the draft stays on screen only
  }
}

/** Remembers who is signed in (at sign-in and on every load). */
export function rememberSignedIn(userId: string): void {
  try {
    store()?.setItem(SIGNED_IN, userId);
  } catch {
    // ignore
  }
}

/** Whether someone was signed in in this browser and did not sign out:
 * then a missing session means it ended. */
export function wasSignedIn(): boolean {
  return !!store()?.getItem(SIGNED_IN);
}

/* Share links (issue 19): the server keeps only a link's hash, so the
 * link itself can be copied again only on the device that made it; it is
 * remembered here by share id, under the user's id. */

/** The links this browser made for a conversation, by share id. */
export function loadLinks(userId: string, conversationId: string): Record<string, string> {
  try {
    const v: unknown = JSON.parse(store()?.getItem(`${LINKS}${userId}.${conversationId}`) ?? '{}');
    return v && typeof v === 'object' ? v as Record<string, string> : {};
  } catch {
    return {};
  }
}

/** Keeps the links of a conversation (an empty map forgets them). */
export function saveLinks(userId: string, conversationId: string, links: Record<string, string>): void {
  const s = store();
  if (!s) return;
  const key = `${LINKS}${userId}.${conversationId}`;
  try {
    if (Object.keys(links).length === 0) s.removeItem(key);
    else s.setItem(key, JSON.stringify(links));
  } catch {
    // quota exceeded: the link is shown this once only
  }
}

/** Signing out on purpose: forgets the user's drafts, links and the marker. */
export function forgetUser(userId: string): void {
  const s = store();
  if (!s) return;
  const mine = [`${PREFIX}${userId}.`, `${LINKS}${userId}.`];
  for (let i = s.length - 1; i >= 0; i--) {
    const k = s.key(i);
    if (k && mine.some((p) => k.startsWith(p))) s.removeItem(k);
  }
  s.removeItem(SIGNED_IN);
}
