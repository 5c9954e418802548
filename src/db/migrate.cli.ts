import { loadConfig, ConfigError } from '../config.js';
import { openDatabase } from './client.js';

/** `npm run db:migrate`: apply committed migrations as the owner (DATABASE_MIGRATION_URL, else DATABASE_URL, else the embedded database). */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ ...config, DATABASE_URL: config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL });
  try {
    await database.ping();
    await database.migrate();
    console.log(`Migrations applied to ${database.kind} at ${database.where}.`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
});
