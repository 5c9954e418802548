import { and, asc, eq, or } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { appointments, auditLog, cases, clients, consents, escalations, goals, noteRedactions, notes, staff } from '../db/schema.js';
import { decryptForReader, type FieldCipher } from '../lib/crypto.js';
import { openCaseIntake, type CaseIntakeRecord } from '../intake/intake.repo.js';
import { AAD } from './case-aad.js';
import { caseHeadline, type CaseHeadline } from './case-card.js';
import { caseReferrals } from '../referrals/referrals.service.js';

/**
 * Subject access: the whole record of one case, decrypted, as data (the
 * renderer turns it into Markdown and JSON). Access is checked by the caller;
 * building an export is itself audited (`case.exported`), as a view of
 * everything in it. Staff are named (they act for the agency); the audit
 * trail says who viewed or changed the case and when.
 */
export interface CaseExport {
  exportedAt: string;
  exportedBy: { id: string; name: string };
  case: CaseHeadline & {
    openedAt: string;
    closedAt: string | null;
    closureReason: string | null;
    worker: string | null;
  };
  client: { erased: boolean; name: string | null; language: string; timeZone: string; remindersOff: boolean };
  intake: CaseIntakeRecord | null;
  plan: string | null;
  selfHelpFocus: string | null;
  goals: Array<{ description: string; assessment: string | null; targetDate: string | null; status: string; outcome: string | null }>;
  evaluation: string | null;
  notes: Array<{
    kind: string;
    direction: string | null;
    contactAt: string;
    author: string | null;
    text: string;
    redacted: { at: string; by: string | null; reason: string } | null;
  }>;
  appointments: Array<{ startsAt: string; durationMin: number; mode: string; location: string | null; status: string; clientResponse: string | null }>;
  consents: Array<{ version: string; language: string; givenAt: string | null; revokedAt: string | null }>;
  escalations: Array<{ reason: string; level: number; openedAt: string; acknowledgedAt: string | null; resolvedAt: string | null }>;
  referrals: Array<{
    resource: string;
    madeAt: string;
    reason: string;
    shareDetails: boolean;
    consentState: string;
    outcome: string | null;
    outcomeAt: string | null;
    consent: { version: string; language: string; method: string; givenAt: string | null; declinedAt: string | null; verbalReason: string | null } | null;
  }>;
  trail: Array<{ at: string; actor: string; action: string }>;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function opener(cipher: FieldCipher) {
  return (enc: string | null | undefined, aad: string): string | null => (enc ? decryptForReader(cipher, enc, aad) : null);
}

export async function buildCaseExport(deps: Deps, caseId: string, requester: { id: string; displayName: string }): Promise<CaseExport | undefined> {
  const open = opener(deps.cipher);
  const [row] = await deps.db
    .select({ c: cases, client: clients })
    .from(cases)
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .where(eq(cases.id, caseId))
    .limit(1);
  if (!row) return undefined;
  const { c, client } = row;
  const names = new Map((await deps.db.select({ id: staff.id, name: staff.displayName }).from(staff)).map((s) => [s.id, s.name]));
  const noteRows = await deps.db
    .select({ n: notes, r: noteRedactions })
    .from(notes)
    .leftJoin(noteRedactions, eq(noteRedactions.noteId, notes.id))
    .where(eq(notes.caseId, c.id))
    .orderBy(asc(notes.contactAt), asc(notes.createdAt));
  const goalRows = await deps.db.select().from(goals).where(eq(goals.caseId, c.id)).orderBy(asc(goals.createdAt));
  const appts = await deps.db.select().from(appointments).where(eq(appointments.caseId, c.id)).orderBy(asc(appointments.startsAt));
  const cons = await deps.db.select().from(consents).where(eq(consents.clientId, client.id)).orderBy(asc(consents.createdAt));
  const escs = await deps.db.select().from(escalations).where(eq(escalations.caseId, c.id)).orderBy(asc(escalations.openedAt));
  const refs = await caseReferrals(deps, c.id);
  // Audited first, so the export lists itself among who looked at the record.
  await deps.audit.record({ actor: { type: 'staff', id: requester.id }, action: 'case.exported', caseId: c.id, details: { notes: noteRows.length } });
  const trail = await deps.db
    .select()
    .from(auditLog)
    .where(or(eq(auditLog.caseId, c.id), and(eq(auditLog.subjectType, 'client'), eq(auditLog.subjectId, client.id))))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  const actorName = (type: string, id: string | null) =>
    type === 'staff' ? (id && names.get(id)) || 'staff (removed)' : type === 'client' ? 'the client' : 'the system';
  const out: CaseExport = {
    exportedAt: deps.clock.now().toUTC().toISO()!,
    exportedBy: { id: requester.id, name: requester.displayName },
    case: {
      ...caseHeadline(c),
      openedAt: iso(c.openedAt)!,
      closedAt: iso(c.closedAt),
      closureReason: c.closureReason,
      worker: c.assignedWorkerId ? (names.get(c.assignedWorkerId) ?? null) : null,
    },
    client: {
      erased: !!client.erasedAt,
      name: client.erasedAt ? null : open(client.preferredNameEnc, AAD.preferredName),
      language: client.language,
      timeZone: client.timeZone,
      remindersOff: client.remindersOff,
    },
    intake: openCaseIntake(deps.cipher, c.intakeEnc),
    plan: open(c.planEnc, AAD.plan),
    selfHelpFocus: open(c.selfHelpFocusEnc, AAD.selfHelp),
    goals: goalRows.map((g) => ({
      description: open(g.descriptionEnc, AAD.goalDescription) ?? '',
      assessment: open(g.assessmentEnc, AAD.goalAssessment),
      targetDate: g.targetDate,
      status: g.status,
      outcome: open(g.outcomeEnc, AAD.goalOutcome),
    })),
    evaluation: open(c.evaluationEnc, AAD.evaluation),
    notes: noteRows.map(({ n, r }) => ({
      kind: n.kind,
      direction: n.direction,
      contactAt: iso(n.contactAt)!,
      author: n.authorStaffId ? (names.get(n.authorStaffId) ?? null) : null,
      text: r ? '' : (open(n.bodyEnc, AAD.noteBody) ?? ''),
      redacted: r
        ? { at: iso(r.redactedAt)!, by: r.redactedBy ? (names.get(r.redactedBy) ?? null) : null, reason: open(r.reasonEnc, 'note_redactions.reason') ?? '' }
        : null,
    })),
    appointments: appts.map((a) => ({
      startsAt: iso(a.startsAt)!,
      durationMin: a.durationMin,
      mode: a.mode,
      location: a.locationEnc ? deps.cipher.decrypt(a.locationEnc, AAD.appointmentLocation) : null,
      status: a.status,
      clientResponse: a.clientResponse,
    })),
    consents: cons.map((x) => ({ version: x.agreementVersion, language: x.language, givenAt: iso(x.givenAt), revokedAt: iso(x.revokedAt) })),
    escalations: escs.map((e) => ({
      reason: e.reason,
      level: e.level,
      openedAt: iso(e.openedAt)!,
      acknowledgedAt: iso(e.acknowledgedAt),
      resolvedAt: iso(e.resolvedAt),
    })),
    referrals: refs.map((r) => ({
      resource: r.resource,
      madeAt: iso(r.createdAt)!,
      reason: r.reason,
      shareDetails: r.shareDetails,
      consentState: r.consentState,
      outcome: r.outcome,
      outcomeAt: iso(r.outcomeAt),
      consent: r.consent ? { ...r.consent, givenAt: iso(r.consent.givenAt), declinedAt: iso(r.consent.declinedAt) } : null,
    })),
    trail: trail.map((t) => ({ at: iso(t.at)!, actor: actorName(t.actorType, t.actorId), action: t.action })),
  };
  return out;
}
