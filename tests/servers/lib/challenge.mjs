// Builds `WWW-Authenticate: Payment ...` challenges by hand for the fault server, in the exact shape
// mppx 0.11 emits (param order id, realm, method, intent, request, description, expires, header,
// opaque; request = base64url-no-pad of RFC 8785 JSON; expires with milliseconds).
import { createHmac } from 'node:crypto';

/** RFC 8785 canonical JSON for the values challenges use (strings, integers, booleans, arrays, objects). */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    // JCS sorts keys by UTF-16 code units, which is what the default sort does.
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new Error('canonicalJson: only safe integers are supported');
  return JSON.stringify(value);
}

export const base64url = (text) => Buffer.from(text, 'utf8').toString('base64url');

const quote = (v) => `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

let counter = 0;

/**
 * A challenge object plus its serialized header value. `request` is the charge request object;
 * `expires` a Date; extra params (description, header, opaque, digest) are added when given.
 * The id is an HMAC over the bound fields plus a counter, so every challenge is distinct, unless `id`
 * is given.
 */
export function makeChallenge({ realm, method = 'tempo', intent = 'charge', request, expires, secret = 'fault-server', id: fixedId, ...extra }) {
  const encoded = base64url(canonicalJson(request));
  const expiresText = expires.toISOString();
  // `id` (optional) replaces the HMAC id: a hostile server may send any bytes there.
  const id = fixedId ?? createHmac('sha256', secret).update(`${realm}|${method}|${intent}|${encoded}|${expiresText}|${++counter}`).digest('base64url');
  const params = { id, realm, method, intent, request: encoded, description: extra.description, digest: extra.digest, expires: expiresText, header: extra.header, opaque: extra.opaque };
  const header = `Payment ${Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${quote(v)}`).join(', ')}`;
  return { id, request, encoded, expires: expiresText, header };
}

/** The application/problem+json body mppx sends with a 402. */
export function problem(kind, detail, challengeId) {
  const titles = {
    'payment-required': 'Payment Required',
    'verification-failed': 'Verification Failed',
    'malformed-credential': 'Malformed Credential',
    'internal-payment-error': 'Internal Payment Error',
  };
  return {
    type: `https://paymentauth.org/problems/${kind}`,
    title: titles[kind] ?? kind,
    status: kind === 'internal-payment-error' ? 500 : 402,
    detail,
    ...(challengeId && { challengeId }),
  };
}
