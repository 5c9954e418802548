import { and, desc, eq, gt, inArray, ne } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import type { Db } from '../db/client.js';
import { appointments, goals, notes } from '../db/schema.js';
import { decryptForReader, type FieldCipher } from '../lib/crypto.js';
import { firstName } from './message-to-client.kind.js';
import { AAD } from './case-aad.js';
import { findCaseWithPeople, type CaseRow } from './cases.repo.js';
import { ageText, type FourElements } from './case.domain.js';
import { elementsOfCase } from './four-elements.js';
import { followUpOverdue } from '../escalations/policy.domain.js';
import { caseIntake, intakeSummary } from './case-file.js';
import { caseReferrals, type CaseReferral } from '../referrals/referrals.service.js';

/** The case's headline, as the card and the subject-access export both show it. */
export interface CaseHeadline {
  reference: string;
  status: string;
  phase: string;
  type: string | null;
  priority: string;
  category: string;
  crisis: boolean;
}

export const caseHeadline = (c: CaseRow): CaseHeadline => ({
  reference: c.reference,
  status: c.status,
  phase: c.phase,
  type: c.type,
  priority: c.priority,
  category: c.category,
  crisis: c.crisis,
});

/**
 * Everything the case card shows, loaded and decrypted for someone already
 * allowed to see it (access is checked by the caller). Only the client's
 * first name leaves the client record.
 */
export interface CaseCard extends CaseHeadline {
  id: string;
  urgency: string | null;
  clientFirstName: string | null;
  /** The client's personal data was erased: staff see "erased" instead of a name. */
  clientErased: boolean;
  clientLanguage: string;
  worker: { id: string; slackUserId: string; displayName: string } | null;
  goals: Array<{ id: string; description: string; assessment: string | null; targetDate: string | null; status: string }>;
  plan: string | null;
  selfHelp: string | null;
  elements: FourElements;
  lastNote: { kind: string; at: DateTime; age: string; excerpt: string } | null;
  nextFollowUpAt: DateTime | null;
  followUpOverdue: boolean;
  nextAppointment: { id: string; startsAt: DateTime; durationMin: number; mode: string; version: number; clientResponse: string | null } | null;
  /** The client's own words at intake (the full answers open from the card's [Full intake]). */
  intake: ReturnType<typeof intakeSummary>;
  /** Referrals to other services (without their reasons: `/case C-… referrals` shows those). */
  referrals: Array<Omit<CaseReferral, 'reason' | 'consent'>>;
}

const open = (cipher: FieldCipher, enc: string | null, aad: string): string | null => (enc ? decryptForReader(cipher, enc, aad) : null);
const dt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: 'utc' }) : null);

export async function loadCaseCard(deps: Pick<Deps, 'db' | 'cipher' | 'clock'>, caseId: string, db: Db = deps.db): Promise<CaseCard | undefined> {
  const now = deps.clock.now();
  const row = await findCaseWithPeople(db, caseId);
  if (!row) return undefined;
  const { c, client, worker } = row;
  const goalRows = await db
    .select()
    .from(goals)
    .where(and(eq(goals.caseId, c.id), ne(goals.status, 'dropped')))
    .orderBy(goals.createdAt);
  const [last] = await db
    .select()
    .from(notes)
    .where(and(eq(notes.caseId, c.id), inArray(notes.kind, ['interview', 'phone', 'home_visit', 'collateral', 'supervision', 'message'])))
    .orderBy(desc(notes.createdAt))
    .limit(1);
  const [appt] = await db
    .select()
    .from(appointments)
    .where(and(eq(appointments.caseId, c.id), eq(appointments.status, 'scheduled'), gt(appointments.startsAt, now.toJSDate())))
    .orderBy(appointments.startsAt)
    .limit(1);
  const g = goalRows.map((x) => ({
    id: x.id,
    description: open(deps.cipher, x.descriptionEnc, AAD.goalDescription) ?? '',
    assessment: open(deps.cipher, x.assessmentEnc, AAD.goalAssessment),
    targetDate: x.targetDate,
    status: x.status,
  }));
  const plan = open(deps.cipher, c.planEnc, AAD.plan);
  const selfHelp = open(deps.cipher, c.selfHelpFocusEnc, AAD.selfHelp);
  const lastText = last ? (open(deps.cipher, last.bodyEnc, AAD.noteBody) ?? '') : '';
  const lastAt = dt(last?.createdAt ?? null);
  const name = client.erasedAt ? null : open(deps.cipher, client.preferredNameEnc, AAD.preferredName);
  return {
    id: c.id,
    ...caseHeadline(c),
    urgency: c.urgency,
    clientFirstName: name ? firstName(name) : null,
    clientErased: !!client.erasedAt,
    clientLanguage: client.language,
    worker: worker ? { id: worker.id, slackUserId: worker.slackUserId, displayName: worker.displayName } : null,
    goals: g,
    plan,
    selfHelp,
    elements: elementsOfCase(
      c,
      goalRows.map((x) => ({ status: x.status, hasAssessment: !!x.assessmentEnc })),
    ),
    lastNote:
      last && lastAt
        ? {
            kind: last.kind === 'message' ? `message ${last.direction === 'from_client' ? 'from' : 'to'} the client` : last.kind,
            at: lastAt,
            age: ageText(lastAt, now),
            excerpt: [...lastText].slice(0, 200).join(''),
          }
        : null,
    nextFollowUpAt: dt(c.nextFollowUpAt),
    followUpOverdue: followUpOverdue(
      { nextFollowUpAt: dt(c.nextFollowUpAt), lastNoteAt: dt(c.lastNoteAt), followUpSetAt: dt(c.followUpSetAt), status: c.status },
      now,
    ),
    intake: intakeSummary(caseIntake(deps, c.intakeEnc)),
    referrals: (await caseReferrals(deps, c.id, db, { text: false })).map(({ reason: _r, consent: _c, ...r }) => r),
    nextAppointment: appt
      ? {
          id: appt.id,
          startsAt: dt(appt.startsAt)!,
          durationMin: appt.durationMin,
          mode: appt.mode,
          version: appt.version,
          clientResponse: appt.clientResponse,
        }
      : null,
  };
}
