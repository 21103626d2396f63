// A real OpenID provider (npm's oidc-provider) for t/integration/oidc.sh.
//
//   node t/oidc/provider.mjs --port P --client-id ID --client-secret S \
//       --redirect-uri URL [--redirect-uri URL...] --accounts FILE
//
// Listens on 127.0.0.1:P with issuer http://127.0.0.1:P.  One confidential
// client (client_secret_basic), PKCE S256 required, RS256 ID tokens signed
// with a key generated at start (an ES256 key is published too).
//
// Accounts: FILE is a JSON object {"account-id": {claims...}} read at every
// sign-in, so the test can change it between sign-ins.  The account id is
// the subject.  The browser picks the account with login_hint; the login
// interaction is completed at once (no page), and consent is implied, so
// curl with a cookie jar can follow the whole flow.  An unknown login_hint
// ends the sign-in with error=access_denied.
//
// Test controls (never in a real provider):
//   POST /__test/mode {"mode": M}  the next token response's ID token is
//       changed: "expired", "bad_signature", "wrong_audience", "wrong_nonce",
//       "wrong_issuer", "es256" (re-signed with the published EC key),
//       "rotated_kid" (signed with a new key that the JWKS publishes from
//       now on), "unknown_kid" (signed with a key never published)
//   GET /__test/stats  {"jwks_fetches", "discovery_fetches", "token_requests"}
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    accounts: { type: 'string' },
  },
});
for (const k of ['port', 'client-id', 'client-secret', 'redirect-uri', 'accounts']) {
  if (!args[k]) {
    console.error(`provider.mjs: --${k} is required`);
    process.exit(2);
  }
}
const issuer = `http://127.0.0.1:${args.port}`;

// ---- keys -------------------------------------------------------------------

function newKey(kid, alg) {
  const { privateKey } = alg === 'RS256'
    ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    : crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey };
}

function privateJwk(key) {
  return { ...key.privateKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' };
}

function publicJwk(key) {
  const pub = crypto.createPublicKey(key.privateKey).export({ format: 'jwk' });
  return { ...pub, kid: key.kid, alg: key.alg, use: 'sig' };
}

const rsa = newKey('rsa-1', 'RS256');
const ec = newKey('ec-1', 'ES256');
const published = []; // keys added to the JWKS after start ("rotated_kid")

// ---- accounts ---------------------------------------------------------------

function accounts() {
  return JSON.parse(fs.readFileSync(args.accounts, 'utf8'));
}

// ---- re-signing ID tokens for the negative cases ---------------------------

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const unb64u = (s) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));

function sign(header, payload, key) {
  const h = b64u(JSON.stringify({ ...header, alg: key.alg, kid: key.kid }));
  const p = b64u(JSON.stringify(payload));
  const data = Buffer.from(`${h}.${p}`);
  const sig = key.alg === 'RS256'
    ? crypto.sign('sha256', data, key.privateKey)
    : crypto.sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${h}.${p}.${b64u(sig)}`;
}

let rotations = 0;

function mutate(token, mode) {
  const [h, p, s] = token.split('.');
  const header = unb64u(h);
  const payload = unb64u(p);
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'expired':
      return sign(header, { ...payload, iat: now - 7200, exp: now - 3600 }, rsa);
    case 'bad_signature': {
      const sig = Buffer.from(s, 'base64url');
      sig[sig.length >> 1] ^= 0x01;
      return `${h}.${p}.${b64u(sig)}`;
    }
    case 'wrong_audience':
      return sign(header, { ...payload, aud: 'another-client' }, rsa);
    case 'wrong_nonce':
      return sign(header, { ...payload, nonce: 'not-the-nonce-we-sent' }, rsa);
    case 'wrong_issuer':
      return sign(header, { ...payload, iss: 'http://127.0.0.1:1' }, rsa);
    case 'es256':
      return sign(header, payload, ec);
    case 'rotated_kid': {
      const key = newKey(`rsa-rotated-${++rotations}`, 'RS256');
      published.push(key);
      return sign(header, payload, key);
    }
    case 'unknown_kid':
      return sign(header, payload, newKey('rsa-never-published', 'RS256'));
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

// ---- the provider ----------------------------------------------------------------

const provider = new Provider(issuer, {
  clients: [{
    client_id: args['client-id'],
    client_secret: args['client-secret'],
    redirect_uris: args['redirect-uri'],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [privateJwk(rsa), privateJwk(ec)] },
  pkce: { methods: ['S256'], required: () => true },
  features: { devInteractions: { enabled: false } },
  // ID tokens carry the scopes' claims (as Google's and Clever's do).
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'district', 'user_type', 'schools'],
  },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  async findAccount(ctx, id) {
    const all = accounts();
    if (!Object.hasOwn(all, id)) return undefined;
    return { accountId: id, async claims() { return { ...all[id], sub: id }; } };
  },
  // Consent is implied: every sign-in gets a grant for what it asked.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'application/json';
    ctx.body = out;
  },
});

let nextMode = null;
const stats = { jwks_fetches: 0, discovery_fetches: 0, token_requests: 0 };

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/mode' && ctx.method === 'POST') {
    nextMode = (await readJson(ctx.req)).mode ?? null;
    ctx.status = 204;
    return;
  }
  if (ctx.path === '/__test/stats') {
    ctx.body = stats;
    return;
  }
  if (ctx.path.startsWith('/interaction/')) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    let result;
    if (details.prompt.name === 'login') {
      const id = details.params.login_hint;
      result = id && Object.hasOwn(accounts(), id)
        ? { login: { accountId: id } }
        : { error: 'access_denied', error_description: 'no such test account' };
    } else {
      result = { consent: {} };
    }
    const to = await provider.interactionResult(ctx.req, ctx.res, result,
      { mergeWithLastSubmission: false });
    ctx.redirect(to);
    return;
  }
  if (ctx.path === '/.well-known/openid-configuration') stats.discovery_fetches++;
  if (ctx.path === '/token') stats.token_requests++;
  await next();
  if (ctx.path === '/jwks' && ctx.status === 200) {
    stats.jwks_fetches++;
    ctx.body = { keys: [...ctx.body.keys, ...published.map(publicJwk)] };
  }
  if (ctx.path === '/token' && ctx.status === 200 && nextMode && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: mutate(ctx.body.id_token, nextMode) };
    nextMode = null;
  }
});

const server = provider.listen(Number(args.port), '127.0.0.1', () => {
  console.log(`oidc test provider listening at ${issuer}`);
});
server.on('error', (e) => {
  console.error(`provider.mjs: ${e.message}`);
  process.exit(1);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
