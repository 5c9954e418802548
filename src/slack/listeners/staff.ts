import type {
  BlockAction,
  Middleware,
  RespondFn,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { z } from 'zod';
import type { Deps } from '../../deps.js';
import { REFUSE, staffFor } from '../access.js';
import { fieldError, guarded, staffOrRefuse, type Asker } from '../slack.kit.js';
import type { StaffActionHandler, StaffCommandHandler, StaffViewHandler } from './types.js';

/**
 * The one preamble of every staff listener. Buttons and commands: ack at once
 * (Slack allows 3 s), find who is asking in the staff directory (or tell them
 * politely why not, REFUSE.notStaff), then run the handler guarded: a failure
 * is logged with a reference and the person sees only the reference.
 * Modal submissions: the directory first, a refusal answered on the modal's
 * field (`response_action: errors`); the handler acks itself (its answer is
 * the ack).
 */

/** Answer only the person who pressed: via response_url when there is one, else ephemeral in the channel, else their DM. */
function askerOf(body: BlockAction, client: WebClient, respond: RespondFn | undefined): Asker {
  return {
    client,
    userId: body.user.id,
    channelId: body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id,
    respond: body.response_url ? respond : undefined,
  };
}

export function staffAction(deps: Deps, actionId: string, handle: StaffActionHandler): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async ({ ack, body, action, client, respond }) => {
    await ack();
    const a = askerOf(body, client, respond);
    await guarded(deps, a, `action:${actionId}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      await handle({ deps, me, a, actionId, body, action, client });
    });
  };
}

export function staffCommand(deps: Deps, name: string, handle: StaffCommandHandler): Middleware<SlackCommandMiddlewareArgs> {
  return async ({ ack, command, client, respond }) => {
    await ack();
    const a: Asker = { client, userId: command.user_id, channelId: command.channel_id, respond };
    await guarded(deps, a, `command:${name}`, async () => {
      const me = await staffOrRefuse(deps, a);
      if (!me) return;
      await handle({ deps, me, a, command, client });
    });
  };
}

export function staffView(deps: Deps, callbackId: string, h: StaffViewHandler): Middleware<SlackViewMiddlewareArgs<SlackViewAction>> {
  return async ({ ack, body, view, client }) => {
    const me = await staffFor(deps.db, body.user.id).catch(() => undefined);
    if (!me) return void (await ack(fieldError(undefined, REFUSE.notStaff, h.field)));
    await h.handle({ deps, me, callbackId, ack, body, view, client });
  };
}

const SAVE_FAILED = 'Sorry, this could not be saved because of a problem on our side. Please try again.';
export const SAVE_FAILED_TEXT_KEPT = 'Sorry, this could not be saved because of a problem on our side. Your text is still here: please try again.';

/** A submission that failed on our side: logged (no personal data), answered on the modal's field so the person can try again. */
export async function viewFailed(
  deps: Deps,
  ack: SlackViewMiddlewareArgs<SlackViewAction>['ack'],
  callbackId: string,
  err: unknown,
  field: string,
  message: string = SAVE_FAILED,
): Promise<void> {
  deps.logger.error({ where: `view:${callbackId}`, err: (err as Error)?.message }, 'slack handler failed');
  await ack(fieldError(undefined, message, field));
}

/** A modal's private_metadata read with its schema; null when it is not JSON or not that shape (a stale or forged form). */
export function parseMeta<T>(schema: z.ZodType<T>, raw: string): T | null {
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
