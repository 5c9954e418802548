import { describe, expect, it } from 'vitest';
import { assertRedisReachable } from '../../src/lib/redis.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';

/** An operator whose Redis may evict keys is told at start (the pure rule: test/unit/redis-eviction.test.ts). */
describe('Redis eviction policy at start', () => {
  it('reads the policy from the real server at start', async () => {
    // The test Redis (.ci/run, README) runs with the server default, noeviction.
    expect(await assertRedisReachable(TEST_REDIS_URL)).toEqual({ evictionPolicy: 'noeviction' });
  });
});
