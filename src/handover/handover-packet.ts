import { and, desc, eq, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { cases, escalations, handoverCases, handovers, notes } from '../db/schema.js';
import { loadCaseCard, type CaseCard } from '../cases/case-card.js';
import { AAD } from '../cases/case-aad.js';
import { decryptForReader } from '../lib/crypto.js';
import { clientNotTold } from './handover-notice.kind.js';

/**
 * What the covering worker needs to pick a case up, for one moved case: the
 * case card (the four elements, the next appointment), the last three notes
 * decrypted for them (they now hold the case), the open escalations, and
 * whether the client will hear of the change from the service or from them.
 */
export interface HandoverPacket {
  handoverId: string;
  fromStaffId: string;
  untilOn: string | null;
  card: CaseCard;
  notes: Array<{ kind: string; direction: string | null; at: DateTime; text: string }>;
  escalations: Array<{ reason: string; level: number; openedAt: DateTime; acknowledged: boolean }>;
  clientNotTold: 'crisis_open' | 'intake_paused' | null;
}

const PACKET_NOTES = 3;

export async function loadHandoverPacket(deps: Pick<Deps, 'db' | 'cipher' | 'clock'>, handoverCaseId: string): Promise<HandoverPacket | { skip: string }> {
  const [hit] = await deps.db
    .select({ hc: handoverCases, h: handovers, c: cases })
    .from(handoverCases)
    .innerJoin(handovers, eq(handovers.id, handoverCases.handoverId))
    .innerJoin(cases, eq(cases.id, handoverCases.caseId))
    .where(eq(handoverCases.id, handoverCaseId))
    .limit(1);
  if (!hit) return { skip: 'handover_not_found' };
  if (hit.c.status !== 'open') return { skip: 'case_not_open' };
  if (hit.c.assignedWorkerId !== hit.h.toStaffId || hit.hc.returnedAt) return { skip: 'superseded' };
  const card = await loadCaseCard(deps, hit.c.id);
  if (!card) return { skip: 'case_not_found' };
  const last = await deps.db
    .select()
    .from(notes)
    .where(and(eq(notes.caseId, hit.c.id)))
    .orderBy(desc(notes.contactAt), desc(notes.createdAt))
    .limit(PACKET_NOTES);
  const open = await deps.db
    .select()
    .from(escalations)
    .where(and(eq(escalations.caseId, hit.c.id), isNull(escalations.resolvedAt)))
    .orderBy(escalations.openedAt);
  const dt = (d: Date) => DateTime.fromJSDate(d, { zone: 'utc' });
  return {
    handoverId: hit.h.id,
    fromStaffId: hit.h.fromStaffId,
    untilOn: hit.h.untilOn,
    card,
    notes: last.map((n) => ({ kind: n.kind, direction: n.direction, at: dt(n.contactAt), text: decryptForReader(deps.cipher, n.bodyEnc, AAD.noteBody) })),
    escalations: open.map((e) => ({ reason: e.reason, level: e.level, openedAt: dt(e.openedAt), acknowledged: !!e.acknowledgedAt })),
    clientNotTold: await clientNotTold(deps, hit.c),
  };
}
