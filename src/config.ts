import { z } from 'zod';
import { bool, optionalString, url, optionalUrl, zone, hhmm, list, crisisList, int, isoDuration, isoList, validPolicyJson } from './config.fields.js';
import { LANGUAGES } from './lib/languages.js';

/**
 * Configuration comes only from the environment, parsed once by zod. A bad or
 * missing value stops the process with ONE message that names every problem
 * (never the value itself: some are secrets). The result is frozen.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOST: z.string().default('127.0.0.1'),
    PORT: int(0, 65535).default(3000),
    PUBLIC_URL: optionalUrl(['https:', 'http:']),

    DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
    /** The owner's connection, for migrations; the service itself connects with DATABASE_URL as a role that owns nothing. */
    DATABASE_MIGRATION_URL: optionalUrl(['postgres:', 'postgresql:']),
    /** off behind a pooler in transaction mode (pgbouncer < 1.21): hot statements go unnamed. */
    DB_PREPARED_STATEMENTS: z.enum(['on', 'off']).default('on'),
    PGLITE_DIR: z.string().default('./data/pglite'),
    DB_POOL_MAX: int(1, 200).default(10),
    DB_URGENT_POOL_MAX: int(1, 20).default(2),

    REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    /** host:port,… of a Redis Cluster's nodes (credentials and TLS from REDIS_URL); empty: the one server at REDIS_URL. */
    REDIS_CLUSTER_NODES: optionalString.refine((v) => v === undefined || /^[^\s,:]+:\d{1,5}(\s*,\s*[^\s,:]+:\d{1,5})*$/.test(v), 'host:port,host:port,…'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
      .default('casework'),

    ENCRYPTION_KEYS: optionalString,
    ENCRYPTION_KEY_FILE: z.string().default('./data/encryption.key'),

    TELEGRAM_BOT_TOKEN: optionalString,
    TELEGRAM_API_ROOT: optionalUrl(['https:', 'http:']),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'letters, digits, _ and - only, at most 256')
      .optional()
      .or(z.literal('').transform(() => undefined)),

    SLACK_BOT_TOKEN: optionalString,
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString,
    SLACK_API_URL: optionalUrl(['https:', 'http:']),
    SLACK_INTAKE_CHANNEL: optionalString,
    SLACK_SUPERVISION_CHANNEL: optionalString,
    SLACK_ADMIN_USER_IDS: list.default([]),

    DASHBOARD_USER: z.string().min(1).default('admin'),
    DASHBOARD_PASSWORD: optionalString,

    DEFAULT_TIMEZONE: zone.default('Europe/London'),
    DEFAULT_LANGUAGE: z.enum(LANGUAGES).default('en'),
    CLIENT_QUIET_HOURS_START: hhmm.default('21:00'),
    CLIENT_QUIET_HOURS_END: hhmm.default('08:00'),
    EMERGENCY_CONTACTS_EN: z.string().default('Emergency services: 999. Samaritans (24/7): 116 123. Our duty line: +44 20 0000 0000.'),
    EMERGENCY_CONTACTS_ZH: z.string().default('紧急服务：999。Samaritans 撒玛利亚会（全天 24 小时）：116 123。本机构值班电话：+44 20 0000 0000。'),
    /** Added to the built-in crisis detection (never replace it), so an agency cannot lose the defaults. */
    CRISIS_PHRASES_EN: crisisList.optional(),
    CRISIS_PHRASES_ZH: crisisList.optional(),
    /** Non-text messages during intake are answered with the emergency contacts line too. */
    CRISIS_ALWAYS_SHOW_CONTACTS: bool.default(false),
    /** The emergency reply is retried in process; its ledger row (sent if the process dies first) is due this much later. */
    CRISIS_REPLY_HANDOVER_SECONDS: int(10, 3600).default(60),
    /** After a crisis is acknowledged, a safety-plan note is due within this many hours, else it escalates again. */
    CRISIS_SAFETY_PLAN_HOURS: z.coerce.number().positive().max(72).default(4),
    /** The check-in message to the client after an acknowledged crisis: next day at this local time (client's zone). */
    CRISIS_CHECKIN_LOCAL_TIME: hhmm.default('10:00'),
    /** A gap in the on-call rota within this many hours is escalated to the admins. */
    ONCALL_GAP_LOOKAHEAD_HOURS: int(1, 24 * 14).default(24),
    /** Bound on each Redis call made while handling a Telegram update (quick exit, message tracking). */
    TELEGRAM_REDIS_TIMEOUT_MS: int(100, 30_000).default(1500),
    DISCREET_MODE: bool.default(false),

    INTAKE_IDLE_NUDGE_HOURS: int(1, 24 * 30).default(24),
    INTAKE_DRAFT_TTL_DAYS: int(1, 90).default(7),
    // Telegram intake (src/telegram): per-answer limit, how often idle drafts are swept, flood throttle per chat.
    INTAKE_FIELD_MAX_CHARS: int(50, 4000).default(2000),
    /** A text sent sooner than this after the previous one is another part of it (0: only parts sent back to back). */
    INTAKE_GATHER_SECONDS: int(0, 30).default(2),
    INTAKE_SWEEP_EVERY_MINUTES: int(1, 24 * 60).default(15),
    // Webhook requests Telegram may have in flight at once (its setWebhook max_connections, 1–100; Telegram's default is 40).
    // Per-chat order is ours (chat turns), so the maximum costs nothing, and a crisis update does not queue behind slow ones.
    TELEGRAM_WEBHOOK_MAX_CONNECTIONS: int(1, 100).default(100),
    TELEGRAM_FLOOD_MAX_MESSAGES: int(2, 10_000).default(10),
    TELEGRAM_FLOOD_WINDOW_SECONDS: int(1, 3600).default(10),
    RECONCILE_EVERY_SECONDS: int(10, 24 * 3600).default(300),
    /**
     * Send jobs exist in Redis only for ledger rows due within this horizon; the reconciler adds the rest as they
     * enter it (src/delivery/horizon.ts). At least four reconcile periods are used whatever this says.
     */
    DELIVERY_JOB_HORIZON_SECONDS: int(60, 30 * 24 * 3600).default(6 * 3600),
    SHUTDOWN_TIMEOUT_MS: int(1000, 60_000).default(8000),

    // Reminders, nudges, escalations and delivery (issue 5). Durations are ISO-8601 ("PT24H", "PT30M").
    REMINDER_OFFSETS_CLIENT: isoList.default(['PT24H', 'PT2H']),
    REMINDER_OFFSETS_WORKER: isoList.default(['PT24H', 'PT30M']),
    /** Reminders may go out this long before their due time (batching ahead of a burst); empty = exactly at due time. */
    SEND_AHEAD_WINDOW: isoDuration.optional().or(z.literal('').transform(() => undefined)),
    OUTCOME_QUESTION_AFTER: isoDuration.default('PT1H'),
    /** Full escalation policy as JSON (src/escalations/policy.domain.ts policyConfigSchema); the variables below override parts of it. */
    ESCALATION_POLICY: z
      .string()
      .optional()
      .refine(
        (v) => v === undefined || v.trim() === '' || validPolicyJson(v),
        'must be a JSON object (see policyConfigSchema in src/escalations/policy.domain.ts)',
      ),
    QUIET_CASE_DAYS_CRISIS: z.coerce.number().positive().optional(),
    QUIET_CASE_DAYS_HIGH: z.coerce.number().positive().optional(),
    QUIET_CASE_DAYS_NORMAL: z.coerce.number().positive().optional(),
    QUIET_CASE_DAYS_LOW: z.coerce.number().positive().optional(),
    UNASSIGNED_INTAKE_WORKING_HOURS: z.coerce
      .number()
      .nonnegative()
      .max(24 * 7)
      .optional(),
    /** On-call supervisors are paged again this often until someone acknowledges a crisis. */
    ONCALL_REPEAT_MINUTES: int(1, 24 * 60).optional(),
    DELIVERY_TICK_SECONDS: int(1, 300).default(5),
    ESCALATION_TICK_SECONDS: int(5, 3600).default(15),
    DELIVERY_CLAIM_LEASE_SECONDS: int(10, 3600).default(30),
    /** A delivery job whose send found its slot free sends up to this many due rows in the run (src/delivery/send-batch.ts); 1 = one row per job. */
    DELIVERY_BATCH_SIZE: int(1, 1000).default(50),
    /** Every Telegram/Slack call gives up after this long (telegraf's own default is 500 s); must stay well under the lease. */
    PLATFORM_HTTP_TIMEOUT_MS: int(1000, 120_000).default(10_000),
    TELEGRAM_MESSAGES_PER_SECOND: int(1, 30).default(29),
    TELEGRAM_CHAT_MESSAGES_PER_SECOND: int(1, 30).default(1),
    SLACK_CHANNEL_MESSAGES_PER_SECOND: int(1, 30).default(1),
    // Slack app (issue 4). Intake-card fields safe to show in a channel besides reference/category/urgency/safety: first_name, language.
    /** Open cases one worker should carry at most (issue 17): the assignment picker marks those at or over it; assigning over it asks for a reason. */
    CASELOAD_LIMIT: int(1, 1000).default(25),
    INTAKE_CARD_SAFE_FIELDS: list.pipe(z.array(z.enum(['first_name', 'language']))).default([]),
    /** Bolt's own log level (its logs go to the console; ours go through pino). */
    SLACK_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('warn'),
    /** Force the sandbox on (even with tokens set) or off; unset: on when no platform token is set. Refused in production. */
    SANDBOX: bool.optional(),
    // Data lifecycle (issue 15): erasure decisions, holds, retention periods, batch sizes.
    ERASURE_DEADLINE_DAYS: int(1, 90).default(30),
    /** Unanswered erasure requests reach the supervision channel this many days before the deadline (admins at the deadline). */
    ERASURE_WARN_DAYS_BEFORE: int(0, 60).default(7),
    ERASURE_HOLD_REVIEW_DAYS: int(1, 3650).default(90),
    RETENTION_CLOSED_YEARS: int(1, 100).default(6),
    RETENTION_WITHDRAWN_YEARS: int(1, 100).default(2),
    RETENTION_DECLINED_CONSENT_YEARS: int(1, 100).default(1),
    RETENTION_LEDGER_DAYS: int(1, 3650).default(180),
    RETENTION_DEDUPE_DAYS: int(1, 365).default(7),
    RETENTION_TOKEN_DAYS: int(1, 365).default(30),
    RETENTION_BATCH_SIZE: int(1, 100_000).default(500),
    // Leave cover and referrals (issue 17).
    /** The worker is asked for a referral's outcome this many days after recording it (and again after "still waiting"). */
    REFERRAL_FOLLOWUP_DAYS: int(1, 365).default(14),
    /** How often due hand-backs (`/case handover … until <date>`) are looked for. */
    HANDOVER_TICK_MINUTES: int(1, 1440).default(15),
  })
  .superRefine((c, ctx) => {
    // A call still waiting for the platform when its claim lapses could be sent a second time by another worker.
    if (c.PLATFORM_HTTP_TIMEOUT_MS * 2 > c.DELIVERY_CLAIM_LEASE_SECONDS * 1000) {
      ctx.addIssue({ code: 'custom', path: ['PLATFORM_HTTP_TIMEOUT_MS'], message: 'must be at most half of DELIVERY_CLAIM_LEASE_SECONDS' });
    }
    if (c.NODE_ENV !== 'production') return;
    // Production never falls back to a key file on local disk or an open dashboard.
    if (!c.ENCRYPTION_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['ENCRYPTION_KEYS'], message: 'is required when NODE_ENV=production' });
    }
    if (!c.DASHBOARD_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['DASHBOARD_PASSWORD'], message: 'is required when NODE_ENV=production' });
    }
    if (!c.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required when NODE_ENV=production (the embedded database is for trying the service out)',
      });
    }
    if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'is required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN (Socket Mode) is set' });
    }
    // The sandbox (local emulators, demo staff, an open console) never runs on a production database.
    if (c.SANDBOX)
      ctx.addIssue({ code: 'custom', path: ['SANDBOX'], message: 'cannot be on when NODE_ENV=production (the sandbox is for trying the service out)' });
    for (const key of ['TELEGRAM_BOT_TOKEN', 'SLACK_BOT_TOKEN'] as const) {
      if (!c[key])
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required when NODE_ENV=production (without it the service would start the sandbox)' });
    }
  });

type Raw = z.output<typeof schema>;

export interface Config extends Raw {
  /** No Telegram or Slack token: run against the local emulators. */
  readonly sandbox: boolean;
  readonly embeddedDatabase: boolean;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Every variable the service reads (kept in step with .env.example by a test). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(schema.shape));

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    // An empty variable (as .env files leave them) means "not set": the default applies.
    if (v !== undefined && v.trim() !== '') input[key] = v;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    // Zod messages describe the rule, never the value, so secrets stay out of the output.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(problems);
  }
  const c = parsed.data;
  return Object.freeze({
    ...c,
    SLACK_ADMIN_USER_IDS: Object.freeze([...c.SLACK_ADMIN_USER_IDS]) as unknown as string[],
    sandbox: c.NODE_ENV !== 'production' && (c.SANDBOX ?? (!c.TELEGRAM_BOT_TOKEN && !c.SLACK_BOT_TOKEN)),
    embeddedDatabase: !c.DATABASE_URL,
  });
}

export { describeEndpoint } from './lib/endpoint.js';
