import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { inTransaction, type Db } from '../db/client.js';
import { cases } from '../db/schema.js';
import { claimInbound } from '../db/inbound-dedupe.js';
import { CASE_REFUSAL_WORDS } from './case-refusals.js';
import { canAccessCase, NO_CASE, recordAccessRefused } from './case-access.js';
import type { StaffRow } from '../staff/staff.repo.js';
import type { CaseRow } from './cases.repo.js';
import type { FieldError } from './case.domain.js';
import { scheduleAfterCommit, type DeliveryRow } from '../delivery/ledger.js';
import { planCardRefresh } from './case-card-refresh.js';

/**
 * One shape for every change a staff member makes to a case: lock the row,
 * check access again inside the transaction (the case may have been
 * reassigned since the modal opened), refuse closed cases, and take the
 * submission's idempotency key so a double click or a retry changes nothing
 * the second time.
 */
/**
 * A refused change: the words (a validation message from the service, or the
 * plain words of an access refusal) and, for access refusals, their code, so a
 * platform may word them its own way; `field` is the domain field it is about.
 */
type Refusal = { ok: false; message: string; field?: string; code?: 'unavailable' | 'closed' };
export type Mutation<R> = { ok: true; duplicate: false; value: R } | { ok: true; duplicate: true } | Refusal;

export class FieldRefusal extends Error {
  constructor(
    readonly error: FieldError,
    readonly code?: 'closed',
  ) {
    super(error.message);
  }
}

/**
 * Locks the case row (FOR UPDATE of cases) and may read more in the same
 * statement, e.g. the client and the assigned worker a booking plans with:
 * one round trip instead of several.
 */
export type CaseLoader<L, C extends LockedCase = CaseRow> = (tx: Db, caseId: string) => Promise<{ case: C; loaded: L } | undefined>;
/** What mutateCase itself needs of the case; a loader may read just this much (the full row carries the encrypted record). */
export type LockedCase = Pick<CaseRow, 'id' | 'clientId' | 'status' | 'assignedWorkerId'>;

const lockCaseOnly: CaseLoader<undefined> = async (tx, caseId) => {
  const [c] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update').limit(1);
  return c && { case: c, loaded: undefined };
};

export async function mutateCase<R, L = undefined, C extends LockedCase = CaseRow>(
  deps: Deps,
  actor: StaffRow,
  caseId: string,
  opts: { dedupeKey?: string | undefined; allowClosed?: boolean; load?: CaseLoader<L, C>; via?: string },
  fn: (tx: Db, c: C, loaded: L) => Promise<R>,
): Promise<Mutation<R>> {
  const now = deps.clock.now();
  const load = opts.load ?? (lockCaseOnly as unknown as CaseLoader<L, C>);
  let refresh: DeliveryRow[] = [];
  try {
    const out = await inTransaction(deps.db, async (tx) => {
      const locked = await load(tx, caseId);
      // A missing case and another's: the same checks, the same answer, both audited (see caseForActor).
      if (!(await canAccessCase(tx, actor, locked?.case ?? NO_CASE)) || !locked) {
        await recordAccessRefused(deps, actor, { attempted: caseId, caseId: locked?.case.id ?? null, via: opts.via ?? 'change' }, tx);
        return { ok: false as const, code: 'unavailable' as const, message: CASE_REFUSAL_WORDS.unavailable(), field: 'case' };
      }
      const c = locked.case;
      if (opts.dedupeKey && !(await claimInbound(tx, 'slack', opts.dedupeKey, now.toJSDate()))) return { ok: true as const, duplicate: true as const };
      // Thrown, not returned: the idempotency key taken above must roll back with it.
      if (c.status !== 'open' && !opts.allowClosed) throw new FieldRefusal({ field: '', message: CASE_REFUSAL_WORDS.closed }, 'closed');
      const value = await fn(tx, c, locked.loaded);
      // Every change shows at once on the worker's DM card and on the App Homes that list the case.
      refresh = await planCardRefresh(tx, c.id, now);
      return { ok: true as const, duplicate: false as const, value };
    });
    await scheduleAfterCommit(deps, refresh);
    return out;
  } catch (err) {
    // Rules that can only be checked inside the transaction throw a FieldRefusal; the transaction is rolled back.
    if (err instanceof FieldRefusal)
      return { ok: false, ...(err.code ? { code: err.code } : {}), message: err.error.message, ...(err.error.field ? { field: err.error.field } : {}) };
    throw err;
  }
}
