import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, describeEndpoint } from '../../src/config.js';
import { parseClusterNodes } from '../../src/lib/redis.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('runs on safe defaults with an empty environment: embedded database, sandbox platforms', () => {
    const c = loadConfig({});
    expect(c.embeddedDatabase).toBe(true);
    expect(c.sandbox).toBe(true);
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.PORT).toBe(3000);
    expect(c.DEFAULT_TIMEZONE).toBe('Europe/London');
    expect(c.INTAKE_DRAFT_TTL_DAYS).toBe(7);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('keeps platform calls well inside the claim lease: a 30 s lease and a 10 s timeout by default; a timeout over half the lease is refused', () => {
    const c = loadConfig({});
    expect([c.DELIVERY_CLAIM_LEASE_SECONDS, c.PLATFORM_HTTP_TIMEOUT_MS]).toEqual([30, 10_000]);
    expect(problemsOf({ DELIVERY_CLAIM_LEASE_SECONDS: '30', PLATFORM_HTTP_TIMEOUT_MS: '20000' })).toEqual([
      'PLATFORM_HTTP_TIMEOUT_MS: must be at most half of DELIVERY_CLAIM_LEASE_SECONDS',
    ]);
  });

  it('names every bad variable in one error, not only the first', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      REDIS_URL: 'http://nope',
      DEFAULT_TIMEZONE: 'Mars/Olympus',
      CLIENT_QUIET_HOURS_START: '25:00',
      LOG_LEVEL: 'loud',
    });
    const vars = problems.map((p) => p.split(':')[0]);
    expect(vars).toEqual(expect.arrayContaining(['PORT', 'REDIS_URL', 'DEFAULT_TIMEZONE', 'CLIENT_QUIET_HOURS_START', 'LOG_LEVEL']));
    expect(problems).toHaveLength(5);
  });

  it('never repeats a secret value in its error message', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://admin:hunter2-secret@db:3306/x' });
      throw new Error('should have failed');
    } catch (err) {
      expect((err as Error).message).toContain('DATABASE_URL');
      expect((err as Error).message).not.toContain('hunter2-secret');
    }
  });

  it('refuses production without an encryption key, a dashboard password or a real database', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.join('\n')).toMatch(/ENCRYPTION_KEYS: is required when NODE_ENV=production/);
    expect(problems.join('\n')).toMatch(/DASHBOARD_PASSWORD/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL/);
  });

  it('never runs the sandbox in production: both platform tokens are required and SANDBOX=true is refused', () => {
    const base = {
      NODE_ENV: 'production',
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      DASHBOARD_PASSWORD: 'x',
      DATABASE_URL: 'postgres://u:p@db:5432/casework',
    };
    const noTokens = problemsOf(base).join('\n');
    expect(noTokens).toMatch(/TELEGRAM_BOT_TOKEN: is required when NODE_ENV=production \(without it the service would start the sandbox\)/);
    expect(noTokens).toMatch(/SLACK_BOT_TOKEN: is required when NODE_ENV=production/);
    const tokens = { TELEGRAM_BOT_TOKEN: '123:abc', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(problemsOf({ ...base, ...tokens, SANDBOX: 'true' }).join('\n')).toMatch(/SANDBOX: cannot be on when NODE_ENV=production/);
    // Outside production: on without tokens, or when asked; off when asked.
    expect(loadConfig({}).sandbox).toBe(true);
    expect(loadConfig({ SANDBOX: 'false' }).sandbox).toBe(false);
    expect(loadConfig({ ...tokens, SANDBOX: 'true' }).sandbox).toBe(true);
    expect(loadConfig(tokens).sandbox).toBe(false);
  });

  it('accepts a complete production configuration and leaves sandbox mode when tokens are set', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      DASHBOARD_PASSWORD: 'x',
      DATABASE_URL: 'postgres://u:p@db:5432/casework',
      TELEGRAM_BOT_TOKEN: '123:abc',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_ADMIN_USER_IDS: 'U1, U2',
    });
    expect(c.sandbox).toBe(false);
    expect(c.embeddedDatabase).toBe(false);
    expect(c.SLACK_ADMIN_USER_IDS).toEqual(['U1', 'U2']);
  });

  it('treats empty strings as unset for optional values (as .env files often leave them)', () => {
    const c = loadConfig({ DATABASE_URL: '', TELEGRAM_BOT_TOKEN: '', PUBLIC_URL: '' });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.sandbox).toBe(true);
  });

  it('takes a Redis Cluster as host:port,… and names a malformed list', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001,redis-3:7002' }).REDIS_CLUSTER_NODES).toBe(
      '10.0.0.1:7000, 10.0.0.2:7001,redis-3:7002',
    );
    expect(loadConfig({ REDIS_CLUSTER_NODES: '' }).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(problemsOf({ REDIS_CLUSTER_NODES: '10.0.0.1' }).map((p) => p.split(':')[0])).toEqual(['REDIS_CLUSTER_NODES']);
    expect(parseClusterNodes('10.0.0.1:7000, redis-3:7002')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-3', port: 7002 },
    ]);
  });

  it('describes an endpoint by host and port only', () => {
    expect(describeEndpoint('postgres://admin:secret@db.internal:6543/x')).toBe('db.internal:6543');
    expect(describeEndpoint('redis://:pw@cache')).toBe('cache:6379');
  });
});
