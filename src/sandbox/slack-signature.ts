/** Slack request signing (v0): sign as Slack does, verify as Bolt does. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

export function signSlackRequest(signingSecret: string, rawBody: string, timestampSec: number = Math.floor(Date.now() / 1000)): SlackSignatureHeaders {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${hmac}`, 'x-slack-request-timestamp': String(timestampSec) };
}

/** True when the signature matches and the timestamp is within maxAgeSec (default 5 min) of now. */
export function verifySlackSignature(
  signingSecret: string,
  rawBody: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  opts: { nowSec?: number; maxAgeSec?: number } = {},
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts)) return false;
  const nowSec = opts.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(nowSec - ts) > (opts.maxAgeSec ?? 300)) return false;
  const expected = Buffer.from(signSlackRequest(signingSecret, rawBody, ts)['x-slack-signature']);
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
