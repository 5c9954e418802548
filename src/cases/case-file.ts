import { and, count, desc, eq, ne } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { notes, staff } from '../db/schema.js';
import { openCaseIntake, type CaseIntakeRecord } from '../intake/intake.repo.js';
import { AAD } from './case-aad.js';
import { decryptForReader } from '../lib/crypto.js';

/**
 * The case file beyond the card: every intake answer, and the history of
 * notes and client messages. Decrypted on demand for someone the caller has
 * already allowed to see the case; the caller audits each view. Returns
 * domain field names and codes: the platform side turns them into words.
 */
const INTAKE_FIELDS = [
  'name',
  'category',
  'story',
  'change',
  'support',
  'strengths',
  'urgency',
  'availability',
  'timezone',
  'language',
  'safety',
  'agreement',
] as const;
export type IntakeField = (typeof INTAKE_FIELDS)[number];

/** One answer: `code` for a choice (category, urgency, slot…), `text` for the client's own words. */
export interface IntakeEntry {
  field: IntakeField;
  code?: string;
  text?: string;
}

export interface CaseIntakeView {
  complete: boolean;
  entries: IntakeEntry[];
}

/** Every answer the client gave, in the order they were asked; unanswered fields are left out. */
export function intakeEntries(record: CaseIntakeRecord): CaseIntakeView {
  const a = record.answers;
  const out: IntakeEntry[] = [];
  if (a.name) out.push({ field: 'name', text: a.name });
  if (a.category) out.push({ field: 'category', code: a.category });
  if (a.story) out.push({ field: 'story', text: a.story });
  if (a.change) out.push({ field: 'change', text: a.change });
  if (a.support) out.push(a.support.kind === 'text' ? { field: 'support', text: a.support.text } : { field: 'support', code: 'none' });
  if (a.strengths) out.push(a.strengths.kind === 'text' ? { field: 'strengths', text: a.strengths.text } : { field: 'strengths', code: 'skipped' });
  if (a.urgency) out.push({ field: 'urgency', code: a.urgency });
  if (a.availability)
    out.push(a.availability.kind === 'slot' ? { field: 'availability', code: a.availability.slot } : { field: 'availability', text: a.availability.text });
  if (a.timezone) out.push({ field: 'timezone', text: a.timezone });
  out.push({ field: 'language', code: record.language });
  if (record.safety) out.push({ field: 'safety', code: record.safety });
  if (record.agreement) out.push({ field: 'agreement', code: record.agreement.version, text: record.agreement.at });
  return { complete: record.complete, entries: out };
}

/** The case's intake, or null when it has none (or it cannot be decrypted with the configured keys). */
export function caseIntake(deps: Pick<Deps, 'cipher'>, intakeEnc: string | null): CaseIntakeView | null {
  const record = openCaseIntake(deps.cipher, intakeEnc);
  return record ? intakeEntries(record) : null;
}

/** A short excerpt for the case card: the problem in the client's words and what should change. */
export function intakeSummary(view: CaseIntakeView | null): { story: string | null; change: string | null; complete: boolean } | null {
  if (!view) return null;
  const get = (f: IntakeField) => view.entries.find((e) => e.field === f)?.text ?? null;
  return { story: get('story'), change: get('change'), complete: view.complete };
}

interface HistoryEntry {
  id: string;
  kind: string;
  direction: string | null;
  author: string | null;
  at: DateTime;
  text: string;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  page: number;
  pages: number;
  total: number;
}

const HISTORY_PAGE_SIZE = 10;

/** Notes and client messages, newest first, one page at a time (system notes are left out: they are not a contact). */
export async function caseHistory(deps: Pick<Deps, 'db' | 'cipher'>, caseId: string, page: number, size = HISTORY_PAGE_SIZE): Promise<HistoryPage> {
  const where = and(eq(notes.caseId, caseId), ne(notes.kind, 'system'));
  const [{ n } = { n: 0 }] = await deps.db.select({ n: count() }).from(notes).where(where);
  const pages = Math.max(1, Math.ceil(n / size));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const rows = await deps.db
    .select({ note: notes, author: staff.displayName })
    .from(notes)
    .leftJoin(staff, eq(staff.id, notes.authorStaffId))
    .where(where)
    .orderBy(desc(notes.contactAt), desc(notes.createdAt))
    .limit(size)
    .offset(p * size);
  const entries = rows.map(({ note, author }) => {
    const text = decryptForReader(deps.cipher, note.bodyEnc, AAD.noteBody);
    return { id: note.id, kind: note.kind, direction: note.direction, author, at: DateTime.fromJSDate(note.contactAt, { zone: 'utc' }), text };
  });
  return { entries, page: p, pages, total: n };
}
