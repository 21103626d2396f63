// A real S3-compatible server for the tests: npm's s3rver, behind a SigV4
// verifier written here from AWS's specification (s3rver itself checks only
// that the access key exists), plus a credentials server that plays the ECS
// container endpoint and EC2 instance metadata v2.
//
//   node t/s3/server.mjs --dir DIR --access-key AK --secret-key SK \
//       [--session-token T] [--ecs-token A] --bucket NAME [--bucket NAME...]
//
// Listens on two free loopback ports and prints "S3PORT CREDSPORT" once
// both are ready.  The S3 port refuses every request that is not signed
// with AK/SK (header or presigned query, region any, service s3, clock
// skew at most 15 minutes, the session token when one is set, signed)
// with S3's own XML errors: InvalidAccessKeyId, SignatureDoesNotMatch,
// AccessDenied (unsigned or expired).
//
// The credentials port serves, with AK/SK/T and an Expiration an hour ahead:
//   GET /ecs                      (Authorization must equal --ecs-token if given)
//   PUT /latest/api/token         IMDSv2 session token (needs the TTL header)
//   GET /latest/meta-data/iam/security-credentials/[ROLE]  (needs the token)
// and test controls: POST /__fail?n=N (the next N S3 requests get 503
// SlowDown), GET /__stats ({"s3": requests, "ecs": ..., "imds": ...}).
import crypto from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string' },
    'access-key': { type: 'string' },
    'secret-key': { type: 'string' },
    'session-token': { type: 'string' },
    'ecs-token': { type: 'string' },
    bucket: { type: 'string', multiple: true },
  },
});
for (const k of ['dir', 'access-key', 'secret-key', 'bucket']) {
  if (!args[k]) {
    console.error(`server.mjs: --${k} is required`);
    process.exit(2);
  }
}
const AK = args['access-key'];
const SK = args['secret-key'];
const TOKEN = args['session-token'] || null;
const stats = { s3: 0, ecs: 0, imds: 0, refused: 0 };
let failNext = 0;

AWSAccount.DUMMY_ACCOUNT.createKeyPair(AK, SK);
const s3rver = new S3rver({
  silent: true,
  directory: args.dir,
  configureBuckets: args.bucket.map((name) => ({ name })),
});
await s3rver.configureBuckets();
const s3 = s3rver.callback();

// ---- SigV4 verification ----------------------------------------------------

const enc = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (k, s) => crypto.createHmac('sha256', k).update(s).digest();

function xmlError(res, status, code, message) {
  stats.refused++;
  res.writeHead(status, { 'Content-Type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
    `<Message>${message}</Message><RequestId>test</RequestId></Error>`);
}

function amzTime(s) {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(s || '');
  return m ? Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

// Returns null when the request is correctly signed, else [status, code, message].
function verify(req) {
  const url = new URL(req.url, 'http://x');
  const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  const pairs = rawQuery === '' ? [] : rawQuery.split('&').map((p) => {
    const i = p.indexOf('=');
    const k = decodeURIComponent((i < 0 ? p : p.slice(0, i)).replace(/\+/g, ' '));
    const v = i < 0 ? '' : decodeURIComponent(p.slice(i + 1).replace(/\+/g, ' '));
    return [k, v];
  });
  const q = Object.fromEntries(pairs);
  let credential, signedHeaders, signature, date, payload, token;
  const presigned = 'X-Amz-Algorithm' in q;
  if (presigned) {
    if (q['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256') return [400, 'AuthorizationQueryParametersError', 'bad algorithm'];
    credential = q['X-Amz-Credential'];
    signedHeaders = q['X-Amz-SignedHeaders'];
    signature = q['X-Amz-Signature'];
    date = q['X-Amz-Date'];
    token = q['X-Amz-Security-Token'];
    payload = 'UNSIGNED-PAYLOAD';
    const expires = Number(q['X-Amz-Expires']);
    if (!(expires >= 1 && expires <= 604800)) return [400, 'AuthorizationQueryParametersError', 'bad X-Amz-Expires'];
    if (Date.now() > amzTime(date) + expires * 1000) return [403, 'AccessDenied', 'Request has expired'];
  } else {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/
      .exec(req.headers.authorization || '');
    if (!m) return [403, 'AccessDenied', 'Access Denied'];
    [, credential, signedHeaders, signature] = m;
    date = req.headers['x-amz-date'];
    token = req.headers['x-amz-security-token'];
    payload = req.headers['x-amz-content-sha256'];
    if (!payload) return [400, 'InvalidRequest', 'Missing required header x-amz-content-sha256'];
    if (Math.abs(Date.now() - amzTime(date)) > 15 * 60 * 1000) return [403, 'RequestTimeTooSkewed', 'clock skew'];
  }
  const [ak, day, region, service, term] = (credential || '').split('/');
  if (ak !== AK) return [403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'];
  if (service !== 's3' || term !== 'aws4_request' || !date || day !== date.slice(0, 8)) {
    return [403, 'SignatureDoesNotMatch', 'bad credential scope'];
  }
  const names = (signedHeaders || '').split(';');
  if (!names.includes('host')) return [403, 'SignatureDoesNotMatch', 'host is not signed'];
  if (TOKEN !== null) {
    if (token !== TOKEN) return [403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.'];
    if (!presigned && !names.includes('x-amz-security-token')) return [403, 'SignatureDoesNotMatch', 'token not signed'];
  }
  const canonQuery = pairs.filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [enc(k), enc(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
  const canonHeaders = names.map((n) => {
    const v = req.headers[n];
    if (v === undefined) return null;
    return `${n}:${String(v).trim().replace(/\s+/g, ' ')}\n`;
  });
  if (canonHeaders.includes(null)) return [403, 'SignatureDoesNotMatch', 'a signed header is missing'];
  const creq = [req.method, url.pathname, canonQuery, canonHeaders.join(''), signedHeaders, payload].join('\n');
  const sts = ['AWS4-HMAC-SHA256', date, `${day}/${region}/s3/aws4_request`, sha256(creq)].join('\n');
  let k = hmac('AWS4' + SK, day);
  k = hmac(k, region);
  k = hmac(k, 's3');
  k = hmac(k, 'aws4_request');
  const want = hmac(k, sts).toString('hex');
  if (!/^[0-9a-f]{64}$/.test(signature || '') ||
      !crypto.timingSafeEqual(Buffer.from(want), Buffer.from(signature))) {
    return [403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'];
  }
  return null;
}

const s3Server = http.createServer((req, res) => {
  stats.s3++;
  if (failNext > 0) {
    failNext--;
    req.resume();
    return xmlError(res, 503, 'SlowDown', 'Please reduce your request rate.');
  }
  const refusal = verify(req);
  if (refusal) {
    req.resume();
    return xmlError(res, ...refusal);
  }
  return s3(req, res);
});

// ---- credentials endpoints -------------------------------------------------

function credsDoc(imds) {
  const doc = {
    AccessKeyId: AK,
    SecretAccessKey: SK,
    Expiration: new Date(Date.now() + 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  if (TOKEN !== null) doc.Token = TOKEN;
  return JSON.stringify(imds ? { Code: 'Success', Type: 'AWS-HMAC', ...doc } : doc);
}

const IMDS_TOKEN = crypto.randomBytes(16).toString('hex');
const credsServer = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const send = (status, body, type = 'text/plain') => {
    res.writeHead(status, { 'Content-Type': type });
    res.end(body);
  };
  if (req.method === 'POST' && url.pathname === '/__fail') {
    failNext = Number(url.searchParams.get('n') || 1);
    return send(200, 'ok');
  }
  if (url.pathname === '/__stats') return send(200, JSON.stringify(stats), 'application/json');
  if (url.pathname === '/ecs') {
    stats.ecs++;
    if (args['ecs-token'] && req.headers.authorization !== args['ecs-token']) return send(403, 'forbidden');
    return send(200, credsDoc(false), 'application/json');
  }
  if (req.method === 'PUT' && url.pathname === '/latest/api/token') {
    if (!req.headers['x-aws-ec2-metadata-token-ttl-seconds']) return send(400, 'missing ttl');
    return send(200, IMDS_TOKEN);
  }
  if (url.pathname.startsWith('/latest/meta-data/iam/security-credentials/')) {
    if (req.headers['x-aws-ec2-metadata-token'] !== IMDS_TOKEN) return send(401, 'unauthorized');
    const role = url.pathname.slice('/latest/meta-data/iam/security-credentials/'.length);
    if (role === '') return send(200, 'test-role\n');
    if (role !== 'test-role') return send(404, 'no such role');
    stats.imds++;
    return send(200, credsDoc(true), 'application/json');
  }
  return send(404, 'not found');
});

const listen = (server) => new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => resolve(server.address().port));
});
const s3Port = await listen(s3Server);
const credsPort = await listen(credsServer);
console.log(`${s3Port} ${credsPort}`);
const stop = () => {
  s3Server.close();
  credsServer.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
