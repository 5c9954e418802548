/**
 * A workers process for B2's limits-off phase with several processes
 * (`B2_WORKERS`): the production boot (`boot`, as `node dist/workers/main.js`
 * runs it), built to dist/bench/ and run by plain `node`, with the app's send
 * budget lifted in memory (its config maximum is 30/s), as the in-process
 * phase does. Prints "b2-worker ready" once its workers run; SIGTERM stops it.
 */
import { loadConfig } from '../src/config.js';
import { boot } from '../src/boot.js';

const config = loadConfig();
const lifted = Object.freeze({ ...config, TELEGRAM_MESSAGES_PER_SECOND: 1_000_000, TELEGRAM_CHAT_MESSAGES_PER_SECOND: 1_000_000 });
const running = await boot(lifted, { app: false, workers: true });
console.log('b2-worker ready');
process.once('SIGTERM', () => {
  void running.stop().finally(() => process.exit(0));
});
