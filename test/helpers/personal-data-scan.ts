import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import type { FieldCipher } from '../../src/lib/crypto.js';

/**
 * Every column of every table in the public schema, read from
 * information_schema (so a column added later is scanned without anyone
 * remembering to add it here). Text, json and bytea values are searched for
 * each needle; values that are encrypted envelopes are decrypted first (AAD
 * `<table>.<column without _enc>`, the convention every sealed column uses)
 * and an envelope that does not open is itself reported, so a new sealed
 * column cannot hide a value from the scan. Integer columns are compared with
 * the numeric ids.
 */
export interface Hit {
  table: string;
  column: string;
  needle: string;
  value: string;
}

const TEXTY = new Set(['text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED', 'tid']);
const NUMERIC = new Set(['bigint', 'integer', 'numeric']);
const ENVELOPE = /^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export async function scanDatabase(
  db: Db,
  cipher: FieldCipher,
  needles: { strings: string[]; numbers: number[] },
): Promise<{ hits: Hit[]; columnsScanned: string[] }> {
  const cols = (
    (await db.execute(sql`select table_name, column_name, data_type from information_schema.columns
    where table_schema = 'public' order by table_name, ordinal_position`)) as unknown as {
      rows: Array<{ table_name: string; column_name: string; data_type: string }>;
    }
  ).rows;
  const hits: Hit[] = [];
  const columnsScanned: string[] = [];
  for (const c of cols) {
    const texty = TEXTY.has(c.data_type);
    const numeric = NUMERIC.has(c.data_type);
    if (!texty && !numeric) continue;
    columnsScanned.push(`${c.table_name}.${c.column_name}`);
    const expr = c.data_type === 'bytea' ? sql`convert_from(${sql.identifier(c.column_name)}, 'UTF8')` : sql`${sql.identifier(c.column_name)}::text`;
    const rows = (
      (await db.execute(sql`select ${expr} as v from ${sql.identifier(c.table_name)} where ${sql.identifier(c.column_name)} is not null`)) as unknown as {
        rows: Array<{ v: string }>;
      }
    ).rows;
    for (const { v } of rows) {
      if (numeric) {
        for (const n of needles.numbers) if (Number(v) === n) hits.push({ table: c.table_name, column: c.column_name, needle: String(n), value: v });
        continue;
      }
      let plain = v;
      if (ENVELOPE.test(v)) {
        try {
          plain = cipher.decrypt(v, `${c.table_name}.${c.column_name.replace(/_enc$/, '')}`);
        } catch {
          hits.push({ table: c.table_name, column: c.column_name, needle: '(envelope that does not open with its column AAD)', value: v.slice(0, 40) });
          continue;
        }
      }
      for (const s of [...needles.strings, ...needles.numbers.map(String)]) {
        if (plain.includes(s)) hits.push({ table: c.table_name, column: c.column_name, needle: s, value: plain.slice(0, 120) });
      }
    }
  }
  return { hits, columnsScanned };
}
