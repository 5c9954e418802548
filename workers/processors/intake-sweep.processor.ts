import { Telegram } from 'telegraf';
import { intakeSweepJob } from '../../src/jobs/intake-sweep.job.js';
import { sweepIntakeDrafts, type SendText } from '../../src/intake/intake.service.js';
import { processor } from '../processor.js';

/** Sends directly through the Bot API (a nudge is not a ledger-worthy reminder); without a token, drafts still expire. */
export const intakeSweepProcessor = processor(intakeSweepJob, async (_payload, { deps }) => {
  const token = deps.config.TELEGRAM_BOT_TOKEN;
  let send: SendText | undefined;
  if (token) {
    const telegram = new Telegram(token, deps.config.TELEGRAM_API_ROOT ? { apiRoot: deps.config.TELEGRAM_API_ROOT } : {});
    send = async (chatId, text) => {
      await telegram.sendMessage(chatId, text);
    };
  }
  const result = await sweepIntakeDrafts(deps, send);
  return { status: 'done', ...result };
});
