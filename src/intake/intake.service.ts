import { inTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { scheduleAfterCommit, type DeliveryRow } from '../delivery/ledger.js';
import { submitCase, type SubmitEffect } from './intake-submit.js';
import type { Later } from '../db/after-commit.js';
import { crisisPhrases, recordCrisis, type CrisisRecord } from '../clients/crisis.service.js';
import { urgentDeps } from '../db/urgent.js';
import { allocateReference } from '../cases/case-reference.js';
import { saveClientMessage } from '../clients/client-messages.service.js';
import { findClientByTelegramUser, findOpenCase } from '../clients/clients.repo.js';
import { recordConsentDeclined } from '../clients/clients.repo.js';
import {
  AGREEMENT_VERSION,
  DEFAULT_LIMITS,
  applyInput,
  askFor,
  startIntake as startState,
  type IntakeContext,
  type IntakeEffect,
  type IntakeInput,
  type IntakeState,
  type Limits,
} from './intake.domain.js';
import { deleteSession, deleteSessionIfUnchanged, insertSessionIfAbsent, loadSession, saveDraft, saveSessionIfUnchanged, type Session } from './intake.repo.js';

/**
 * Runs the pure step machine against the stored session, in one transaction
 * per input: lock the session row, apply, persist, act on the effects
 * (refusal, case creation). Jobs go out after commit; replies are rendered by
 * the caller from the returned state and effects.
 */
export interface Who {
  telegramUserId: number;
  chatId: number;
  languageCode?: string | undefined;
}

export interface IntakeStepResult {
  state: IntakeState;
  effects: IntakeEffect[];
  submitted?: { caseId: string; reference: string; name: string };
  crisis?: CrisisRecord;
}

/** Per config (it never changes in a process): phrases and limits are not rebuilt for every answer. */
const contextCache = new WeakMap<Deps['config'], Omit<IntakeContext, 'now'>>();

function intakeContext(deps: Deps): IntakeContext {
  let fixed = contextCache.get(deps.config);
  if (!fixed) {
    const max = deps.config.INTAKE_FIELD_MAX_CHARS;
    // One configured ceiling for the long answers; the short fields keep their own smaller limits.
    const limits: Partial<Limits> = { story: max, change: max, support: max, strengths: max };
    for (const k of Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>) limits[k] = Math.min(limits[k] ?? DEFAULT_LIMITS[k], max);
    fixed = {
      crisisPhrases: crisisPhrases(deps.config),
      defaultTimeZone: deps.config.DEFAULT_TIMEZONE,
      limits,
      gatherSeconds: deps.config.INTAKE_GATHER_SECONDS,
    };
    contextCache.set(deps.config, fixed);
  }
  return { ...fixed, now: deps.clock.now() };
}

export async function findSession(deps: Deps, telegramUserId: number): Promise<Session | null> {
  return loadSession(deps.db, deps.cipher, telegramUserId);
}

/**
 * /start: a new draft (language question), or the current question of the existing one.
 * `snapshot`: the draft as read earlier in this update; asking its question again writes nothing, so no lock is needed.
 */
export async function startOrResume(deps: Deps, who: Who, opts: { snapshot?: Session | null; linkCaseId?: string } = {}): Promise<IntakeStepResult> {
  const now = deps.clock.now();
  if (opts.snapshot) return { state: opts.snapshot.state, effects: [askFor(opts.snapshot.state.step)] };
  return inTransaction(deps.db, async (tx) => {
    if (opts.snapshot === null && !opts.linkCaseId) {
      // There was no draft a moment ago: create it, unless one appeared since (then resume that one below).
      const started = startState({ languageCode: who.languageCode ?? null, defaultTimeZone: deps.config.DEFAULT_TIMEZONE, now });
      if (
        await insertSessionIfAbsent(
          tx,
          deps.cipher,
          { telegramUserId: who.telegramUserId, chatId: who.chatId, state: started.state },
          now,
          deps.config.INTAKE_DRAFT_TTL_DAYS,
        )
      ) {
        await deps.audit.record({ actor: { type: 'system' }, action: 'intake.started' }, tx);
        return started;
      }
    }
    const session = await loadSession(tx, deps.cipher, who.telegramUserId, { forUpdate: true });
    if (session) return { state: session.state, effects: [askFor(session.state.step)] };
    const started = startState({ languageCode: who.languageCode ?? null, defaultTimeZone: deps.config.DEFAULT_TIMEZONE, now });
    // linkCaseId: a case the crisis path opened before any intake; submitting completes it (with the client's consent).
    await saveDraft(deps, tx, who, started.state, opts.linkCaseId, now);
    await deps.audit.record({ actor: { type: 'system' }, action: 'intake.started' }, tx);
    return started;
  });
}

/**
 * Apply one input to the stored draft. Returns null when there is no draft.
 * `crisisHandled`: the crisis middleware already replied and recorded the crisis for this message.
 * `snapshot`: the draft as read earlier in this update (null: there was none). An
 * ordinary answer is then saved by one conditional update; if anything wrote the
 * draft in between, or the answer refuses or submits, it goes the locking way.
 */
export async function applyIntakeInput(
  deps: Deps,
  later: Later,
  who: Who,
  input: IntakeInput,
  opts: { crisisHandled?: boolean; snapshot?: Session | null; updateId?: number; messageKey?: string } = {},
): Promise<IntakeStepResult | null> {
  const now = deps.clock.now();
  if (opts.snapshot === null) return null;
  let out: IntakeStepResult | null = null;
  let ends = false;
  let reference: string | undefined;
  let intakeCard: DeliveryRow[] = [];
  if (opts.snapshot) {
    const session = opts.snapshot;
    const res = applyInput(session.state, input, { ...intakeContext(deps), now });
    ends = res.effects.some((e) => e.type === 'agreement_declined' || e.type === 'submit');
    // Submitting into a new case: its reference first, in a statement of its own (NewCase.reference).
    if (!session.caseId && res.effects.some((e) => e.type === 'submit')) reference = await allocateReference(deps.db, now.toUTC().year);
    if (
      !ends &&
      (await saveSessionIfUnchanged(
        deps.db,
        deps.cipher,
        {
          telegramUserId: who.telegramUserId,
          chatId: who.chatId,
          state: res.state,
          caseId: session.caseId,
        },
        session.stateEnc,
        now,
        deps.config.INTAKE_DRAFT_TTL_DAYS,
      ))
    ) {
      out = res;
    }
  }
  out ??= await inTransaction(deps.db, async (tx): Promise<IntakeStepResult | null> => {
    // Refusing or submitting deletes the draft: deleting it first, if it is still the snapshot, is both the lock and the check.
    const draftDeleted = !!opts.snapshot && ends && (await deleteSessionIfUnchanged(tx, who.telegramUserId, opts.snapshot.stateEnc));
    const session = draftDeleted ? opts.snapshot! : await loadSession(tx, deps.cipher, who.telegramUserId, { forUpdate: true });
    if (!session) return null;
    const { state, effects } = applyInput(session.state, input, { ...intakeContext(deps), now });
    const declined = effects.find((e) => e.type === 'agreement_declined');
    const submit = effects.find((e): e is SubmitEffect => e.type === 'submit');
    if (declined) {
      // Keep nothing but the fact of the refusal: no client row, no draft.
      const consent = await recordConsentDeclined(tx, { version: AGREEMENT_VERSION, language: state.language, at: now });
      if (!draftDeleted) await deleteSession(tx, who.telegramUserId);
      await deps.audit.record({ actor: { type: 'system' }, action: 'consent.declined', subjectType: 'consent', subjectId: consent.id }, tx);
      return { state, effects };
    }
    if (submit) {
      const { submitted, card } = await submitCase(deps, tx, who, session, submit, draftDeleted, reference);
      intakeCard = card;
      return { state, effects, submitted };
    }
    await saveDraft(deps, tx, who, state, session.caseId, now);
    return { state, effects };
  });
  if (!out) return null;
  if (out.submitted) {
    const caseId = out.submitted.caseId;
    void scheduleAfterCommit(deps, intakeCard, later);
    // What the client wrote that was not an answer reaches the worker as their messages on the new case.
    for (const [i, note] of (out.state.notes ?? []).entries()) {
      await keepForWorker(deps, later, who, note, `intake-note:${caseId}:${i}`);
    }
  }
  // "No, I'm not safe" at the safety check (or a phrase the middleware did not see): record it now.
  const crisis = out.effects.find((e) => e.type === 'crisis');
  if (crisis && crisis.type === 'crisis' && !(crisis.source === 'phrase' && opts.crisisHandled) && !out.submitted) {
    out.crisis = await recordCrisis(urgentDeps(deps), later, {
      telegramUserId: who.telegramUserId,
      chatId: who.chatId,
      language: out.state.language,
      source: crisis.source,
      ...(crisis.source === 'phrase' && input.kind === 'text' ? { text: input.text, ...(opts.messageKey ? { messageKey: opts.messageKey } : {}) } : {}),
      ...(opts.updateId !== undefined ? { replyFor: { updateId: opts.updateId, handOverSeconds: deps.config.CRISIS_REPLY_HANDOVER_SECONDS } } : {}),
    });
  }
  // Written while the intake waits after a crisis: not an answer, but kept for the worker on the crisis case.
  const held = out.effects.find((e): e is Extract<IntakeEffect, { type: 'held_for_worker' }> => e.type === 'held_for_worker');
  if (held) await keepForWorker(deps, later, who, held.text, opts.messageKey);
  return out;
}

/** /cancel: abandon and delete the draft. */
export async function cancelIntake(deps: Deps, telegramUserId: number): Promise<boolean> {
  const deleted = await deleteSession(deps.db, telegramUserId);
  if (deleted) await deps.audit.record({ actor: { type: 'system' }, action: 'intake.cancelled' });
  return deleted;
}

/** A message written during the crisis pause goes to the open (crisis) case as a client message. */
async function keepForWorker(deps: Deps, later: Later, who: Who, text: string, messageKey: string | undefined): Promise<void> {
  const client = await findClientByTelegramUser(deps.db, who.telegramUserId);
  const open = client ? await findOpenCase(deps.db, client.id) : undefined;
  if (!client || !open) {
    deps.logger.warn({}, 'a message kept for the worker had no open case to go to');
    return;
  }
  await saveClientMessage(deps, later, { client, openCase: open, text, idempotencyKey: messageKey ?? `pause:${who.chatId}:${deps.clock.now().toMillis()}` });
}
