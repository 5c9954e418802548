import { WebClient } from '@slack/web-api';
import type { FrontEnd } from '../frontend.js';
import { seedAdmins } from '../staff/staff.service.js';
import { createSlackApp } from './slack.app.js';
import { lookupVia } from './slack.kit.js';

/**
 * The Slack front end: starts only with SLACK_BOT_TOKEN (otherwise a no-op;
 * the sandbox drives the emulator itself). Seeds the first admins from
 * SLACK_ADMIN_USER_IDS (names and time zones from users.info), then mounts
 * the Bolt receiver on the shared HTTP app (/slack/events) or connects by
 * Socket Mode when SLACK_APP_TOKEN is set.
 */
export const slackFrontEnd: FrontEnd = {
  name: 'slack',
  async start(deps, app) {
    const c = deps.config;
    if (!c.SLACK_BOT_TOKEN) return { stop: async () => {} };
    const slack = createSlackApp(deps, {
      token: c.SLACK_BOT_TOKEN,
      signingSecret: c.SLACK_SIGNING_SECRET,
      appToken: c.SLACK_APP_TOKEN,
      apiUrl: c.SLACK_API_URL,
      expressApp: app,
    });
    const web = new WebClient(c.SLACK_BOT_TOKEN, {
      ...(c.SLACK_API_URL ? { slackApiUrl: c.SLACK_API_URL.endsWith('/') ? c.SLACK_API_URL : `${c.SLACK_API_URL}/` } : {}),
      retryConfig: { retries: 1 },
    });
    const seeded = await seedAdmins(deps, lookupVia(web)).catch((err: unknown) => {
      deps.logger.warn({ err: (err as Error).message }, 'could not seed the admins from SLACK_ADMIN_USER_IDS');
      return 0;
    });
    await slack.start();
    deps.logger.info({ mode: slack.mode, seededAdmins: seeded }, 'slack app ready');
    return { stop: () => slack.stop() };
  },
};
