import { sql } from 'drizzle-orm';
import { inTransaction, type Db } from '../db/client.js';
import { rowsOf } from '../db/prepared.js';
import type { FieldCipher } from '../lib/crypto.js';

/**
 * Key rotation to completion: every encrypted value (an envelope
 * `v1.<keyId>.…` in any text column of any table — found from
 * information_schema, so a sealed column added later is not forgotten) that
 * is not under the current first key is opened and sealed again under it, in
 * batches, each row updated only if it still holds the value that was read
 * (a concurrent edit wins and is already under the new key). Rows are walked
 * by primary key, so a run stopped halfway resumes where it was: what is
 * already re-encrypted no longer matches. The AAD of a value is its place,
 * `<table>.<column without _enc>`, the convention every sealed column uses.
 */
const ENVELOPE_RE = '^v1\\.[A-Za-z0-9_-]{1,32}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$';

export interface SealedColumn {
  table: string;
  column: string;
  pk: string;
  aad: string;
}
export interface ColumnCount {
  column: string;
  byKey: Record<string, number>;
  stale: number;
}
export interface RotationProgress {
  column: string;
  done: number;
  total: number;
  failed: number;
}

const aadOf = (table: string, column: string) => `${table}.${column.replace(/_enc$/, '')}`;

/** Every text column of a table with a one-column primary key that holds at least one envelope. */
async function sealedColumns(db: Db): Promise<SealedColumn[]> {
  const cols = rowsOf(
    await db.execute(sql`
    select c.table_name, c.column_name, k.column_name as pk
    from information_schema.columns c
    join information_schema.table_constraints t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.constraint_type = 'PRIMARY KEY'
    join information_schema.key_column_usage k on k.constraint_name = t.constraint_name and k.table_schema = t.table_schema and k.table_name = t.table_name
    where c.table_schema = 'public' and c.data_type in ('text', 'character varying')
      and (select count(*) from information_schema.key_column_usage k2 where k2.constraint_name = t.constraint_name and k2.table_schema = t.table_schema) = 1
    order by c.table_name, c.column_name`),
  );
  const out: SealedColumn[] = [];
  for (const c of cols) {
    const table = String(c.table_name);
    const column = String(c.column_name);
    const [hit] = rowsOf(await db.execute(sql`select 1 as one from ${sql.identifier(table)} where ${sql.identifier(column)} ~ ${ENVELOPE_RE} limit 1`));
    if (hit || column.endsWith('_enc')) out.push({ table, column, pk: String(c.pk), aad: aadOf(table, column) });
  }
  return out;
}

/** Per column: how many values are sealed under each key, and how many are not under the active one. */
export async function countByKey(db: Db, cipher: FieldCipher, columns?: SealedColumn[]): Promise<ColumnCount[]> {
  const list = columns ?? (await sealedColumns(db));
  const out: ColumnCount[] = [];
  for (const c of list) {
    const rows = rowsOf(
      await db.execute(sql`select split_part(${sql.identifier(c.column)}, '.', 2) as kid, count(*)::int as n
      from ${sql.identifier(c.table)} where ${sql.identifier(c.column)} ~ ${ENVELOPE_RE} group by 1`),
    );
    const byKey = Object.fromEntries(rows.map((r) => [String(r.kid), Number(r.n)]));
    const stale = Object.entries(byKey)
      .filter(([k]) => k !== cipher.activeKeyId)
      .reduce((s, [, n]) => s + n, 0);
    out.push({ column: `${c.table}.${c.column}`, byKey, stale });
  }
  return out;
}

/**
 * Re-encrypt everything not under the active key. Returns per-column counts
 * still under old keys afterwards (0 everywhere unless a value could not be
 * opened: a missing old key or a value in the wrong place — those are
 * reported in `failed`, never overwritten).
 */
export async function rotateKeys(
  db: Db,
  cipher: FieldCipher,
  opts: { batchSize: number; onProgress?: (p: RotationProgress) => void },
): Promise<{ remaining: ColumnCount[]; rewritten: number; failed: Array<{ column: string; id: string; error: string }> }> {
  const columns = await sealedColumns(db);
  const failed: Array<{ column: string; id: string; error: string }> = [];
  let rewritten = 0;
  const before = await countByKey(db, cipher, columns);
  for (const c of columns) {
    const name = `${c.table}.${c.column}`;
    const total = before.find((b) => b.column === name)?.stale ?? 0;
    let done = 0;
    let last: string | null = null;
    opts.onProgress?.({ column: name, done, total, failed: 0 });
    if (total === 0) continue;
    for (;;) {
      const rows = rowsOf(
        await db.execute(sql`select ${sql.identifier(c.pk)}::text as id, ${sql.identifier(c.column)} as v from ${sql.identifier(c.table)}
        where ${sql.identifier(c.column)} ~ ${ENVELOPE_RE} and split_part(${sql.identifier(c.column)}, '.', 2) <> ${cipher.activeKeyId}
          ${last === null ? sql`` : sql`and ${sql.identifier(c.pk)}::text > ${last}`}
        order by ${sql.identifier(c.pk)}::text limit ${opts.batchSize}`),
      );
      if (rows.length === 0) break;
      await inTransaction(db, async (tx) => {
        for (const r of rows) {
          const id = String(r.id);
          const old = String(r.v);
          let fresh: string;
          try {
            fresh = cipher.encrypt(cipher.decrypt(old, c.aad), c.aad);
          } catch (err) {
            failed.push({ column: name, id, error: (err as Error).message });
            continue;
          }
          const res = await tx.execute(sql`update ${sql.identifier(c.table)} set ${sql.identifier(c.column)} = ${fresh}
            where ${sql.identifier(c.pk)}::text = ${id} and ${sql.identifier(c.column)} = ${old}`);
          const n = (res as { rowCount?: number; affectedRows?: number }).rowCount ?? (res as { affectedRows?: number }).affectedRows ?? 0;
          rewritten += n;
          done++;
        }
      });
      last = String(rows.at(-1)!.id);
      opts.onProgress?.({ column: name, done, total, failed: failed.filter((f) => f.column === name).length });
    }
  }
  return { remaining: await countByKey(db, cipher, columns), rewritten, failed };
}

/** A one-line text progress bar for a terminal. */
export function progressLine(p: RotationProgress, width = 30): string {
  const frac = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
  const fill = Math.round(frac * width);
  return `[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${String(Math.round(frac * 100)).padStart(3)}% ${p.column} ${p.done}/${p.total}${p.failed ? ` (${p.failed} could not be opened)` : ''}`;
}
