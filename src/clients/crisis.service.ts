import { eq, sql } from 'drizzle-orm';
import { allocateReference } from '../cases/case-reference.js';
import { inTransaction } from '../db/client.js';
import { cases, escalations, notes } from '../db/schema.js';
import { scheduleAfterCommit, planDeliveries, type PlannedDelivery } from '../delivery/ledger.js';
import { CLIENT_REPLY_KIND } from './client-messages.service.js';
import { CRISIS_REPLY_KIND } from './crisis-reply.kind.js';
import type { Deps } from '../deps.js';
import { insertCase } from '../cases/cases.repo.js';
import { openEscalation } from '../escalations/escalations.repo.js';
import { planIntakeCard } from '../intake/intake-card.js';
import { DEFAULT_CRISIS_PHRASES, type CrisisPhrases } from '../intake/crisis.domain.js';
import { isTerminal, type Language } from '../intake/intake.domain.js';
import { loadSession, saveDraft, sealCaseIntake } from '../intake/intake.repo.js';
import type { Later } from '../db/after-commit.js';
import { pageCrisisNow } from '../escalations/page-now.js';
import { ensureClient, findClientByTelegramUser, findOpenCase, hasConsent, NOTE_BODY_AAD, recordConsentGiven } from './clients.repo.js';

/**
 * The crisis path, in PostgreSQL only: flag the open case (or open one with
 * what is known so far) and open a 'crisis' escalation due now, which the
 * escalation ladder turns into a page to the on-call supervisor. Nothing here
 * waits for Slack or Redis; a case opened here has its intake card planned in
 * the same transaction, and every planned row is scheduled after commit.
 */
const merged = new WeakMap<object, CrisisPhrases>();

/**
 * The built-in phrases plus the agency's own (CRISIS_PHRASES_EN / _ZH): config
 * only adds, so a configured list cannot drop the defaults (the built-in
 * patterns in crisis.domain always apply as well). One object per config, so
 * the detector's prepared-phrase cache holds.
 */
export function crisisPhrases(config: Deps['config']): CrisisPhrases {
  const extraEn = config.CRISIS_PHRASES_EN ?? [];
  const extraZh = config.CRISIS_PHRASES_ZH ?? [];
  if (extraEn.length === 0 && extraZh.length === 0) return DEFAULT_CRISIS_PHRASES;
  let out = merged.get(config);
  if (!out) {
    out = { en: [...DEFAULT_CRISIS_PHRASES.en, ...extraEn], zh: [...DEFAULT_CRISIS_PHRASES.zh, ...extraZh] };
    merged.set(config, out);
  }
  return out;
}

export interface CrisisSubject {
  telegramUserId: number;
  chatId: number;
  language: Language;
  source: 'phrase' | 'safety_check';
  /** What the client wrote: kept on the case as a crisis message (encrypted), never as an intake answer. */
  text?: string;
  /** Platform identity of that message, so a redelivered update keeps it once. */
  messageKey?: string;
  /**
   * The emergency reply was started in process for this update: plan its ledger row
   * (due a little later), so a restart before Telegram accepted it still sends it.
   */
  replyFor?: { updateId: number; handOverSeconds: number };
}

export interface CrisisRecord {
  caseId: string;
  reference: string;
  caseCreated: boolean;
  escalationId: string;
  /** The crisis_reply ledger row, when replyFor was given. */
  replyDelivery?: { id: string; dueAt: Date; status: string };
}

export async function recordCrisis(deps: Deps, later: Later, who: CrisisSubject): Promise<CrisisRecord> {
  const now = deps.clock.now();
  // Opening a case (nobody's open case for this person yet): its reference first, in a statement of its own, so
  // this transaction does not hold, or wait for, the year's counter row until commit (NewCase.reference).
  const known = await findClientByTelegramUser(deps.db, who.telegramUserId);
  const reference = known && (await findOpenCase(deps.db, known.id)) ? undefined : await allocateReference(deps.db, now.toUTC().year);
  const result = await inTransaction(deps.db, async (tx) => {
    const session = await loadSession(tx, deps.cipher, who.telegramUserId, { forUpdate: true });
    let client = await findClientByTelegramUser(tx, who.telegramUserId);
    let open = client ? await findOpenCase(tx, client.id, { forUpdate: true }) : undefined;
    let caseCreated = false;

    if (open) {
      await tx
        .update(cases)
        .set({ crisis: true, priority: 'crisis', version: sql`${cases.version} + 1`, updatedAt: now.toJSDate() })
        .where(eq(cases.id, open.id));
      await deps.audit.record(
        { actor: { type: 'client', id: client!.id }, action: 'case.crisis_flagged', caseId: open.id, details: { source: who.source } },
        tx,
      );
    } else {
      // Mid-intake (or before any intake): open a case with what is known, so the supervisor can act now.
      const state = session && !isTerminal(session.state) ? session.state : undefined;
      const a = state?.answers ?? {};
      const ensured = await ensureClient(
        tx,
        deps.cipher,
        {
          telegramUserId: who.telegramUserId,
          chatId: who.chatId,
          language: state?.language ?? who.language,
          timeZone: a.timezone ?? deps.config.DEFAULT_TIMEZONE,
          preferredName: a.name,
        },
        now,
      );
      client = ensured.client;
      if (ensured.created) {
        await deps.audit.record(
          { actor: { type: 'client', id: client.id }, action: 'client.created', subjectType: 'client', subjectId: client.id, details: { via: 'crisis' } },
          tx,
        );
      }
      if (state?.agreement && !(await hasConsent(tx, client.id, state.agreement))) {
        const consent = await recordConsentGiven(tx, client.id, state.agreement);
        await deps.audit.record({ actor: { type: 'client', id: client.id }, action: 'consent.given', subjectType: 'consent', subjectId: consent.id }, tx);
      }
      open = await insertCase(
        tx,
        {
          ...(reference ? { reference } : {}),
          clientId: client.id,
          category: a.category ?? 'other',
          priority: 'crisis',
          crisis: true,
          urgency: a.urgency ?? null,
          intakeEnc: sealCaseIntake(deps.cipher, {
            v: 1,
            answers: a,
            language: state?.language ?? who.language,
            complete: false,
            ...(state?.safety ? { safety: state.safety } : {}),
            ...(state?.agreement ? { agreement: state.agreement } : {}),
          }),
        },
        now,
      );
      caseCreated = true;
      await deps.audit.record(
        {
          actor: { type: 'client', id: client.id },
          action: 'case.opened_by_crisis',
          caseId: open.id,
          details: { source: who.source, intake_step: state?.step ?? null },
        },
        tx,
      );
      if (session && state) {
        // The intake carries on; submitting completes this case instead of opening a second one.
        await saveDraft(deps, tx, who, state, open.id, now);
      }
    }
    const clientId = client!.id;
    let noteId: string | undefined;
    const planned: PlannedDelivery[] = [];
    if (who.text) {
      const [note] = await tx
        .insert(notes)
        .values({
          caseId: open.id,
          kind: 'message',
          direction: 'from_client',
          bodyEnc: deps.cipher.encrypt(who.text, NOTE_BODY_AAD),
          contactAt: now.toJSDate(),
          idempotencyKey: who.messageKey ?? null,
          createdAt: now.toJSDate(),
        })
        .onConflictDoNothing({ target: notes.idempotencyKey })
        .returning({ id: notes.id });
      if (note) {
        noteId = note.id;
        await deps.audit.record(
          { actor: { type: 'client', id: clientId }, action: 'note.crisis_message', caseId: open.id, subjectType: 'note', subjectId: note.id },
          tx,
        );
        // The assigned worker sees the client's words in the case thread; an unassigned case's words stay out of channels.
        if (open.assignedWorkerId) {
          planned.push({
            kind: CLIENT_REPLY_KIND,
            subjectId: note.id,
            recipient: `staff:${open.assignedWorkerId}`,
            channel: 'slack',
            caseId: open.id,
            dueAt: now,
          });
        }
      }
    }
    const esc = await openEscalation(tx, { caseId: open.id, reason: 'crisis', nextAt: now }, now);
    if (!esc.created && esc.row.acknowledgedAt) {
      // A new crisis message after someone took the last one is a new alarm: paging starts again from the
      // first tier (the acknowledger keeps the case; their follow-up stays due).
      await tx
        .update(escalations)
        .set({
          acknowledgedAt: null,
          acknowledgedBy: null,
          lastNotifiedAt: null,
          level: 0,
          openedAt: now.toJSDate(),
          nextAt: now.toJSDate(),
          updatedAt: now.toJSDate(),
        })
        .where(eq(escalations.id, esc.row.id));
    }
    if (who.replyFor) {
      planned.push({
        kind: CRISIS_REPLY_KIND,
        subjectId: noteId ?? `${esc.row.id}:u${who.replyFor.updateId}`,
        recipient: `client:${clientId}`,
        channel: 'telegram',
        caseId: open.id,
        dueAt: now.plus({ seconds: who.replyFor.handOverSeconds }),
      });
    }
    const rows = await planDeliveries(tx, planned, now);
    await deps.audit.record(
      {
        actor: { type: 'system' },
        action: esc.created ? 'escalation.opened' : 'escalation.crisis_repeated',
        caseId: open.id,
        subjectType: 'escalation',
        subjectId: esc.row.id,
        details: { reason: 'crisis', source: who.source, reopened: !esc.created && !!esc.row.acknowledgedAt },
      },
      tx,
    );
    // A case opened here goes to the staff side like one from intake (src/intake/intake-card.ts).
    const handOff = caseCreated ? await planIntakeCard(deps, tx, open.id, now) : undefined;
    const reply = rows.find((r) => r.kind === CRISIS_REPLY_KIND);
    return {
      caseId: open.id,
      reference: open.reference,
      caseCreated,
      escalationId: esc.row.id,
      rows: handOff?.status === 'done' ? [...rows, ...handOff.rows] : rows,
      ...(reply ? { replyDelivery: { id: reply.id, dueAt: reply.dueAt, status: reply.status } } : {}),
    };
  });
  const { rows, ...record } = result;
  void scheduleAfterCommit(deps, rows, later);
  // Page the on-call supervisors now, from this process (escalations/page-now.ts), rather than at the next sweep;
  // in the background so nothing the client is waiting for waits on it. Redis down does not stop the page.
  void later('escalation.page', () => pageCrisisNow(deps, result.escalationId), { escalationId: result.escalationId });
  deps.logger.warn({ caseId: result.caseId, escalationId: result.escalationId, source: who.source }, 'crisis recorded');
  return record;
}
