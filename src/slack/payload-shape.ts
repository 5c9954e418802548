import { ExpressReceiver } from '@slack/bolt';
import type { Request, Response } from 'express';
import { z } from 'zod';

/**
 * The shape a signed Slack request must have before Bolt routes it. Slack
 * never sends `payload=null`, `actions: null` or a view submission without a
 * view, but a signed request can (a leaked secret, a proxy's bug): Bolt then
 * throws inside its router and answers 500 after its 3 s wait. Refused here
 * with a 400 and a one-line reason instead; nothing is routed, nothing changes.
 */
const obj = z.object({}).passthrough();
const withId = z.object({ id: z.string().min(1) }).passthrough();
const interaction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('block_actions'), user: withId, actions: z.array(obj).min(1) }).passthrough(),
  z.object({ type: z.literal('view_submission'), user: withId, view: withId.extend({ callback_id: z.string() }) }).passthrough(),
  z.object({ type: z.literal('view_closed'), user: withId, view: withId }).passthrough(),
]);
const known = new Set(['block_actions', 'view_submission', 'view_closed']);

function malformedSlackBody(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the request body is not an object';
  const b = body as Record<string, unknown>;
  if (typeof b.type === 'string' && known.has(b.type)) {
    const r = interaction.safeParse(b);
    return r.success ? null : `malformed ${b.type}: ${r.error.issues.map((i) => i.path.join('.') || 'body').join(', ')}`;
  }
  return null;
}

const FUTURE_SKEW_MS = 5 * 60_000;

/** Bolt's Express receiver with the check above in front of its router (after the signature is verified). */
export class CheckedExpressReceiver extends ExpressReceiver {
  override async requestHandler(req: Request, res: Response): Promise<void> {
    // Bolt refuses a signature older than 5 minutes but not one dated ahead: a request signed for
    // next year could be replayed all year. Slack's clock and ours agree within seconds.
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(ts) && ts * 1000 > Date.now() + FUTURE_SKEW_MS) {
      res.status(401).type('text/plain').send('the request timestamp is in the future');
      return;
    }
    const why = malformedSlackBody((req as { body?: unknown }).body);
    if (why) {
      res.status(400).type('text/plain').send(why);
      return;
    }
    await super.requestHandler(req, res);
  }
}
