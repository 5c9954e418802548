import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { Config } from '../config.js';

/**
 * The demo world of the sandbox: who works at the agency, the Slack channels,
 * the Telegram client the console speaks as, and the fixed sandbox credentials.
 * The tokens and the signing secret are not secrets: they only open the local
 * emulators on 127.0.0.1.
 */
const SANDBOX_TELEGRAM_TOKEN = '700000001:SandboxTokenForTheLocalEmulator_only';
const SANDBOX_SLACK_TOKEN = 'xoxb-sandbox-local-emulator-token';

export const SANDBOX_CHANNELS = {
  intake: { id: 'C0SBINTAKE', name: 'intake' },
  supervision: { id: 'C0SBSUPERV', name: 'supervision' },
} as const;

export interface SandboxPerson {
  slackUserId: string;
  name: string;
  handle: string;
  role: 'admin' | 'supervisor' | 'worker';
  timeZone: string;
  onCall?: boolean;
  /** Console pane that shows this person: worker / supervisor. */
  pane: 'worker' | 'supervisor';
}

export const SANDBOX_STAFF: SandboxPerson[] = [
  { slackUserId: 'U0SBSUPER1', name: 'Sam Supervisor', handle: 'sam', role: 'supervisor', timeZone: 'Europe/London', onCall: true, pane: 'supervisor' },
  { slackUserId: 'U0SBADMIN1', name: 'Ada Admin', handle: 'ada', role: 'admin', timeZone: 'Europe/London', pane: 'supervisor' },
  { slackUserId: 'U0SBWORK01', name: 'Wen Li', handle: 'wen', role: 'worker', timeZone: 'Europe/London', pane: 'worker' },
  { slackUserId: 'U0SBWORK02', name: 'Kai Chen', handle: 'kai', role: 'worker', timeZone: 'Asia/Shanghai', pane: 'worker' },
];

export interface SandboxClient {
  id: number;
  first_name: string;
  language_code: string;
  /** The Client pane's tab for this person. */
  label: string;
}

/**
 * The Telegram users the Client pane speaks as, one tab each: each is its own
 * private chat with the bot (chat id = user id), with its own updates. Their
 * Telegram app language (language_code) is English and Chinese, the bot's two
 * languages (src/i18n). Only the sandbox's emulator knows them.
 */
export const SANDBOX_CLIENTS: readonly SandboxClient[] = [
  { id: 7_100_001, first_name: 'Mei', language_code: 'en', label: 'Mei (English)' },
  { id: 7_100_002, first_name: '李华', language_code: 'zh', label: '李华 Li Hua (Chinese)' },
];

/** The first demo client (Mei). */
export const SANDBOX_CLIENT = SANDBOX_CLIENTS[0]!;

export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Sandbox mode (no TELEGRAM_BOT_TOKEN, no SLACK_BOT_TOKEN): the same service,
 * configured as if for the real platforms but pointing at the local emulators
 * (started by the sandbox front end on these ports). Everything downstream —
 * the telegraf bot, the Bolt app, the delivery senders, the workers — reads
 * this config and cannot tell the difference. `sandbox` stays true.
 */
export async function sandboxConfig(config: Readonly<Config>): Promise<Readonly<Config>> {
  const tgPort = await freePort('127.0.0.1');
  const slackPort = await freePort('127.0.0.1');
  return Object.freeze({
    ...config,
    TELEGRAM_BOT_TOKEN: SANDBOX_TELEGRAM_TOKEN,
    TELEGRAM_API_ROOT: `http://127.0.0.1:${tgPort}`,
    SLACK_BOT_TOKEN: SANDBOX_SLACK_TOKEN,
    // Random per start: a published secret would let anyone who reaches the port sign requests.
    SLACK_SIGNING_SECRET: randomBytes(24).toString('base64url'),
    SLACK_APP_TOKEN: undefined,
    SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
    SLACK_INTAKE_CHANNEL: config.SLACK_INTAKE_CHANNEL ?? SANDBOX_CHANNELS.intake.id,
    SLACK_SUPERVISION_CHANNEL: config.SLACK_SUPERVISION_CHANNEL ?? SANDBOX_CHANNELS.supervision.id,
    SLACK_ADMIN_USER_IDS: SANDBOX_STAFF.filter((p) => p.role === 'admin').map((p) => p.slackUserId),
    sandbox: true,
  });
}

/** True only for a config made by sandboxConfig() (a plain config with no tokens, as tests boot, starts no emulators). */
export function isSandboxConfig(config: Readonly<Config>): boolean {
  return config.sandbox && config.TELEGRAM_BOT_TOKEN === SANDBOX_TELEGRAM_TOKEN && config.SLACK_BOT_TOKEN === SANDBOX_SLACK_TOKEN;
}

export function portOf(url: string | undefined): number {
  return url ? Number(new URL(url).port) : 0;
}
