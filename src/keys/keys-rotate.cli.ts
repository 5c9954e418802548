import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { createDeps } from '../compose.js';
import { progressLine, rotateKeys } from './key-rotation.js';

/**
 * `npm run keys:rotate`: re-encrypt every stored value under the first key of
 * ENCRYPTION_KEYS (see the README's operations section). Safe to stop and run
 * again; exits 1 while any value is still under an old key, 0 when the old
 * keys can be removed from ENCRYPTION_KEYS.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const deps = await createDeps(config, { logger: pino({ level: 'warn' }) });
  try {
    await deps.database.migrate();
    const tty = process.stderr.isTTY;
    console.log(`Re-encrypting under key "${deps.cipher.activeKeyId}" in batches of ${config.RETENTION_BATCH_SIZE}…`);
    const res = await rotateKeys(deps.db, deps.cipher, {
      batchSize: config.RETENTION_BATCH_SIZE,
      onProgress: (p) => {
        if (p.total === 0) return;
        const text = progressLine(p);
        if (tty) process.stderr.write(`\r${text}`);
        else if (p.done === p.total || p.done === 0) process.stderr.write(`${text}\n`);
      },
    });
    if (tty) process.stderr.write('\n');
    console.log(`Re-encrypted ${res.rewritten} value(s). Values still under an old key, per column:`);
    for (const c of res.remaining)
      console.log(
        `  ${c.column.padEnd(40)} ${String(c.stale).padStart(8)}   (${
          Object.entries(c.byKey)
            .map(([k, n]) => `${k}: ${n}`)
            .join(', ') || 'no values'
        })`,
      );
    for (const f of res.failed.slice(0, 20)) console.log(`  could not open ${f.column} row ${f.id}: ${f.error}`);
    const stale = res.remaining.reduce((s, c) => s + c.stale, 0);
    if (stale > 0) {
      console.log(`${stale} value(s) are still under old keys: keep those keys in ENCRYPTION_KEYS and run again.`);
      process.exitCode = 1;
    } else {
      console.log(`Done: every value is under "${deps.cipher.activeKeyId}". The other keys can now be removed from ENCRYPTION_KEYS.`);
    }
  } finally {
    await deps.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
});
