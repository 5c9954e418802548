import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { HELP_TEXT } from '../ui/lists.blocks.js';
import { publishHome } from '../screens.js';
import { homeFailedBlocks } from '../ui/lists.blocks.js';
import { failureRef } from '../slack.kit.js';

type EventArgs<E extends string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;

/** App Home: the caseload (and, for supervisors, the team and escalations), rebuilt each time the tab opens. */
async function appHomeOpened(deps: Deps, { event, client }: EventArgs<'app_home_opened'>): Promise<void> {
  if (event.tab !== 'home') return;
  try {
    await publishHome(deps, client, event.user);
  } catch (err) {
    const ref = failureRef();
    deps.logger.error({ ref, where: 'event:app_home_opened', err: (err as Error).message, stack: (err as Error).stack }, 'slack handler failed');
    await client.views
      .publish({
        user_id: event.user,
        view: { type: 'home', blocks: homeFailedBlocks(ref) },
      })
      .catch(() => {});
  }
}

/**
 * Someone writes to the app in its DM. Nothing typed here goes to a client
 * (a stray message must never reach one): the app points to Message client.
 */
async function messageIm(deps: Deps, { message, client }: EventArgs<'message'>): Promise<void> {
  const m = message as { channel_type?: string; subtype?: string; bot_id?: string; user?: string; channel: string; ts: string; thread_ts?: string };
  if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
  await client.chat
    .postMessage({
      channel: m.channel,
      thread_ts: m.thread_ts ?? m.ts,
      text: `Messages typed here are not sent to anyone. To write to a client, use *Message client* on the case card.\n${HELP_TEXT}`,
    })
    .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'could not answer a DM'));
}

/** The Events API listeners (not staff-gated: they answer whoever is there), keyed by event type. */
export const EVENTS = {
  app_home_opened: appHomeOpened,
  message: messageIm,
} satisfies { [E in 'app_home_opened' | 'message']: (deps: Deps, args: EventArgs<E>) => Promise<void> };
