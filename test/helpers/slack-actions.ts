import type { SlackEmulator } from '../../src/sandbox/slack-emulator.js';

/**
 * The envelope of a `block_actions` payload from `user`, as Slack signs and sends it: the team,
 * the app and a fresh trigger id from the emulator. A test adds the channel, container and actions.
 */
export function blockActionBy(world: { slack: SlackEmulator }, user: string) {
  return {
    type: 'block_actions',
    user: { id: user },
    team: { id: world.slack.identity.teamId },
    api_app_id: world.slack.identity.appId,
    trigger_id: world.slack.issueTrigger(user),
  } as const;
}
