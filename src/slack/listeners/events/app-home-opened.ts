import type { RegisterListener } from '../index.js';
import { publishHome } from '../../screens.js';
import { failureRef } from '../../slack.kit.js';
import { homeFailedBlocks } from '../../ui/lists.blocks.js';

/** App Home: the caseload (and, for supervisors, the team and escalations), rebuilt each time the tab opens. */
export const registerAppHomeOpened: RegisterListener = (app, deps) => {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(deps, client, event.user);
    } catch (err) {
      const ref = failureRef();
      deps.logger.error({ ref, where: 'event:app_home_opened', err: (err as Error).message, stack: (err as Error).stack }, 'slack handler failed');
      await client.views
        .publish({
          user_id: event.user,
          view: {
            type: 'home',
            blocks: homeFailedBlocks(ref),
          },
        })
        .catch(() => {});
    }
  });
};
