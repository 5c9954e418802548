import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cases } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { insertCase } from '../cases/cases.repo.js';
import { openEscalation } from '../escalations/escalations.repo.js';
import { caseCreatedJob } from '../jobs/case-created.job.js';
import { DEFAULT_CRISIS_PHRASES, type CrisisPhrases } from '../intake/crisis.domain.js';
import { isTerminal, type Language } from '../intake/intake.domain.js';
import { loadSession, saveSession, sealCaseIntake } from '../intake/intake.repo.js';
import type { Later } from './after-commit.js';
import { requestEscalationSweep } from '../escalations/escalation-sweep.service.js';
import { ensureClient, findClientByTelegramUser, findOpenCase, hasConsent, recordConsentGiven } from './clients.repo.js';

/**
 * The crisis path, in PostgreSQL only: flag the open case (or open one with
 * what is known so far) and open a 'crisis' escalation due now, which the
 * escalation ladder turns into a page to the on-call supervisor. Nothing here
 * waits for Slack or Redis; the case.created job is queued after commit.
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
}

export interface CrisisRecord {
  caseId: string;
  reference: string;
  caseCreated: boolean;
  escalationId: string;
}

export async function recordCrisis(deps: Deps, later: Later, who: CrisisSubject): Promise<CrisisRecord> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (t) => {
    const tx = t as Db;
    const session = await loadSession(tx, deps.cipher, who.telegramUserId, { forUpdate: true });
    let client = await findClientByTelegramUser(tx, who.telegramUserId);
    let open = client ? await findOpenCase(tx, client.id, { forUpdate: true }) : undefined;
    let caseCreated = false;

    if (open) {
      await tx.update(cases)
        .set({ crisis: true, priority: 'crisis', version: sql`${cases.version} + 1`, updatedAt: now.toJSDate() })
        .where(eq(cases.id, open.id));
      await deps.audit.record({ actor: { type: 'client', id: client!.id }, action: 'case.crisis_flagged', caseId: open.id, details: { source: who.source } }, tx);
    } else {
      // Mid-intake (or before any intake): open a case with what is known, so the supervisor can act now.
      const state = session && !isTerminal(session.state) ? session.state : undefined;
      const a = state?.answers ?? {};
      const ensured = await ensureClient(tx, deps.cipher, {
        telegramUserId: who.telegramUserId, chatId: who.chatId, language: state?.language ?? who.language,
        timeZone: a.timezone ?? deps.config.DEFAULT_TIMEZONE, preferredName: a.name,
      }, now);
      client = ensured.client;
      if (ensured.created) {
        await deps.audit.record({ actor: { type: 'client', id: client.id }, action: 'client.created', subjectType: 'client', subjectId: client.id, details: { via: 'crisis' } }, tx);
      }
      if (state?.agreement && !(await hasConsent(tx, client.id, state.agreement))) {
        const consent = await recordConsentGiven(tx, client.id, state.agreement);
        await deps.audit.record({ actor: { type: 'client', id: client.id }, action: 'consent.given', subjectType: 'consent', subjectId: consent.id }, tx);
      }
      open = await insertCase(tx, {
        clientId: client.id,
        category: a.category ?? 'other',
        priority: 'crisis',
        crisis: true,
        urgency: a.urgency ?? null,
        intakeEnc: sealCaseIntake(deps.cipher, {
          v: 1, answers: a, language: state?.language ?? who.language, complete: false,
          ...(state?.safety ? { safety: state.safety } : {}), ...(state?.agreement ? { agreement: state.agreement } : {}),
        }),
      }, now);
      caseCreated = true;
      await deps.audit.record({ actor: { type: 'client', id: client.id }, action: 'case.opened_by_crisis', caseId: open.id, details: { source: who.source, intake_step: state?.step ?? null } }, tx);
      if (session && state) {
        // The intake carries on; submitting completes this case instead of opening a second one.
        await saveSession(tx, deps.cipher, { telegramUserId: who.telegramUserId, chatId: who.chatId, state, caseId: open.id }, now, deps.config.INTAKE_DRAFT_TTL_DAYS);
      }
    }
    const esc = await openEscalation(tx, { caseId: open.id, reason: 'crisis', nextAt: now }, now);
    await deps.audit.record({
      actor: { type: 'system' }, action: esc.created ? 'escalation.opened' : 'escalation.crisis_repeated', caseId: open.id,
      subjectType: 'escalation', subjectId: esc.row.id, details: { reason: 'crisis', source: who.source },
    }, tx);
    return { caseId: open.id, reference: open.reference, caseCreated, escalationId: esc.row.id };
  });
  if (result.caseCreated) later('case.created', () => deps.queues.add(caseCreatedJob, { caseId: result.caseId }));
  // Page the on-call supervisors now rather than at the next tick; in the background so the emergency reply never waits for Redis.
  later('escalation.sweep', () => requestEscalationSweep(deps));
  deps.logger.warn({ caseId: result.caseId, escalationId: result.escalationId, source: who.source }, 'crisis recorded');
  return result;
}
