import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cases } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { AuditEntry } from '../audit/audit.service.js';
import { insertCase } from '../cases/cases.repo.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { ensureClient, hasConsent, recordConsentGiven, updateClient, PREFERRED_NAME_AAD } from '../clients/clients.repo.js';
import type { IntakeEffect } from './intake.domain.js';
import { deleteSession, sealCaseIntake, type Session } from './intake.repo.js';
import { planIntakeCard } from './intake-card.js';

export type SubmitEffect = Extract<IntakeEffect, { type: 'submit' }>;

export interface Submitted {
  caseId: string;
  reference: string;
  name: string;
}

/**
 * In the caller's transaction: client (new or updated), consent, the case (or complete the crisis case), draft deleted,
 * and a new case's intake card planned (a crisis case had its card planned when the crisis opened it).
 * The audit entries go in one insert at the end, in the order of the changes.
 */
export async function submitCase(
  deps: Deps,
  tx: Db,
  who: { telegramUserId: number; chatId: number },
  session: Session,
  e: SubmitEffect,
  draftDeleted: boolean,
  /** Allocated before the transaction when a new case was expected (see NewCase.reference). */
  allocated?: string,
): Promise<{ submitted: Submitted; card: DeliveryRow[] }> {
  const now = deps.clock.now();
  const a = e.answers;
  const audit: AuditEntry[] = [];
  const { client, created } = await ensureClient(
    tx,
    deps.cipher,
    {
      telegramUserId: who.telegramUserId,
      chatId: who.chatId,
      language: e.language,
      timeZone: a.timezone,
      preferredName: a.name,
    },
    now,
  );
  const actor = { type: 'client' as const, id: client.id };
  if (created) {
    audit.push({ actor, action: 'client.created', subjectType: 'client', subjectId: client.id, details: { via: 'intake' } });
  } else {
    await updateClient(
      tx,
      client.id,
      {
        telegramChatId: who.chatId,
        language: e.language,
        timeZone: a.timezone,
        preferredNameEnc: deps.cipher.encrypt(a.name, PREFERRED_NAME_AAD),
      },
      now,
    );
  }
  // A client created just now has no consent yet: no need to look.
  if (created || !(await hasConsent(tx, client.id, e.agreement))) {
    const consent = await recordConsentGiven(tx, client.id, e.agreement);
    audit.push({
      actor,
      action: 'consent.given',
      subjectType: 'consent',
      subjectId: consent.id,
      details: { version: e.agreement.version, language: e.agreement.language },
    });
  }
  const intakeEnc = sealCaseIntake(deps.cipher, { v: 1, answers: a, language: e.language, safety: e.safety, complete: true, agreement: e.agreement });
  let caseId: string;
  let reference: string;
  let newCase = false;
  const [crisisCase] = session.caseId ? await tx.select().from(cases).where(eq(cases.id, session.caseId)).for('update') : [];
  if (crisisCase && crisisCase.status === 'open') {
    // The crisis path opened this case mid-intake; complete it rather than open a second one.
    await tx
      .update(cases)
      .set({
        category: a.category,
        urgency: a.urgency,
        intakeEnc,
        priority: 'crisis',
        crisis: true,
        version: sql`${cases.version} + 1`,
        updatedAt: now.toJSDate(),
      })
      .where(eq(cases.id, crisisCase.id));
    caseId = crisisCase.id;
    reference = crisisCase.reference;
    audit.push({ actor, action: 'case.intake_completed', caseId });
  } else {
    const row = await insertCase(
      tx,
      {
        clientId: client.id,
        category: a.category,
        priority: e.priority,
        urgency: a.urgency,
        crisis: e.crisis,
        intakeEnc,
        ...(allocated ? { reference: allocated } : {}),
      },
      now,
    );
    caseId = row.id;
    reference = row.reference;
    newCase = true;
    audit.push({ actor, action: 'case.created', caseId, details: { priority: e.priority, category: a.category } });
  }
  if (!draftDeleted) await deleteSession(tx, who.telegramUserId);
  audit.push({ actor, action: 'intake.submitted', caseId });
  await deps.audit.recordMany(audit, tx);
  const handOff = newCase ? await planIntakeCard(deps, tx, caseId, now) : undefined;
  return { submitted: { caseId, reference, name: a.name }, card: handOff?.status === 'done' ? handOff.rows : [] };
}
