import { and, asc, eq, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import { cases, clients, referralConsents, referrals, resources } from '../db/schema.js';
import { planDeliveries, type DeliveryRow } from '../delivery/ledger.js';
import { clientUnreachable } from '../delivery/recipients.js';
import { FieldRefusal, mutateCase, scheduleAfterCommit, type Mutation } from '../cases/case-mutation.js';
import { planCardRefresh } from '../cases/case-card-refresh.js';
import { isLang } from '../lib/i18n.js';
import type { StaffRow } from '../staff/staff.repo.js';
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
export const REFERRAL_CONSENT_KIND = 'referral_consent';
export const REFERRAL_FOLLOWUP_KIND = 'referral_followup';
export const REFERRAL_CONSENT_ACTION = 'referral.consent';
export const AAD_REFERRAL_REASON = 'referrals.reason';
export const AAD_VERBAL_REASON = 'referral_consents.verbal_reason';

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
  const out = await deps.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [row] = await tx
      .select({ r: referrals, clientId: clients.id, chatId: clients.telegramChatId, language: clients.language, status: cases.status })
      .from(referrals)
      .innerJoin(cases, eq(cases.id, referrals.caseId))
      .innerJoin(clients, eq(clients.id, cases.clientId))
      .where(eq(referrals.id, input.referralId))
      .for('update', { of: referrals })
      .limit(1);
    if (!row || row.chatId !== input.telegramChatId || row.status !== 'open') return { a: { status: 'not_found' } as ConsentAnswer, rows: [] };
    if (row.r.consentState !== 'asked') return { a: { status: 'already', given: row.r.consentState === 'given' } as ConsentAnswer, rows: [] };
    await tx.insert(referralConsents).values({
      referralId: row.r.id,
      clientId: row.clientId,
      consentVersion: REFERRAL_CONSENT_VERSION,
      language: isLang(row.language) ? row.language : 'en',
      method: 'client_button',
      ...(input.yes ? { givenAt: now.toJSDate() } : { declinedAt: now.toJSDate() }),
      createdAt: now.toJSDate(),
    });
    await tx
      .update(referrals)
      .set({ consentState: input.yes ? 'given' : 'declined', updatedAt: now.toJSDate() })
      .where(eq(referrals.id, row.r.id));
    await deps.audit.record(
      {
        actor: { type: 'client', id: row.clientId },
        action: input.yes ? 'referral.consent_given' : 'referral.consent_declined',
        caseId: row.r.caseId,
        subjectType: 'referral',
        subjectId: row.r.id,
        details: { version: REFERRAL_CONSENT_VERSION },
      },
      tx,
    );
    return { a: { status: 'recorded', given: input.yes } as ConsentAnswer, rows: await planCardRefresh(tx, row.r.caseId, now) };
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

export interface CaseReferral {
  id: string;
  resource: string;
  createdAt: Date;
  reason: string;
  shareDetails: boolean;
  consentState: string;
  consent: { version: string; language: string; method: string; givenAt: Date | null; declinedAt: Date | null; verbalReason: string | null } | null;
  outcome: string | null;
  outcomeAt: Date | null;
}

/**
 * A case's referrals, oldest first (for someone already allowed to see the case). `text: false` (the
 * case card) leaves the reasons sealed: they are decrypted only where they are shown.
 */
export async function caseReferrals(
  deps: Pick<Deps, 'db' | 'cipher'>,
  caseId: string,
  db: Db = deps.db,
  opts: { text?: boolean } = {},
): Promise<CaseReferral[]> {
  const rows = await db
    .select({ r: referrals, name: resources.name, k: referralConsents })
    .from(referrals)
    .innerJoin(resources, eq(resources.id, referrals.resourceId))
    .leftJoin(referralConsents, eq(referralConsents.referralId, referrals.id))
    .where(eq(referrals.caseId, caseId))
    .orderBy(asc(referrals.createdAt));
  const open = (enc: string | null, aad: string) => {
    if (!enc || opts.text === false) return null;
    try {
      return deps.cipher.decrypt(enc, aad);
    } catch {
      return '(cannot be decrypted with the configured keys)';
    }
  };
  return rows.map(({ r, name, k }) => ({
    id: r.id,
    resource: name,
    createdAt: r.createdAt,
    reason: open(r.reasonEnc, AAD_REFERRAL_REASON) ?? '',
    shareDetails: r.shareDetails,
    consentState: r.consentState,
    consent: k
      ? {
          version: k.consentVersion,
          language: k.language,
          method: k.method,
          givenAt: k.givenAt,
          declinedAt: k.declinedAt,
          verbalReason: open(k.verbalReasonEnc, AAD_VERBAL_REASON),
        }
      : null,
    outcome: r.outcome,
    outcomeAt: r.outcomeAt,
  }));
}

/** The client's own sharing receipts, for /mydata: to whom, which agreement version, given or declined and when. */
export async function sharingReceiptsOf(
  db: Db,
  clientId: string,
): Promise<Array<{ resource: string; version: string; givenAt: Date | null; declinedAt: Date | null }>> {
  return db
    .select({ resource: resources.name, version: referralConsents.consentVersion, givenAt: referralConsents.givenAt, declinedAt: referralConsents.declinedAt })
    .from(referralConsents)
    .innerJoin(referrals, eq(referrals.id, referralConsents.referralId))
    .innerJoin(resources, eq(resources.id, referrals.resourceId))
    .where(eq(referralConsents.clientId, clientId))
    .orderBy(asc(referralConsents.createdAt));
}
