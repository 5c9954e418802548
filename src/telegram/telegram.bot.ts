import { Telegraf, Telegram } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import type { Deps } from '../deps.js';
import { createLater, type Later } from '../db/after-commit.js';
import { createI18n } from '../i18n/i18n.js';
import { botCommands } from './messages.js';
import { SharedChatGate } from './telegram.shared-gate.js';
import { MessageTracker } from './telegram.tracker.js';
import { sendReplies } from './telegram.reply.js';
import type { BotContext, BotEnv, Reply } from './telegram.env.js';
import { guardMiddleware, throttleMiddleware } from './composers/guard.middleware.js';
import { crisisFirstMiddleware, crisisRecordMiddleware } from './composers/crisis.middleware.js';
import { CrisisReplies, type CrisisReplyOptions } from './crisis-reply.js';
import { ChatMemory, LanguageMemory, WebhookAnswers } from './telegram.env.js';
import { withTimeout } from '../lib/timeout.js';
import { timedHandling } from '../lib/metrics.js';
import { commandsComposer } from './composers/commands.composer.js';
import { appointmentResponseComposer } from './composers/appointment-response.composer.js';
import { callbacksComposer } from './composers/callbacks.composer.js';
import { concernComposer } from './composers/concern.composer.js';
import { referralConsentComposer } from './composers/referral-consent.composer.js';
import { intakeComposer } from './composers/intake.composer.js';
import { LANGUAGES } from '../lib/languages.js';
import { RateBudgets } from '../delivery/rate-budget.js';
import { ReplyPacer, type ReplyPacingOptions } from './reply-pacing.js';

/**
 * The client-facing bot. The chain, in order:
 *   crisis reply (emergency contacts at once, retried; no database, no Redis, no queue, no send budget)
 *   → the update's own replies paced by the bot-wide send budget, their 429s retried (reply-pacing.ts)
 *   → guard (private chats, one update per chat at a time in update_id order across app processes, update_id de-duplication)
 *   → crisis record (case, crisis message, escalation, the reply's ledger row)
 *   → flood throttle → commands → reminder answers → other button presses → intake answers / messages to the worker.
 */
const CLOSE_DRAIN_MS = 5000;

export interface BotOptions {
  token: string;
  /** Bot API base URL (the emulator in tests and the sandbox). */
  apiRoot?: string | undefined;
  /** Preset getMe result; without it one is derived from the token (id) and fetched on start by the front end. */
  botInfo?: UserFromGetMe;
  later?: Later;
  /** Flood counting clock (ms), for tests. */
  floodNow?: () => number;
  /** Emergency reply retry settings (tests shorten the waits). */
  crisisReply?: CrisisReplyOptions;
  /** Interactive replies' turn and 429 retry settings (tests hold or shorten the waits). */
  replyPacing?: ReplyPacingOptions;
}

export interface TelegramBot {
  bot: Telegraf<BotContext>;
  env: BotEnv;
  /** Register the command list in English and Chinese (the client's Telegram language picks one). */
  registerCommands(): Promise<void>;
  /** Wait for background work (jobs after commit, message tracking) and held flood replies. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export function createBot(deps: Deps, opts: BotOptions): TelegramBot {
  const bot = new Telegraf<BotContext>(opts.token, {
    // Replies go out as normal API calls (not in the webhook response) so their message ids are known for quick exit.
    telegram: { webhookReply: false, ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}) },
    handlerTimeout: 60_000,
  });
  bot.botInfo =
    opts.botInfo ??
    ({
      id: Number(opts.token.split(':')[0]) || 0,
      is_bot: true,
      first_name: 'Casework',
      username: 'casework_bot',
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    } as UserFromGetMe);

  const later = opts.later ?? createLater(deps.logger);
  const i18n = createI18n();
  const env = {} as BotEnv;
  const onWarn = (msg: string, fields: Record<string, unknown>) => deps.logger.warn(fields, msg);
  const gate = new SharedChatGate<Reply>({
    redis: deps.redis,
    prefix: deps.config.QUEUE_PREFIX,
    redisTimeoutMs: deps.config.TELEGRAM_REDIS_TIMEOUT_MS,
    onWarn,
    max: deps.config.TELEGRAM_FLOOD_MAX_MESSAGES,
    windowMs: deps.config.TELEGRAM_FLOOD_WINDOW_SECONDS * 1000,
    ...(opts.floodNow ? { now: opts.floodNow } : {}),
    // Held flood replies are interactive too: paced like the update's own (below).
    flush: (chatId, replies) => sendReplies(env, flushClient, chatId, replies),
    onError: (err) => deps.logger.warn({ err: (err as Error)?.message }, 'held replies could not be sent'),
  });
  // The chat turns' Redis breaker: one outage seen once.
  const pacer = new ReplyPacer(new RateBudgets(deps.redis, deps.config), gate.turns.breaker, deps.config.TELEGRAM_REDIS_TIMEOUT_MS, onWarn, opts.replyPacing);
  const flushClient = pacer.pace(new Telegram(opts.token, bot.telegram.options));
  const tracker = new MessageTracker(deps.redis, deps.config.QUEUE_PREFIX, deps.config.TELEGRAM_REDIS_TIMEOUT_MS);
  // bot.telegram itself is never paced: the emergency reply goes through it at once (and polling, commands setup).
  const crisisReplies = new CrisisReplies(() => bot.telegram, deps.logger, {
    ...opts.crisisReply,
    onSent: (chatId, messageId) => later('track', () => tracker.add(chatId, messageId)),
  });
  Object.assign(env, {
    deps,
    i18n,
    later,
    gate,
    tracker,
    crisisReplies,
    langs: new LanguageMemory(),
    concernAsked: new ChatMemory<number>(),
    webhookAnswers: new WebhookAnswers(),
    pacer,
  } satisfies BotEnv);

  bot.use((_ctx, next) => timedHandling('telegram', next));
  bot.use(crisisFirstMiddleware(env));
  // Every other reply of the update: a turn on the bot-wide budget, 429s retried (the crisis reply above uses bot.telegram).
  bot.use((ctx, next) => {
    env.pacer.pace(ctx.telegram);
    return next();
  });
  bot.use(guardMiddleware(env));
  bot.use(crisisRecordMiddleware(env));
  bot.use(throttleMiddleware(env));
  bot.use(commandsComposer(env));
  bot.use(concernComposer(env));
  // Before callbacksComposer, which refuses buttons it does not know.
  bot.use(appointmentResponseComposer(env));
  bot.use(referralConsentComposer(env));
  bot.use(callbacksComposer(env));
  bot.use(intakeComposer(env));
  bot.catch((err) => deps.logger.error({ err: (err as Error)?.message }, 'unhandled bot error'));

  return {
    bot,
    env,
    async registerCommands() {
      for (const lang of LANGUAGES) {
        await bot.telegram.setMyCommands(botCommands(i18n.fixed(lang)), { language_code: lang });
      }
      // Clients whose Telegram is in another language get the English list.
      await bot.telegram.setMyCommands(botCommands(i18n.fixed('en')));
    },
    async settle() {
      await crisisReplies.settle();
      await later.drain();
      await gate.releaseAll();
      await later.drain();
    },
    async close() {
      gate.close();
      crisisReplies.close();
      await crisisReplies.settle();
      // Jobs queued after commit wait for Redis; with Redis down, stopping does not wait for them (the
      // reconciler and the due-row scan rebuild them from PostgreSQL).
      await withTimeout(later.drain(), CLOSE_DRAIN_MS, 'background work at stop').catch((err: unknown) =>
        deps.logger.warn({ err: (err as Error)?.message }, 'stopping the bot without waiting for Redis'),
      );
    },
  };
}
