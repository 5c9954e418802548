import pg from 'pg';
import { ConfigError, loadConfig } from '../config.js';
import { grantServiceRole, serviceRoleGrants } from './grants.js';

/**
 * `npm run db:grant -- <service role>`: as the owner (DATABASE_MIGRATION_URL, else DATABASE_URL),
 * give the service's role what it needs and no more (src/db/grants.ts). Prints the statements.
 */
async function main(): Promise<void> {
  const role = process.argv[2];
  if (!role) throw new Error('Usage: npm run db:grant -- <service role>   (e.g. casework_app)');
  const config = loadConfig();
  const url = config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_MIGRATION_URL (the owner) or DATABASE_URL: the embedded database has no roles.');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await grantServiceRole(client, role);
    for (const s of serviceRoleGrants(role)) console.log(`${s};`);
    console.log(`Granted: ${role} can use the service's tables; the audit log only accepts new rows from it.`);
  } finally {
    await client.end();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
});
