import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { createDeps } from '../compose.js';
import { applyRetention } from './retention.service.js';

/**
 * `npm run retention` applies the retention periods now (what the daily job
 * does); `npm run retention -- --dry-run` only prints what would go.
 */
async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const config = loadConfig();
  const deps = await createDeps(config, { logger: pino({ level: 'warn' }) });
  try {
    await deps.database.migrate();
    const report = await applyRetention(deps, { dryRun });
    console.log(dryRun ? 'Retention dry run: nothing was changed. Past its period now:' : 'Retention applied:');
    for (const c of report.categories) console.log(`  ${c.name.padEnd(18)} ${String(c.count).padStart(8)}   (older than ${c.cutoff})`);
  } finally {
    await deps.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
});
