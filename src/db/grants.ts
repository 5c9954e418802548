import type pg from 'pg';

/**
 * Least privilege (issue 14): the service connects as a role that owns
 * nothing. It may read and write the case tables, but the audit log only
 * grows: SELECT and INSERT, no UPDATE, DELETE or TRUNCATE, and — not being the
 * owner — it can neither disable nor drop the trigger that also refuses
 * changes. Migrations run as the owner (DATABASE_MIGRATION_URL, `npm run db:migrate`).
 *
 * Run after every migration that adds a table (`npm run db:grant -- <role>` does both
 * the grants and the revokes); it is idempotent.
 */
export function serviceRoleGrants(role: string): string[] {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`"${role}" is not a plain PostgreSQL role name (lower case letters, digits and _)`);
  const r = `"${role}"`;
  return [
    `grant usage on schema public to ${r}`,
    `grant select, insert, update, delete on all tables in schema public to ${r}`,
    `grant usage, select on all sequences in schema public to ${r}`,
    `revoke update, delete, truncate, references, trigger on audit_log from ${r}`,
    // The readiness probe reads which migrations are applied.
    `grant usage on schema drizzle to ${r}`,
    `grant select on all tables in schema drizzle to ${r}`,
  ];
}

export async function grantServiceRole(client: pg.ClientBase, role: string): Promise<void> {
  const [{ owner }] = (
    await client.query<{ owner: string }>(`select tableowner as owner from pg_tables where schemaname = 'public' and tablename = 'audit_log'`)
  ).rows as [{ owner: string }];
  if (owner === role) throw new Error(`${role} owns the tables: the service must connect as a role that owns nothing (see README, Production)`);
  await client.query('begin');
  try {
    for (const statement of serviceRoleGrants(role)) await client.query(statement);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  }
}
