import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/client.js';
import { appointments, CLIENT_RESPONSES } from '../db/schema.js';
import { lockForClientAnswer } from '../clients/clients.repo.js';
import { scheduleAfterCommit, planDeliveries } from '../delivery/ledger.js';
import { planCardRefresh } from '../cases/case-card-refresh.js';
import { createI18n, isLang, type I18nKey, type I18nVars } from '../i18n/i18n.js';
import { ANSWER_SKIP_REASON, isActingAnswer, setAnswerFollowUp, skipClientReminders, staleAnswer } from './client-answer.js';
import { zUuid } from '../lib/uuid.js';

const i18n = createI18n();

/**
 * The client pressed a reminder button. Recorded on the appointment (for the
 * version the reminder was about), audited, and told to the worker at once.
 * Idempotent: the same answer again changes nothing and tells nobody twice;
 * an answer about an older version (rescheduled since), a cancelled or a
 * past appointment is answered with what is true now. The caller renders `reply`.
 * "I can't come" and "I need another time" also act (src/appointments/client-answer.ts):
 * the remaining client reminders are skipped, the case gets a follow-up for
 * the worker's next working day, and the worker's notice carries buttons.
 */
const respondInput = z.object({
  appointmentId: zUuid(),
  version: z.number().int().min(1),
  answer: z.enum(CLIENT_RESPONSES),
  telegramChatId: z.number().int(),
});
export type RespondInput = z.infer<typeof respondInput>;

export type RespondResult =
  | { status: 'recorded' | 'unchanged'; answer: RespondInput['answer']; reply: I18nKey; answered: I18nKey }
  | { status: 'outdated'; reply: I18nKey; vars?: I18nVars }
  | { status: 'not_found'; reply: I18nKey };

export async function respondToAppointment(deps: Deps, raw: RespondInput): Promise<RespondResult> {
  const parsed = respondInput.safeParse(raw);
  if (!parsed.success) return { status: 'not_found', reply: 'appt.not_found' };
  const input = parsed.data;
  const now = deps.clock.now();
  const out = await inTransaction(deps.db, async (tx) => {
    const hit = await lockForClientAnswer(tx, appointments, input.appointmentId, input.telegramChatId);
    if (!hit) return { result: { status: 'not_found', reply: 'appt.not_found' } as RespondResult };
    const { row: appt, clientId, zone, language } = hit;
    if (appt.version !== input.version || appt.status !== 'scheduled' || appt.startsAt.getTime() <= now.toMillis()) {
      const lang = isLang(language) ? language : 'en';
      const stale = staleAnswer(appt, now, { timeZone: zone, lang }, i18n.t(lang, 'appt.date_format'));
      return { result: { status: 'outdated', reply: stale.key, ...(stale.vars ? { vars: stale.vars } : {}) } as RespondResult };
    }
    const keys = { reply: `appt.reply.${input.answer}` as I18nKey, answered: `appt.answered.${input.answer}` as I18nKey };
    if (appt.clientResponse === input.answer) return { result: { status: 'unchanged', answer: input.answer, ...keys } as RespondResult };
    await tx
      .update(appointments)
      .set({ clientResponse: input.answer, clientRespondedAt: now.toJSDate(), updatedAt: now.toJSDate() })
      .where(and(eq(appointments.id, appt.id), eq(appointments.version, appt.version)));
    await deps.audit.record(
      {
        actor: { type: 'client', id: clientId },
        action: 'appointment.client_responded',
        caseId: appt.caseId,
        subjectType: 'appointment',
        subjectId: appt.id,
        details: { answer: input.answer, version: appt.version },
      },
      tx,
    );
    if (isActingAnswer(input.answer)) {
      const skipped = await skipClientReminders(tx, appt, ANSWER_SKIP_REASON[input.answer], now);
      const followUp = await setAnswerFollowUp(tx, appt, now);
      await deps.audit.record(
        {
          actor: { type: 'system' },
          action: 'appointment.client_answer_acted',
          caseId: appt.caseId,
          subjectType: 'appointment',
          subjectId: appt.id,
          details: { answer: input.answer, remindersSkipped: skipped, followUpSet: !!followUp },
        },
        tx,
      );
    }
    const rows = await planDeliveries(
      tx,
      [
        {
          kind: `appointment_response.${input.answer}`,
          subjectId: appt.id,
          version: appt.version,
          recipient: `staff:${appt.workerId}`,
          channel: 'slack',
          caseId: appt.caseId,
          dueAt: now,
        },
      ],
      now,
    );
    // The card shows the answer next to the appointment.
    rows.push(...(await planCardRefresh(tx, appt.caseId, now)));
    return { result: { status: 'recorded', answer: input.answer, ...keys } as RespondResult, rows };
  });
  if (out.rows) await scheduleAfterCommit(deps, out.rows);
  return out.result;
}
