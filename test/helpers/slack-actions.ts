import type { SlackEmulator } from '../../src/sandbox/slack-emulator.js';

/** Who sends an interaction payload, as Slack signs it: the user, the team, the app and a fresh trigger id from the emulator. */
function sentBy(world: { slack: SlackEmulator }, user: string) {
  return {
    user: { id: user },
    team: { id: world.slack.identity.teamId },
    api_app_id: world.slack.identity.appId,
    trigger_id: world.slack.issueTrigger(user),
  } as const;
}

/**
 * The envelope of a `block_actions` payload from `user`, as Slack signs and sends it: the team,
 * the app and a fresh trigger id from the emulator. A test adds the channel, container and actions.
 */
export function blockActionBy(world: { slack: SlackEmulator }, user: string) {
  return { type: 'block_actions', ...sentBy(world, user) } as const;
}

/**
 * A `block_actions` envelope from `user` as from a message in their DM with the app (at `messageTs`):
 * blockActionBy with the DM channel, the message container and a fresh response_url. A test adds the actions.
 */
export function dmBlockActionBy(world: { slack: SlackEmulator }, user: string, messageTs = '1.000002') {
  const channel = world.slack.dmChannel(user);
  return {
    ...blockActionBy(world, user),
    channel: { id: channel },
    container: { type: 'message', channel_id: channel, message_ts: messageTs },
    response_url: world.slack.issueResponseUrl({ channel, user, kind: 'block_actions' }),
  } as const;
}

/** A `view_submission` payload from `user` for `view` (its state and private metadata as the test sets them), signed like Slack. */
export function viewSubmissionBy<V>(world: { slack: SlackEmulator }, user: string, view: V) {
  return { type: 'view_submission', ...sentBy(world, user), view } as const;
}
