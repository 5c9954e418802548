/**
 * A client with personal data in every place it can be (name, intake answers
 * and a draft, plan, goals, notes, relayed messages both ways, an escalation
 * snoozed and one resolved with a reason, a button token, /exit message ids
 * in Redis, an appointment ahead with its reminders planned), for the erasure,
 * retention and export tests. Returns the strings and ids that must vanish.
 */
import { and, eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { callbackTokens, clients, deliveries, escalations, goals, intakeSessions, notes, referralConsents, referrals, resources } from '../../src/db/schema.js';
import { makeAppointment, makeCase, makeClient, stamped } from '../helpers/factories.js';
import { sealCaseIntake } from '../../src/intake/intake.repo.js';
import { planAppointmentReminders } from '../../src/appointments/reminders.service.js';
import { sendDelivery } from '../../src/delivery/send.service.js';
import { trackedMessagesKey } from '../../src/clients/erasure-wipe.js';
import type { World } from './delivery-fixtures.js';
import { setCase } from '../helpers/factories.js';

export interface Seeded {
  clientId: string;
  caseId: string;
  reference: string;
  chatId: number;
  strings: string[];
  appointmentId: string;
}

export async function seedClient(w: World, chatId: number, tag: string, opts: { caseId?: string; clientId?: string } = {}): Promise<Seeded> {
  const { deps } = w;
  const c = deps.cipher;
  const now = deps.clock.now();
  const at = now.toJSDate();
  const name = `Meilin ${tag}weather`;
  const strings = [
    name,
    `landlord Zbigniew${tag} threatens eviction`,
    `keep the flat on Quill${tag} Road`,
    `sister Priyanka${tag} can help`,
    `plan: weekly calls with Meilin ${tag}`,
    `self-help: Meilin ${tag} budgets`,
    `goal: Meilin ${tag} keeps the tenancy`,
    `assessed by rent ${tag} paid`,
    `met ${tag}Meilin at the library`,
    `Zbigniew${tag} came again last night`,
    `call me ${tag}after six`,
    `waiting for ${tag}Meilin to call back`,
    `no follow-up: ${tag}Meilin moved away`,
    `draft story ${tag}Okonkwo`,
    `flat 3, ${tag}Larkspur Court`,
    `referral: ${tag}Meilin needs a tenancy lawyer`,
    `verbal: ${tag}Meilin agreed at the library`,
  ];
  let clientId = opts.clientId;
  if (!clientId) {
    tgUser(w, chatId);
    const row = await makeClient(deps.db, {
      telegramUserId: chatId,
      telegramChatId: chatId,
      language: 'en',
      timeZone: 'Asia/Shanghai',
      preferredNameEnc: c.encrypt(name, 'clients.preferred_name'),
      ...stamped(at),
    });
    clientId = row.id;
  } else {
    await deps.db
      .update(clients)
      .set({ preferredNameEnc: c.encrypt(name, 'clients.preferred_name'), timeZone: 'Asia/Shanghai' })
      .where(eq(clients.id, clientId));
  }
  const intakeEnc = sealCaseIntake(c, {
    v: 1,
    language: 'en',
    complete: true,
    answers: {
      name,
      category: 'housing',
      story: strings[1]!,
      change: strings[2]!,
      support: strings[3]!,
      strengths: 'cooking',
      urgency: 'this_week',
      availability: 'evenings',
      timezone: 'Asia/Shanghai',
    } as never,
  });
  const cs = await makeCase(deps.db, { clientId: clientId!, category: 'housing', priority: 'normal', intakeEnc }, now);
  await setCase(deps.db, cs.id, {
    assignedWorkerId: w.workerId,
    assignedAt: at,
    phase: 'implementation',
    planEnc: c.encrypt(strings[4]!, 'cases.plan'),
    selfHelpFocusEnc: c.encrypt(strings[5]!, 'cases.self_help_focus'),
  });
  await deps.db.insert(goals).values({
    caseId: cs.id,
    descriptionEnc: c.encrypt(strings[6]!, 'goals.description'),
    assessmentEnc: c.encrypt(strings[7]!, 'goals.assessment'),
    createdAt: at,
    updatedAt: at,
  });
  await deps.db.insert(notes).values([
    { caseId: cs.id, authorStaffId: w.workerId, kind: 'interview', bodyEnc: c.encrypt(strings[8]!, 'notes.body'), contactAt: at, createdAt: at },
    { caseId: cs.id, kind: 'message', direction: 'from_client', bodyEnc: c.encrypt(strings[9]!, 'notes.body'), contactAt: at, createdAt: at },
    {
      caseId: cs.id,
      authorStaffId: w.workerId,
      kind: 'message',
      direction: 'to_client',
      bodyEnc: c.encrypt(strings[10]!, 'notes.body'),
      contactAt: at,
      createdAt: at,
    },
  ]);
  await deps.db.insert(escalations).values([
    {
      caseId: cs.id,
      reason: 'quiet_case',
      openedAt: at,
      snoozedUntil: now.plus({ days: 1 }).toJSDate(),
      snoozeReason: c.encrypt(strings[11]!, 'escalations.snooze_reason'),
      createdAt: at,
      updatedAt: at,
    },
    {
      caseId: cs.id,
      reason: 'follow_up_overdue',
      openedAt: at,
      resolvedAt: at,
      resolution: c.encrypt(strings[12]!, 'escalations.resolution'),
      createdAt: at,
      updatedAt: at,
    },
  ]);
  await deps.db
    .insert(intakeSessions)
    .values({
      telegramUserId: chatId,
      telegramChatId: chatId,
      step: 'story',
      language: 'en',
      stateEnc: c.encrypt(JSON.stringify({ story: strings[13] }), 'intake_sessions.state'),
      lastActivityAt: at,
      expiresAt: now.plus({ days: 7 }).toJSDate(),
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing();
  await deps.db
    .insert(callbackTokens)
    .values({ token: `tok${chatId}${tag}`, chatId, action: { type: 'forget', yes: true }, expiresAt: now.plus({ days: 1 }).toJSDate() });
  await deps.redis.lpush(trackedMessagesKey(deps.config.QUEUE_PREFIX, chatId), '11', '12');
  const appt = await makeAppointment(deps.db, {
    caseId: cs.id,
    workerId: w.workerId,
    startsAt: now.plus({ days: 5 }).toJSDate(),
    durationMin: 60,
    mode: 'in_person',
    locationEnc: c.encrypt(strings[14]!, 'appointments.location'),
    ...stamped(at),
  });
  await planAppointmentReminders(deps, appt.id);
  // A referral with its reason and a verbal consent's reason (issue 17): sensitive free text like the rest.
  const [res] = await deps.db
    .insert(resources)
    .values({ name: `Tenancy Advice ${tag}`, categories: ['housing'], languages: ['en'], phone: '+44 20 0000 0000', createdAt: at, updatedAt: at })
    .returning();
  const [ref] = await deps.db
    .insert(referrals)
    .values({
      caseId: cs.id,
      resourceId: res!.id,
      referredBy: w.workerId,
      reasonEnc: c.encrypt(strings[15]!, 'referrals.reason'),
      shareDetails: true,
      consentState: 'given',
      followUpAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await deps.db.insert(referralConsents).values({
    referralId: ref!.id,
    clientId: clientId!,
    consentVersion: '2026-11-r1',
    language: 'en',
    method: 'verbal',
    givenAt: at,
    recordedBy: w.workerId,
    verbalReasonEnc: c.encrypt(strings[16]!, 'referral_consents.verbal_reason'),
  });
  return { clientId: clientId!, caseId: cs.id, reference: cs.reference, chatId, strings, appointmentId: appt!.id };
}

function tgUser(w: World, chatId: number): void {
  try {
    w.tg.addUser({ id: chatId, first_name: 'Client' });
  } catch {
    /* already there */
  }
}

/** Send every due pending row, in order, as the delivery worker would. */
export async function sendDue(w: World): Promise<Array<{ kind: string; recipient: string; outcome: string }>> {
  const rows = await w.deps.db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.status, 'pending'), sql`coalesce(${deliveries.notBefore}, ${deliveries.dueAt}) <= ${w.deps.clock.now().toJSDate()}`))
    .orderBy(deliveries.dueAt, deliveries.id);
  const out = [];
  for (const r of rows) {
    const res = await sendDelivery(w.deps, r.id, { finalAttempt: true });
    out.push({ kind: r.kind, recipient: r.recipient, outcome: res.kind === 'sent' ? 'sent' : `${res.kind}:${'reason' in res ? res.reason : ''}` });
  }
  return out;
}

export const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
