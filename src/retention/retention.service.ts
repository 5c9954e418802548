import { and, eq, inArray, isNull, lt, notExists, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import { inTransaction, type Db } from '../db/client.js';
import { rowsOf } from '../db/prepared.js';
import { caseAnonymisations, cases, clients } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { anonymiseCases, wipeClientIdentity } from '../clients/erasure-wipe.js';

/**
 * Retention: what is past its period goes, every day, in batches of
 * RETENTION_BATCH_SIZE (one transaction each, so a long backlog never holds
 * locks for long and a crash loses at most one batch of progress).
 *   - closed cases, RETENTION_CLOSED_YEARS after closing, and withdrawn ones
 *     after RETENTION_WITHDRAWN_YEARS: personal content anonymised as in an
 *     erasure (reference, dates, category and history stay); a client none of
 *     whose cases keeps content any more loses name and Telegram ids too;
 *   - refused service agreements (only the fact was kept): deleted;
 *   - finished delivery ledger rows, inbound de-duplication keys (Telegram
 *     update ids, Slack event ids, modal submissions) and expired button tokens: deleted.
 * The audit log is kept (it holds no personal data). Every category is logged
 * and audited with its count; a dry run counts and changes nothing.
 */
interface RetentionCategory {
  name: string;
  cutoff: string;
  count: number;
}
export interface RetentionReport {
  dryRun: boolean;
  categories: RetentionCategory[];
  totals: Record<string, number>;
}

interface Rule {
  name: string;
  cutoff(now: DateTime, c: Deps['config']): DateTime;
  /** Rows past the cutoff, at most `limit`; ids only. */
  find(db: Db, cutoff: DateTime, limit: number): Promise<string[]>;
  apply(deps: Deps, tx: Db, ids: string[], now: DateTime): Promise<void>;
}

const iso = (d: DateTime) => d.toUTC().toISO()!;

/** Rows of a table past a cutoff, by ctid (tables without a single-column key are handled the same way). */
function ctidRule(name: string, table: string, where: (cutoff: string) => ReturnType<typeof sql>, cutoff: Rule['cutoff']): Rule {
  return {
    name,
    cutoff,
    async find(db, c, limit) {
      const r = await db.execute(sql`select ctid::text as id from ${sql.identifier(table)} where ${where(iso(c))} limit ${limit}`);
      return rowsOf(r).map((x) => String(x.id));
    },
    async apply(_deps, tx, ids) {
      await tx.execute(sql`delete from ${sql.identifier(table)} where ctid = any(${sql.param(ids)}::tid[])`);
    },
  };
}

function caseRule(name: string, status: 'closed' | 'withdrawn', years: (c: Deps['config']) => number, cause: 'retention_closed' | 'retention_withdrawn'): Rule {
  return {
    name,
    cutoff: (now, c) => now.minus({ years: years(c) }),
    async find(db, cutoff, limit) {
      const rows = await db
        .select({ id: cases.id })
        .from(cases)
        .where(
          and(
            eq(cases.status, status),
            lt(cases.closedAt, cutoff.toJSDate()),
            notExists(db.select({ one: sql`1` }).from(caseAnonymisations).where(eq(caseAnonymisations.caseId, cases.id))),
          ),
        )
        .orderBy(cases.closedAt)
        .limit(limit);
      return rows.map((r) => r.id);
    },
    async apply(deps, tx, ids, now) {
      await anonymiseCases(tx, deps.cipher, ids, now, cause);
      await deps.audit.recordMany(
        ids.map((caseId) => ({ actor: { type: 'system' as const }, action: 'case.anonymised', caseId, details: { cause } })),
        tx,
      );
      // Clients left with no case that keeps content: their identity goes too.
      const owners = await tx.selectDistinct({ id: cases.clientId }).from(cases).where(inArray(cases.id, ids));
      for (const { id } of owners) {
        const [left] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(cases)
          .where(and(eq(cases.clientId, id), notExists(tx.select({ one: sql`1` }).from(caseAnonymisations).where(eq(caseAnonymisations.caseId, cases.id)))));
        const [c] = await tx
          .select({ erasedAt: clients.erasedAt })
          .from(clients)
          .where(and(eq(clients.id, id), isNull(clients.erasedAt)));
        if (c && left!.n === 0) {
          await wipeClientIdentity(tx, id, now, deps.config.DEFAULT_TIMEZONE);
          await deps.audit.record({ actor: { type: 'system' }, action: 'client.anonymised', subjectType: 'client', subjectId: id, details: { cause } }, tx);
        }
      }
    },
  };
}

const RULES: Rule[] = [
  caseRule('closed_cases', 'closed', (c) => c.RETENTION_CLOSED_YEARS, 'retention_closed'),
  caseRule('withdrawn_cases', 'withdrawn', (c) => c.RETENTION_WITHDRAWN_YEARS, 'retention_withdrawn'),
  ctidRule(
    'declined_consents',
    'consents',
    (c) => sql`client_id is null and declined_at < ${c}::timestamptz`,
    (now, c) => now.minus({ years: c.RETENTION_DECLINED_CONSENT_YEARS }),
  ),
  ctidRule(
    'ledger_rows',
    'deliveries',
    (c) => sql`status <> 'pending' and updated_at < ${c}::timestamptz`,
    (now, c) => now.minus({ days: c.RETENTION_LEDGER_DAYS }),
  ),
  ctidRule(
    'dedupe_keys',
    'inbound_dedupe',
    (c) => sql`received_at < ${c}::timestamptz`,
    (now, c) => now.minus({ days: c.RETENTION_DEDUPE_DAYS }),
  ),
  ctidRule(
    'expired_tokens',
    'callback_tokens',
    (c) => sql`expires_at < ${c}::timestamptz`,
    (now, c) => now.minus({ days: c.RETENTION_TOKEN_DAYS }),
  ),
];

/** Count what is past its period (dry run), or apply the rules batch by batch until nothing is left. */
export async function applyRetention(deps: Deps, opts: { dryRun: boolean }): Promise<RetentionReport> {
  const now = deps.clock.now();
  const size = deps.config.RETENTION_BATCH_SIZE;
  const categories: RetentionCategory[] = [];
  for (const rule of RULES) {
    const cutoff = rule.cutoff(now, deps.config);
    let count = 0;
    if (opts.dryRun) {
      // Counting in pages of the same finder: exactly the rows a real run would take.
      count = (await rule.find(deps.db, cutoff, 1_000_000_000)).length;
    } else {
      for (;;) {
        const n = await inTransaction(deps.db, async (tx) => {
          const ids = await rule.find(tx, cutoff, size);
          if (ids.length) await rule.apply(deps, tx, ids, now);
          return ids.length;
        });
        count += n;
        if (n < size) break;
      }
      if (count > 0) {
        await deps.audit.record({ actor: { type: 'system' }, action: 'retention.applied', details: { category: rule.name, count, cutoff: iso(cutoff) } });
      }
    }
    deps.logger.info(
      { category: rule.name, count, cutoff: iso(cutoff), dryRun: opts.dryRun },
      opts.dryRun ? 'retention (dry run): would remove' : 'retention applied',
    );
    categories.push({ name: rule.name, cutoff: iso(cutoff), count });
  }
  return { dryRun: opts.dryRun, categories, totals: Object.fromEntries(categories.map((c) => [c.name, c.count])) };
}
