import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import basicAuth from 'express-basic-auth';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Deps } from '../deps.js';
import { withLogContext } from '../lib/logger.js';
import { redisPing } from '../lib/redis.js';
import { createMetrics } from './metrics.js';

interface Readiness {
  ok: boolean;
  checks: { database: boolean; migrations: boolean; redis: boolean };
}

async function checkReadiness(deps: Pick<Deps, 'database' | 'redis'>): Promise<Readiness> {
  const [database, migrations, redis] = await Promise.all([
    deps.database.ping().then(
      () => true,
      () => false,
    ),
    deps.database.migrationsApplied(),
    redisPing(deps.redis),
  ]);
  return { ok: database && migrations && redis, checks: { database, migrations, redis } };
}

/**
 * Health, readiness, metrics and the queue dashboard. Front ends (Telegram
 * webhook, Slack receiver, sandbox console) mount their own routes on `app`.
 */
export function createHttpApp(deps: Deps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[A-Za-z0-9-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    withLogContext({ requestId }, () => next());
  });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  app.get('/readyz', async (_req, res) => {
    const r = await checkReadiness(deps);
    res.status(r.ok ? 200 : 503).json(r);
  });

  const metrics = createMetrics(deps.queues, deps.db, deps.clock, deps.redis);
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.contentType);
    res.send(await metrics.metrics());
  });

  if (deps.config.DASHBOARD_PASSWORD) {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath('/admin/queues');
    createBullBoard({ queues: deps.queues.all().map((q) => new BullMQAdapter(q)), serverAdapter });
    app.use(
      '/admin/queues',
      basicAuth({ users: { [deps.config.DASHBOARD_USER]: deps.config.DASHBOARD_PASSWORD }, challenge: true, realm: 'casework-queues' }),
      serverAdapter.getRouter(),
    );
  } else {
    app.use('/admin/queues', (_req, res) => {
      res.status(404).type('text/plain').send('The queue dashboard is off: set DASHBOARD_PASSWORD to turn it on.');
    });
  }
  return app;
}

export function listen(app: Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.on('error', reject);
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
