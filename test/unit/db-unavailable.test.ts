import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';

/** A send that failed because PostgreSQL was away waits for it instead of spending its retries. */
describe('isDatabaseUnavailable', () => {
  it('recognises refused and dropped connections and a server that is stopping or starting', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Failed query', { cause: Object.assign(new Error('x'), { code: '57P03' }) }))).toBe(true);
  });
  it('leaves statement errors alone: they are retried and counted as usual', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('render failed'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
