import { and, eq, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/client.js';
import { clients, referralConsents, referrals, resources } from '../db/schema.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow } from '../delivery/ledger.js';
import { clientUnreachable } from '../delivery/recipients.js';
import { FieldRefusal, mutateCase, type Mutation } from '../cases/case-mutation.js';
import { planCardRefresh } from '../cases/case-card-refresh.js';
import { isLang } from '../i18n/i18n.js';
import type { StaffRow } from '../staff/staff.repo.js';
import { lockForClientAnswer } from '../clients/clients.repo.js';
import { AAD_REFERRAL_REASON, AAD_VERBAL_REASON } from './referrals.read.js';
import { isFinalOutcome, REFERRAL_CONSENT_VERSION, referralInput, type ReferralOutcome } from './referrals.domain.js';

/**
 * Referrals (issue 17): a worker links a case's client to a resource, says
 * why (encrypted: 'referrals.reason') and whether the client agreed to share
 * their details — a consent receipt of its own, versioned like the service
 * agreement: asked of the client in Telegram (they answer with a button), or
 * recorded by the worker as given verbally, with a reason. After
 * REFERRAL_FOLLOWUP_DAYS the case's worker is asked for the outcome (a ledger
 * row, so it follows a handover and goes out once); "still waiting" asks again later.
 */
export const REFERRAL_CONSENT_KIND = 'referral_consent' as const;
export const REFERRAL_FOLLOWUP_KIND = 'referral_followup' as const;
export const REFERRAL_CONSENT_ACTION = 'referral.consent';

export { caseReferrals, sharingReceiptsOf, type CaseReferral } from './referrals.read.js';

export type ReferralRow = typeof referrals.$inferSelect;

function followUp(deps: Deps, r: Pick<ReferralRow, 'id' | 'caseId' | 'followUpVersion'>, workerId: string | null, now: DateTime) {
  if (!workerId) return [];
  return [
    {
      kind: REFERRAL_FOLLOWUP_KIND,
      subjectId: r.id,
      version: r.followUpVersion,
      recipient: `staff:${workerId}` as const,
      channel: 'slack' as const,
      caseId: r.caseId,
      dueAt: now.plus({ days: deps.config.REFERRAL_FOLLOWUP_DAYS }),
    },
  ];
}

export async function recordReferral(
  deps: Deps,
  actor: StaffRow,
  caseId: string,
  raw: unknown,
  idempotencyKey: string,
): Promise<Mutation<{ referral: ReferralRow; resourceName: string }>> {
  const parsed = referralInput.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { ok: false, field: String(i.path[0] ?? 'reason'), message: i.message };
  }
  const input = parsed.data;
  const now = deps.clock.now();
  let rows: DeliveryRow[] = [];
  const res = await mutateCase(deps, actor, caseId, {}, async (tx, c) => {
    const [res] = await tx
      .select()
      .from(resources)
      .where(and(eq(resources.id, input.resourceId), eq(resources.active, true)))
      .limit(1);
    if (!res) throw new FieldRefusal({ field: 'resourceId', message: 'That resource is no longer in the directory; choose another.' });
    const [client] = await tx.select().from(clients).where(eq(clients.id, c.clientId)).limit(1);
    if (input.share === 'ask_client' && clientUnreachable(client)) {
      throw new FieldRefusal({
        field: 'share',
        message:
          'The client cannot be asked in Telegram right now (no chat, blocked, or erasure asked). Record their verbal agreement instead, or do not share.',
      });
    }
    const [ref] = await tx
      .insert(referrals)
      .values({
        caseId: c.id,
        resourceId: res.id,
        referredBy: actor.id,
        reasonEnc: deps.cipher.encrypt(input.reason, AAD_REFERRAL_REASON),
        shareDetails: input.share !== 'none',
        consentState: input.share === 'none' ? 'not_asked' : input.share === 'verbal' ? 'given' : 'asked',
        followUpAt: now.plus({ days: deps.config.REFERRAL_FOLLOWUP_DAYS }).toJSDate(),
        idempotencyKey,
        createdAt: now.toJSDate(),
        updatedAt: now.toJSDate(),
      })
      .onConflictDoNothing({ target: referrals.idempotencyKey })
      .returning();
    if (!ref) return null;
    if (input.share === 'verbal') {
      await tx.insert(referralConsents).values({
        referralId: ref.id,
        clientId: c.clientId,
        consentVersion: REFERRAL_CONSENT_VERSION,
        language: isLang(client?.language) ? client!.language : 'en',
        method: 'verbal',
        givenAt: now.toJSDate(),
        recordedBy: actor.id,
        verbalReasonEnc: deps.cipher.encrypt(input.verbalReason!, AAD_VERBAL_REASON),
        createdAt: now.toJSDate(),
      });
    }
    rows = await planDeliveries(
      tx,
      [
        ...(input.share === 'ask_client'
          ? [
              {
                kind: REFERRAL_CONSENT_KIND,
                subjectId: ref.id,
                recipient: `client:${c.clientId}` as const,
                channel: 'telegram' as const,
                caseId: c.id,
                dueAt: now,
              },
            ]
          : []),
        ...followUp(deps, ref, c.assignedWorkerId, now),
      ],
      now,
    );
    await deps.audit.record(
      {
        actor: { type: 'staff', id: actor.id },
        action: 'referral.recorded',
        caseId: c.id,
        subjectType: 'referral',
        subjectId: ref.id,
        details: { resource: res.id, share: input.share, consentVersion: input.share === 'none' ? null : REFERRAL_CONSENT_VERSION },
      },
      tx,
    );
    return { referral: ref, resourceName: res.name };
  });
  if (res.ok && !res.duplicate && res.value === null) return { ok: true, duplicate: true };
  await scheduleAfterCommit(deps, rows);
  return res as Mutation<{ referral: ReferralRow; resourceName: string }>;
}

export type ConsentAnswer = { status: 'recorded' | 'already' | 'not_found'; given?: boolean };

/** The client pressed [Yes, share them] / [No, do not share] in Telegram: one receipt, for this chat's own referral only. */
export async function answerReferralConsent(deps: Deps, input: { referralId: string; yes: boolean; telegramChatId: number }): Promise<ConsentAnswer> {
  const now = deps.clock.now();
  const out = await inTransaction(deps.db, async (tx) => {
    const hit = await lockForClientAnswer(tx, referrals, input.referralId, input.telegramChatId);
    if (hit?.caseStatus !== 'open') return { a: { status: 'not_found' } as ConsentAnswer, rows: [] };
    const { row: r, clientId, language } = hit;
    if (r.consentState !== 'asked') return { a: { status: 'already', given: r.consentState === 'given' } as ConsentAnswer, rows: [] };
    await tx.insert(referralConsents).values({
      referralId: r.id,
      clientId: clientId,
      consentVersion: REFERRAL_CONSENT_VERSION,
      language: isLang(language) ? language : 'en',
      method: 'client_button',
      ...(input.yes ? { givenAt: now.toJSDate() } : { declinedAt: now.toJSDate() }),
      createdAt: now.toJSDate(),
    });
    await tx
      .update(referrals)
      .set({ consentState: input.yes ? 'given' : 'declined', updatedAt: now.toJSDate() })
      .where(eq(referrals.id, r.id));
    await deps.audit.record(
      {
        actor: { type: 'client', id: clientId },
        action: input.yes ? 'referral.consent_given' : 'referral.consent_declined',
        caseId: r.caseId,
        subjectType: 'referral',
        subjectId: r.id,
        details: { version: REFERRAL_CONSENT_VERSION },
      },
      tx,
    );
    return { a: { status: 'recorded', given: input.yes } as ConsentAnswer, rows: await planCardRefresh(tx, r.caseId, now) };
  });
  await scheduleAfterCommit(deps, out.rows);
  return out.a;
}

/** The worker's answer to the follow-up (or from the case): "still waiting" plans the next question; the others end it. */
export async function recordReferralOutcome(
  deps: Deps,
  actor: StaffRow,
  referralId: string,
  outcome: ReferralOutcome,
): Promise<Mutation<{ referral: ReferralRow; changed: boolean; caseReference: string }>> {
  const [r0] = await deps.db.select({ caseId: referrals.caseId }).from(referrals).where(eq(referrals.id, referralId)).limit(1);
  if (!r0) return { ok: false, message: 'That referral no longer exists.' };
  const now = deps.clock.now();
  let rows: DeliveryRow[] = [];
  const res = await mutateCase(deps, actor, r0.caseId, {}, async (tx, c) => {
    const [r] = await tx.select().from(referrals).where(eq(referrals.id, referralId)).for('update').limit(1);
    if (!r) throw new FieldRefusal({ field: '', message: 'That referral no longer exists.' });
    if (r.outcome === outcome && isFinalOutcome(outcome)) return { referral: r, changed: false, caseReference: c.reference };
    const waiting = outcome === 'waiting';
    const [u] = await tx
      .update(referrals)
      .set({
        outcome,
        outcomeAt: now.toJSDate(),
        outcomeBy: actor.id,
        updatedAt: now.toJSDate(),
        ...(waiting
          ? { followUpVersion: sql`${referrals.followUpVersion} + 1`, followUpAt: now.plus({ days: deps.config.REFERRAL_FOLLOWUP_DAYS }).toJSDate() }
          : {}),
      })
      .where(eq(referrals.id, r.id))
      .returning();
    if (waiting) rows = await planDeliveries(tx, followUp(deps, u!, c.assignedWorkerId, now), now);
    await deps.audit.record(
      { actor: { type: 'staff', id: actor.id }, action: 'referral.outcome', caseId: c.id, subjectType: 'referral', subjectId: r.id, details: { outcome } },
      tx,
    );
    return { referral: u!, changed: true, caseReference: c.reference };
  });
  await scheduleAfterCommit(deps, rows);
  return res;
}
