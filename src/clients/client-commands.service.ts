import { sharingReceiptsOf } from '../referrals/referrals.service.js';
import { eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { inTransaction } from '../db/client.js';
import { cases } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { scheduleAfterCommit, planDeliveries, type DeliveryRow, type Recipient } from '../delivery/ledger.js';
import { openErasureRequest } from './erasure-request.service.js';
import type { IntakeState, Language } from '../intake/intake.domain.js';
import { deleteSession, loadSession, openCaseIntake, type CaseIntakeRecord } from '../intake/intake.repo.js';
import type { Later } from '../db/after-commit.js';
import {
  casesOf,
  clientMessagesOf,
  consentsOf,
  findClientByTelegramUser,
  findOpenCase,
  nextAppointment,
  revokeConsents,
  staffDisplayName,
  updateClient,
  NOTE_BODY_AAD,
  PREFERRED_NAME_AAD,
  type CaseRow,
  type ConsentRow,
} from './clients.repo.js';
import { WITHDRAWAL_NOTICE_KIND } from './withdrawal-notice.js';

/**
 * The client's always-available commands, as data (the Telegram layer renders
 * them). Every look at a case is audited; every change is audited in its transaction.
 */
type StatusPhase = CaseRow['phase'] | 'withdrawn';

export type StatusResult =
  | { kind: 'none' }
  | { kind: 'draft' }
  | { kind: 'case'; reference: string; phase: StatusPhase; workerFirstName?: string; nextAppointment?: DateTime; timeZone: string };

/** The case a client most likely means: the open one, else the latest. */
function currentCase(list: CaseRow[]): CaseRow | undefined {
  return list.find((c) => c.status === 'open') ?? list[0];
}

export async function clientStatus(deps: Deps, telegramUserId: number): Promise<StatusResult> {
  if (await loadSession(deps.db, deps.cipher, telegramUserId)) return { kind: 'draft' };
  const client = await findClientByTelegramUser(deps.db, telegramUserId);
  if (!client) return { kind: 'none' };
  const c = currentCase(await casesOf(deps.db, client.id));
  if (!c) return { kind: 'none' };
  const phase: StatusPhase = c.status === 'withdrawn' ? 'withdrawn' : c.status === 'closed' ? 'closed' : c.phase;
  const worker = c.assignedWorkerId ? await staffDisplayName(deps.db, c.assignedWorkerId) : undefined;
  const appt = c.status === 'open' ? await nextAppointment(deps.db, c.id, deps.clock.now()) : undefined;
  await deps.audit.record({ actor: { type: 'client', id: client.id }, action: 'case.status_viewed_by_client', caseId: c.id });
  return {
    kind: 'case',
    reference: c.reference,
    phase,
    timeZone: client.timeZone,
    // Only the first name: enough to recognise the worker, no more.
    ...(worker ? { workerFirstName: worker.trim().split(/\s+/)[0]! } : {}),
    ...(appt ? { nextAppointment: DateTime.fromJSDate(appt.startsAt) } : {}),
  };
}

/**
 * A case the crisis path opened before the client had done the intake (their first message was a
 * crisis): the client can still consent and tell us the rest; submitting completes this case.
 */
export async function crisisCaseAwaitingIntake(deps: Deps, telegramUserId: number): Promise<string | null> {
  const client = await findClientByTelegramUser(deps.db, telegramUserId);
  const open = client ? await findOpenCase(deps.db, client.id) : undefined;
  if (!open?.crisis) return null;
  const record = openCaseIntake(deps.cipher, open.intakeEnc);
  return record && !record.complete ? open.id : null;
}

export interface MyData {
  client?: {
    name: string | null;
    language: Language;
    timeZone: string;
    remindersOff: boolean;
    erasureRequestedAt: Date | null;
  };
  consents: ConsentRow[];
  /** Consents to share details with a referral's organisation (a separate receipt each). */
  sharing: Array<{ resource: string; version: string; givenAt: Date | null; declinedAt: Date | null }>;
  cases: Array<{ reference: string; status: CaseRow['status']; phase: CaseRow['phase']; openedAt: Date; intake: CaseIntakeRecord | null }>;
  messages: Array<{ at: Date; text: string }>;
  draft: IntakeState | null;
}

export async function clientData(deps: Deps, telegramUserId: number): Promise<MyData> {
  const session = await loadSession(deps.db, deps.cipher, telegramUserId);
  const client = await findClientByTelegramUser(deps.db, telegramUserId);
  const out: MyData = { consents: [], sharing: [], cases: [], messages: [], draft: session?.state ?? null };
  if (!client) return out;
  const list = await casesOf(deps.db, client.id);
  out.client = {
    name: deps.cipher.open(client.preferredNameEnc, PREFERRED_NAME_AAD),
    language: client.language,
    timeZone: client.timeZone,
    remindersOff: client.remindersOff,
    erasureRequestedAt: client.erasureRequestedAt,
  };
  out.consents = await consentsOf(deps.db, client.id);
  out.sharing = await sharingReceiptsOf(deps.db, client.id);
  out.cases = list.map((c) => ({
    reference: c.reference,
    status: c.status,
    phase: c.phase,
    openedAt: c.openedAt,
    intake: openCaseIntake(deps.cipher, c.intakeEnc),
  }));
  out.messages = (
    await clientMessagesOf(
      deps.db,
      list.map((c) => c.id),
    )
  ).map((n) => ({ at: n.contactAt, text: deps.cipher.decrypt(n.bodyEnc, NOTE_BODY_AAD) }));
  await deps.audit.record({ actor: { type: 'client', id: client.id }, action: 'client.data_exported', subjectType: 'client', subjectId: client.id });
  for (const c of list)
    await deps.audit.record({ actor: { type: 'client', id: client.id }, action: 'case.viewed_by_client', caseId: c.id, details: { via: 'mydata' } });
  return out;
}

/**
 * /forget: the request is recorded and the unfinished draft deleted at once.
 * The erasure itself (and what the law requires to keep) is a separate, reviewed job.
 */
export async function requestErasure(deps: Deps, telegramUserId: number): Promise<{ hadClient: boolean }> {
  const now = deps.clock.now();
  const res = await inTransaction(deps.db, async (tx): Promise<{ hadClient: boolean; rows?: DeliveryRow[] }> => {
    await deleteSession(tx, telegramUserId);
    const client = await findClientByTelegramUser(tx, telegramUserId);
    if (!client) {
      await deps.audit.record({ actor: { type: 'system' }, action: 'client.erasure_requested', details: { had_client: false } }, tx);
      return { hadClient: false };
    }
    if (!client.erasureRequestedAt) await updateClient(tx, client.id, { erasureRequestedAt: now.toJSDate() }, now);
    await deps.audit.record({ actor: { type: 'client', id: client.id }, action: 'client.erasure_requested', subjectType: 'client', subjectId: client.id }, tx);
    // The request the case's supervisor decides on (src/clients/erasure-request.service.ts).
    const { rows } = await openErasureRequest(deps, tx, client.id, { type: 'client' }, now);
    return { hadClient: true, rows };
  });
  if (res.rows?.length) await scheduleAfterCommit(deps, res.rows);
  return { hadClient: res.hadClient };
}

/** /stop and /start: reminders off/on. Returns false when there is no client record (nothing to remind). */
export async function setReminders(deps: Deps, telegramUserId: number, off: boolean): Promise<{ found: boolean; changed: boolean }> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const client = await findClientByTelegramUser(tx, telegramUserId);
    if (!client) return { found: false, changed: false };
    if (client.remindersOff === off) return { found: true, changed: false };
    await updateClient(tx, client.id, { remindersOff: off }, now);
    await deps.audit.record(
      { actor: { type: 'client', id: client.id }, action: off ? 'client.reminders_off' : 'client.reminders_on', subjectType: 'client', subjectId: client.id },
      tx,
    );
    return { found: true, changed: true };
  });
}

export async function setClientLanguage(deps: Deps, telegramUserId: number, language: Language): Promise<boolean> {
  const now = deps.clock.now();
  const client = await findClientByTelegramUser(deps.db, telegramUserId);
  if (!client) return false;
  await updateClient(deps.db, client.id, { language }, now);
  await deps.audit.record({
    actor: { type: 'client', id: client.id },
    action: 'client.language_changed',
    subjectType: 'client',
    subjectId: client.id,
    details: { language },
  });
  return true;
}

export async function hasOpenCase(deps: Deps, telegramUserId: number): Promise<boolean> {
  const client = await findClientByTelegramUser(deps.db, telegramUserId);
  return !!client && !!(await findOpenCase(deps.db, client.id));
}

/** /withdraw (after the client confirmed): case withdrawn, consent ended, the worker told by a Slack DM. */
export async function withdrawCase(deps: Deps, later: Later, telegramUserId: number): Promise<{ reference: string } | null> {
  const now = deps.clock.now();
  const res = await inTransaction(deps.db, async (tx) => {
    const client = await findClientByTelegramUser(tx, telegramUserId);
    if (!client) return null;
    const open = await findOpenCase(tx, client.id, { forUpdate: true });
    if (!open) return null;
    await tx
      .update(cases)
      .set({
        status: 'withdrawn',
        closedAt: now.toJSDate(),
        closureReason: 'withdrawn_by_client',
        version: sql`${cases.version} + 1`,
        updatedAt: now.toJSDate(),
      })
      .where(eq(cases.id, open.id));
    await revokeConsents(tx, client.id, now);
    const recipient: Recipient = open.assignedWorkerId ? `staff:${open.assignedWorkerId}` : 'channel:intake';
    const rows = await planDeliveries(
      tx,
      [{ kind: WITHDRAWAL_NOTICE_KIND, subjectId: open.id, recipient, channel: 'slack', caseId: open.id, dueAt: now }],
      now,
    );
    await deps.audit.record({ actor: { type: 'client', id: client.id }, action: 'case.withdrawn_by_client', caseId: open.id }, tx);
    return { reference: open.reference, rows };
  });
  if (!res) return null;
  void scheduleAfterCommit(deps, res.rows, later);
  return { reference: res.reference };
}

/** /exit: the audit log says a quick exit happened and how much it deleted (nothing that names the client). */
export async function recordQuickExit(deps: Pick<Deps, 'audit'>, outcome: { deleted: number; complete: boolean }): Promise<void> {
  await deps.audit.record({ actor: { type: 'system' }, action: 'client.quick_exit', details: outcome });
}
