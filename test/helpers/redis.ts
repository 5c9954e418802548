import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './pg-template.js';

/** Each test file gets its own BullMQ prefix; cleanup removes every key under it (BullMQ's and the budgets' are `{prefix…}`). */
export function testRedisPrefix(): string {
  return `cwtest-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    for (const pattern of [`${prefix}:*`, `{${prefix}}:*`, `{${prefix}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

export { TEST_REDIS_URL };
