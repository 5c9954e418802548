import { describe, expect, it } from 'vitest';
import { evictionWarning } from '../../src/lib/redis.js';

/** An operator whose Redis may evict keys is told at start, in words that say what to change. */
describe('Redis eviction policy at start', () => {
  it('warns for an evicting policy and names the fix', () => {
    expect(evictionWarning('allkeys-lru')).toMatch(/"allkeys-lru".*evict queued reminder and escalation jobs.*maxmemory-policy noeviction/);
    expect(evictionWarning('volatile-ttl')).toContain('noeviction');
  });

  it('says nothing for noeviction, or when the server will not tell (managed Redis refusing CONFIG)', () => {
    expect(evictionWarning('noeviction')).toBeNull();
    expect(evictionWarning(null)).toBeNull();
  });
});
