import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/** `C-2026-0042`: year, then a per-year counter padded to at least 4 digits. */
function formatReference(year: number, n: number): string {
  return `C-${year}-${String(n).padStart(4, '0')}`;
}

export function parseReference(text: string): string | null {
  const m = /^\s*(C-\d{4}-\d{4,})\s*$/i.exec(text);
  return m ? m[1]!.toUpperCase() : null;
}

/** Allocates the next number for the year inside the caller's transaction (row lock: no gaps between concurrent callers' commits matter, no duplicates). */
export async function allocateReference(tx: Db, year: number): Promise<string> {
  const res = await tx.execute(sql`
    insert into case_reference_counters (year, last) values (${year}, 1)
    on conflict (year) do update set last = case_reference_counters.last + 1
    returning last`);
  const n = (res as unknown as { rows: Array<{ last: number }> }).rows[0]!.last;
  return formatReference(year, n);
}
