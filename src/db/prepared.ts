import { getTableColumns, type Column, type SQL, type Table } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/**
 * Hot-path SQL helpers shared by every feature (delivery, intake, booking):
 * named prepared statements and mapping their raw rows back to drizzle's row
 * types. Works on node-postgres and PGlite (which ignores the name).
 */
const dialect = new PgDialect();

/**
 * Raw SQL as a named prepared statement: PostgreSQL parses and plans it once
 * per connection instead of on every call (planning was a fifth of the
 * server's CPU per booking). `name` must always go with the same SQL text.
 */
export async function executePrepared(tx: Db, name: string, query: SQL): Promise<Record<string, unknown>[]> {
  return rowsOf(await tx._.session.prepareQuery(dialect.sqlToQuery(query), undefined, namedStatements ? name : undefined, false).execute());
}

/**
 * DB_PREPARED_STATEMENTS=off: the same statements, unnamed. A pooler in transaction mode
 * (pgbouncer before 1.21) hands each transaction any server connection, so a statement
 * prepared by name on one is missing on the next ("prepared statement … does not exist").
 * Set once at start, for the whole process.
 */
let namedStatements = true;
export function usePreparedStatements(on: boolean): void {
  namedStatements = on;
}

/** Rows of a raw `execute` (node-postgres and PGlite both answer `{ rows }`). */
export function rowsOf(res: unknown): Record<string, unknown>[] {
  return (res as { rows: Record<string, unknown>[] }).rows;
}

/**
 * A raw row (SQL column names, driver values) → the row drizzle's own select
 * would give (property names, mapped values: timestamps as Date, bigint mode
 * number …), using the table's column definitions so it cannot drift from them.
 */
export function fromDriverRow<T extends Table>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of columnsOf(table)) {
    const v = raw[column.name];
    out[key] = v === null || v === undefined ? null : column.mapFromDriverValue(v);
  }
  return out as T['$inferSelect'];
}

const columnCache = new WeakMap<Table, [string, Column][]>();
function columnsOf(table: Table): [string, Column][] {
  let cols = columnCache.get(table);
  if (!cols) columnCache.set(table, (cols = Object.entries(getTableColumns(table))));
  return cols;
}
