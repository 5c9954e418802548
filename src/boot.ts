import { interruptSends } from './delivery/platform-senders.js';
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDeps, type DepsOverrides } from './compose.js';
import type { Deps } from './deps.js';
import { openDatabase, openPostgres, type Database } from './db/client.js';
import { usePreparedStatements } from './db/prepared.js';
import { assertRedisReachable, evictionWarning } from './lib/redis.js';
import { createLogger, type Logger } from './lib/logger.js';
import { closeServer, createHttpApp, listen } from './http/server.js';
import { startWorkers, type RunningWorkers } from '../workers/start.js';
import type { FrontEnd, RunningFrontEnd } from './frontend.js';
import { FRONT_ENDS } from './frontends.js';
import { OffsetClock } from './lib/clock.js';
import { sandboxConfig } from './sandbox/sandbox.world.js';
import { printSandboxBanner } from './sandbox/sandbox.banner.js';
import { missingPlatformConfig } from './delivery/requeue.js';

/**
 * Start the service: check what it needs (clear errors naming host and port,
 * never a password), migrate, then start the front ends and/or the workers.
 * Shared by `src/main.ts` (app, optionally with workers) and `workers/main.ts`.
 */
export interface Running {
  deps: Deps;
  server?: Server;
  workers?: RunningWorkers;
  url?: string;
  stop(): Promise<void>;
}

export interface BootOptions {
  app: boolean;
  workers: boolean;
  overrides?: DepsOverrides;
  /** Front ends to start with the app (default: all registered in src/frontends.ts). */
  frontEnds?: FrontEnd[];
}

export async function boot(config: Readonly<Config>, opts: BootOptions, logger: Logger = createLogger({ level: config.LOG_LEVEL })): Promise<Running> {
  const redisInfo = await assertRedisReachable(config.REDIS_URL, 3000, config.REDIS_CLUSTER_NODES);
  const eviction = evictionWarning(redisInfo.evictionPolicy);
  if (eviction) logger.warn({ policy: redisInfo.evictionPolicy }, eviction);
  usePreparedStatements(config.DB_PREPARED_STATEMENTS === 'on');
  const database = opts.overrides?.database ?? (await openDatabase(config, (err) => logger.warn({ err: err.message }, 'database connection error')));
  try {
    await database.ping();
    await migrateAtStart(config, database, logger);
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
  logger.info({ database: database.kind, where: database.where }, 'database ready, migrations applied');

  const deps = await createDeps(config, { ...opts.overrides, database, logger });
  let server: Server | undefined;
  let workers: RunningWorkers | undefined;
  let url: string | undefined;
  const frontEnds: RunningFrontEnd[] = [];
  try {
    if (opts.app) {
      const app = createHttpApp(deps);
      for (const fe of opts.frontEnds ?? FRONT_ENDS) {
        frontEnds.push(await fe.start(deps, app));
        logger.info({ frontEnd: fe.name }, 'front end started');
      }
      server = await listen(app, config.HOST, config.PORT);
      const addr = server.address();
      url = typeof addr === 'object' && addr ? `http://${config.HOST}:${addr.port}` : undefined;
      logger.info({ url }, 'http server listening (/healthz, /readyz, /metrics, /admin/queues)');
    }
    if (opts.workers) {
      workers = await startWorkers(deps);
      logger.info({ queues: workers.workers.map((w) => w.name) }, 'workers started');
    }
  } catch (err) {
    for (const fe of frontEnds.reverse()) await fe.stop().catch(() => {});
    if (server) await closeServer(server);
    await deps.close();
    await database.close().catch(() => {});
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    deps,
    server,
    workers,
    url,
    stop() {
      stopping ??= (async () => {
        // Order matters: stop taking work, finish or release in-flight jobs, then close connections.
        // Everything fits in SHUTDOWN_TIMEOUT_MS: the workers get it minus what closing the rest may take,
        // and no step may hang the exit (a database or Redis that is down while we stop).
        const started = Date.now();
        const left = () => config.SHUTDOWN_TIMEOUT_MS - (Date.now() - started);
        for (const fe of [...frontEnds].reverse()) await bounded(fe.stop(), Math.min(2000, left() / 3));
        // An app-only process may still hold an urgent send it started (a crisis page waiting for its turn,
        // src/delivery/send-now.ts): end the wait and give the row back at once for a worker, rather than a lease later.
        // With workers here, workers.close does this after their graceful part.
        if (!workers) interruptSends(deps);
        if (server) await bounded(closeServer(server), Math.min(1000, left() / 3));
        if (workers) await workers.close(Math.max(500, left() - CLOSE_RESERVE_MS));
        await bounded(deps.close(), Math.max(200, left() / 2));
        await bounded(database.close(), Math.max(200, left()));
      })();
      return stopping;
    },
  };
}

/**
 * Migrations run as the owner: with DATABASE_MIGRATION_URL, over that connection; without it, in
 * development and tests, over the service's own (one URL, one role). In production without it the
 * service (a role that owns nothing) only checks they were applied by `npm run db:migrate`.
 */
export async function migrateAtStart(config: Readonly<Config>, database: Database, logger: Logger): Promise<void> {
  if (config.DATABASE_MIGRATION_URL) {
    const owner = openPostgres(config.DATABASE_MIGRATION_URL, { max: 1 });
    try {
      await owner.migrate();
    } finally {
      await owner.close();
    }
    return;
  }
  if (config.NODE_ENV !== 'production') return database.migrate();
  if (!(await database.migrationsApplied())) {
    throw new Error('the database is missing migrations: run `npm run db:migrate` with DATABASE_MIGRATION_URL (the owner), then start again');
  }
  logger.info({}, 'migrations were applied by the owner (db:migrate)');
}

/** What closing queues, Redis and the database may take after the workers stopped. */
const CLOSE_RESERVE_MS = 1000;

/** Wait for `p` at most `ms`; errors and overruns are not fatal while stopping. */
async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p.catch(() => undefined),
    new Promise((r) => {
      timer = setTimeout(r, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** Process entry: parse config, boot, and stop cleanly on SIGTERM/SIGINT within the deadline. */
export async function runProcess(opts: Omit<BootOptions, 'overrides'>): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : String(err));
    process.exit(2);
  }
  const logger = createLogger({ level: config.LOG_LEVEL });
  // Outside the sandbox a workers process must be able to send for both platforms; otherwise it would take
  // jobs off the shared queue only to fail them. The sandbox (app + workers, no tokens) uses the emulators.
  const missing = opts.workers && !(config.sandbox && opts.app) ? missingPlatformConfig(config) : [];
  if (missing.length) {
    console.error(
      `Cannot start the workers: they send to Telegram and Slack, and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set. ` +
        'Set it (see .env.example), or run the app alone, or the sandbox (`npm start` with neither token).',
    );
    process.exit(2);
  }
  let running: Running;
  // SANDBOX (no TELEGRAM_BOT_TOKEN, no SLACK_BOT_TOKEN, app with workers in one process): the config
  // points the real bot, Bolt app and senders at local emulators (started by src/sandbox/sandbox.frontend.ts),
  // and the clock is an OffsetClock the web console can move forward. A workers-only process never does this.
  let overrides: BootOptions['overrides'];
  if (config.sandbox && opts.app) {
    config = await sandboxConfig(config);
    overrides = { clock: new OffsetClock() };
  }
  try {
    running = await boot(config, { ...opts, overrides }, logger);
    if (config.sandbox && running.url) printSandboxBanner(config, running.url, opts.workers);
  } catch (err) {
    logger.fatal({ err: (err as Error).message, code: (err as { code?: string }).code }, 'could not start');
    console.error(`Could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  installShutdown(running, config, logger);
}

/**
 * SIGTERM/SIGINT start ONE drain; every later signal is absorbed (logged, never
 * fatal). A whole process group gets the signal at once (Ctrl-C, systemd's
 * default KillMode) and `npm` forwards its own copy to us as well, so two or
 * three arrive within milliseconds: with `process.once` the second one would
 * take Node's default action and kill the process mid-drain.
 * The drain is bounded by SHUTDOWN_TIMEOUT_MS (workers.close aborts in-flight
 * platform calls before it); the hard exit after it is the last resort.
 */
function installShutdown(running: Pick<Running, 'stop'>, config: Pick<Config, 'SHUTDOWN_TIMEOUT_MS'>, logger: Logger): void {
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) {
      logger.info({ signal }, 'already stopping; signal absorbed');
      return;
    }
    draining = true;
    logger.info({ signal }, 'stopping');
    const hard = setTimeout(() => {
      logger.error('did not stop in time; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 1000);
    hard.unref();
    running.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err: (err as Error).message }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
