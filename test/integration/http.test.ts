import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, listen, closeServer } from '../../src/http/server.js';
import { openPostgres } from '../../src/db/client.js';
import { createRedis } from '../../src/lib/redis.js';
import type { Deps } from '../../src/deps.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { escalations } from '../../src/db/schema.js';
import { makeCase, makeClient, stamped } from '../helpers/factories.js';

let deps: TestDeps;
let server: Server;
let base: string;

beforeAll(async () => {
  deps = await createTestDeps({ env: { DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'board-pass' } });
  server = await listen(createHttpApp(deps), '127.0.0.1', 0);
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  if (server) await closeServer(server);
  await deps?.destroy();
});

describe('HTTP endpoints', () => {
  it('/healthz answers while the process lives', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('/readyz is green when PostgreSQL and Redis are reachable and migrations are applied', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, checks: { database: true, migrations: true, redis: true } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/readyz turns red (503) naming what is down, and the process keeps running', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', { lazyConnect: false });
    deadRedis.on('error', () => {});
    const deadDb = openPostgres('postgres://postgres@127.0.0.1:1/nothing', { max: 1 });
    const broken = { ...deps, redis: deadRedis, database: deadDb } as Deps;
    const s = await listen(createHttpApp(broken), '127.0.0.1', 0);
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as { port: number }).port}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ok: false, checks: { database: false, migrations: false, redis: false } });
    } finally {
      await closeServer(s);
      deadRedis.disconnect();
      await deadDb.close();
    }
  });

  it('/metrics serves Prometheus text with queue depths', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/casework_queue_jobs\{queue="delivery",state="waiting"\} 0/);
    expect(text).toMatch(/casework_process_resident_memory_bytes/);
  });

  it('/metrics has what a duty manager alerts on: unacknowledged crises and their age, open escalations by level, audited events — with no personal data in labels', async () => {
    const now = deps.clock.now().toJSDate();
    const client = await makeClient(deps.db, {
      timeZone: 'Europe/London',
      preferredNameEnc: deps.cipher.encrypt('Zoë Secretname', 'clients.preferred_name'),
      ...stamped(now),
    });
    const c = await makeCase(deps.db, { clientId: client.id, category: 'family', priority: 'crisis', crisis: true }, deps.clock.now());
    await deps.db
      .insert(escalations)
      .values({ caseId: c.id, reason: 'crisis', openedAt: deps.clock.now().minus({ minutes: 20 }).toJSDate(), createdAt: now, updatedAt: now });
    await deps.audit.record({ actor: { type: 'system' }, action: 'intake.submitted', caseId: c.id });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^casework_crisis_unacknowledged 1$/m);
    expect(text).toMatch(/^casework_crisis_oldest_unacknowledged_seconds 1200$/m);
    expect(text).toMatch(/^casework_open_escalations\{reason="crisis",level="0",acknowledged="false"\} 1$/m);
    expect(text).toMatch(/^casework_audit_events_total\{action="intake.submitted"\} [1-9]/m);
    expect(text).toMatch(/casework_update_handling_seconds/);
    // Labels are codes and names of kinds only.
    const labels = [...text.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/="([^"]*)"/g)].map((v) => v[1]!));
    expect(labels.filter((v) => !/^[A-Za-z0-9_.:+\-/ ]*$/.test(v))).toEqual([]);
    expect(text).not.toContain('Secretname');
    expect(text).not.toContain(c.reference);
    // Every metric the alerting rules and the dashboard use is exported.
    const ops = readFileSync('ops/alerts.yml', 'utf8') + readFileSync('ops/grafana-dashboard.json', 'utf8');
    const used = new Set([...ops.matchAll(/casework_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')));
    expect([...used].filter((name) => !new RegExp(`^(# TYPE )?${name}`, 'm').test(text))).toEqual([]);
  });

  it('the queue dashboard needs the configured basic-auth credentials', async () => {
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
    const wrong = Buffer.from('ops:guess').toString('base64');
    expect((await fetch(`${base}/admin/queues`, { headers: { authorization: `Basic ${wrong}` } })).status).toBe(401);
    const right = Buffer.from('ops:board-pass').toString('base64');
    const res = await fetch(`${base}/admin/queues`, { headers: { authorization: `Basic ${right}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<html');
  });

  it('keeps the dashboard off, and says how to turn it on, when no password is configured', async () => {
    const d2 = { ...deps, config: { ...deps.config, DASHBOARD_PASSWORD: undefined } } as Deps;
    const s = await listen(createHttpApp(d2), '127.0.0.1', 0);
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as { port: number }).port}/admin/queues`);
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/set DASHBOARD_PASSWORD/);
    } finally {
      await closeServer(s);
    }
  });
});
