import type { Config } from '../config.js';
import { SANDBOX_STAFF } from './sandbox.world.js';

/** What runs where, printed once on start in sandbox mode (plain console output, no personal data). */
export function printSandboxBanner(config: Readonly<Config>, url: string, withWorkers: boolean): void {
  const consoleUrl = url.replace('://127.0.0.1:', '://localhost:');
  const lines = [
    '',
    '  Casework — SANDBOX (no Telegram or Slack account needed)',
    '',
    `  Web console        ${consoleUrl}/   (Client · Worker · Supervisor panes, clock control)`,
    `  Telegram emulator  ${config.TELEGRAM_API_ROOT}   (Bot API; the real bot long-polls it)`,
    `  Slack emulator     ${config.SLACK_API_URL}   (Web API; signed events/interactions go to ${url}/slack/events)`,
    `  Database           ${config.embeddedDatabase ? `embedded PostgreSQL (PGlite) in ${config.PGLITE_DIR}` : 'PostgreSQL from DATABASE_URL'}`,
    `  Redis              ${config.REDIS_URL.replace(/\/\/[^@]*@/, '//')}   (queue prefix ${config.QUEUE_PREFIX})`,
    `  Workers            ${withWorkers ? 'running in this process' : 'NOT running (start with --with-workers: npm start)'}`,
    `  Demo staff         ${SANDBOX_STAFF.map((p) => `${p.name} (${p.role}, ${p.timeZone})`).join(', ')}`,
    '',
    '  To use real platforms: set TELEGRAM_BOT_TOKEN (from @BotFather) and/or SLACK_BOT_TOKEN +',
    '  SLACK_SIGNING_SECRET (see docs/slack.md), then restart. With either token set the sandbox is off.',
    '  More: docs/sandbox.md',
    '',
  ];
  console.log(lines.join('\n'));
}
