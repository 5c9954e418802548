import type { Composer } from 'telegraf';
import { z } from 'zod';
import { respondToAppointment } from '../../appointments/appointment-response.service.js';
import { APPOINTMENT_RESPOND } from '../../appointments/appointment-reminder.js';
import { isOurReminder } from '../../appointments/client-answer.js';
import { CLIENT_RESPONSES } from '../../db/schema.js';
import { answerButton, reply } from '../telegram.reply.js';
import { tOf, type BotContext, type BotEnv } from '../telegram.env.js';
import { buttonActionComposer } from './button-action.js';
import { zUuid } from '../../lib/uuid.js';

/**
 * The client's answer to an appointment reminder ([Confirm] [I need another
 * time] [I can't come]). Mount BEFORE callbacksComposer: it handles only
 * buttons whose server-side action is 'appointment.respond' and passes every
 * other button on. The answer is recorded and told to the worker at once
 * (src/appointments/appointment-response.service.ts); the buttons are removed
 * (only from our reminder for that appointment, never from a message the
 * press claims to come from) and the client gets a short, plain confirmation.
 */
const actionSchema = z.object({
  type: z.literal(APPOINTMENT_RESPOND),
  appointmentId: zUuid(),
  version: z.number().int().min(1),
  answer: z.enum(CLIENT_RESPONSES),
});

export function appointmentResponseComposer(env: BotEnv): Composer<BotContext> {
  const { deps } = env;
  return buttonActionComposer(env, APPOINTMENT_RESPOND, actionSchema, async (ctx, action, chatId) => {
    const t = await tOf(env, ctx);
    if (!action) {
      await answerButton(env, ctx, t('appt.not_found'));
      return;
    }
    const { appointmentId, version, answer } = action;
    const result = await respondToAppointment(deps, { appointmentId, version, answer, telegramChatId: chatId });
    // Stop the button spinner first; then the message loses its buttons so the answer is not pressed again by accident.
    const said = t(result.reply, 'vars' in result ? result.vars : undefined);
    await answerButton(env, ctx, said);
    const messageId = ctx.callbackQuery.message?.message_id;
    if (messageId !== undefined && (await isOurReminder(deps.db, appointmentId, messageId))) await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    const text = result.status === 'recorded' || result.status === 'unchanged' ? `${t(result.answered)} ${said}` : said;
    await reply(env, ctx, [{ text }]);
  });
}
