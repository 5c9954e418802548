/**
 * B2's peer: what a competent team would build for the same burst with the
 * same packages and no special design. One BullMQ delayed job per reminder
 * (all due at the same instant), a `Worker` with BullMQ's own `limiter`
 * (30 per 1,000 ms, or the common 25), telegraf's `Telegram` client, and a 429
 * handled by BullMQ's retries with exponential backoff. No ledger, no
 * PostgreSQL: the job carries the chat and the text. Against the same
 * emulator (30/s per bot, 1/s per chat, sliding windows). This code exists
 * only here, as the yardstick.
 */
import { Queue, Worker } from 'bullmq';
import { Telegram } from 'telegraf';
import { createRedis } from '../src/lib/redis.js';
import { TelegramEmulator } from '../src/sandbox/telegram-emulator.js';
import { deleteRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../test/helpers/redis.js';
import { loadAvg, quantile, r2, rssMiB } from './lib.js';

export interface PeerResult {
  n: number;
  limiterMax: number | null;
  sent: number;
  rateLimited429: number;
  lost: number;
  duplicated: number;
  achievedPerSec: number;
  latenessP50: number;
  latenessP99: number;
  latenessMax: number;
  maxInAnySecond: number;
  wallSec: number;
  nodeCpuMsPerSend: number;
  rssMiB: number;
  retried: number;
  load: number[];
}

/** Per chat: lost = no message, duplicated = messages beyond the first; lateness of each chat's first message. */
export function perChat(tl: ReadonlyArray<{ at: number; chatId: number }>, chats: number[], dueMs: number) {
  const first = new Map<number, number>();
  let duplicated = 0;
  for (const s of tl) {
    if (first.has(s.chatId)) duplicated++;
    else first.set(s.chatId, s.at);
  }
  const lost = chats.filter((c) => !first.has(c)).length;
  const late = [...first.values()].map((at) => Math.max(0, at - dueMs) / 1000);
  const at = tl.map((s) => s.at).sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= 1000) j++;
    max = Math.max(max, i - j + 1);
  }
  return {
    lost,
    duplicated,
    maxInAnySecond: max,
    achievedPerSec: r2((at.length - 1) / Math.max(0.001, (at[at.length - 1]! - at[0]!) / 1000)),
    latenessP50: r2(quantile(late, 0.5)),
    latenessP99: r2(quantile(late, 0.99)),
    latenessMax: r2(Math.max(...late)),
  };
}

/** limiterMax null: limits off (emulator unlimited, no limiter), for raw sends/s and CPU per send. */
export async function peerPhase(n: number, limiterMax: number | null): Promise<PeerResult> {
  const load = loadAvg();
  const tg = new TelegramEmulator({
    rateLimits: limiterMax === null ? false : { global: { limit: 30, windowMs: 1000 }, perChat: { limit: 1, windowMs: 1000 } },
    callLogLimit: 1000,
  });
  await tg.start();
  const prefix = testRedisPrefix().replace('cwtest', 'cwpeer');
  const connection = createRedis(TEST_REDIS_URL);
  const queue = new Queue('reminders', { connection, prefix });
  const telegram = new Telegram(tg.token, { apiRoot: tg.url });
  let retried = 0;
  const worker = new Worker(
    'reminders',
    async (job) => {
      if (job.attemptsMade > 0) retried++;
      await telegram.sendMessage(job.data.chatId as number, job.data.text as string);
    },
    {
      connection,
      prefix,
      concurrency: 50,
      ...(limiterMax === null ? {} : { limiter: { max: limiterMax, duration: 1000 } }),
    },
  );
  worker.on('error', () => undefined);
  try {
    const chats = Array.from({ length: n }, (_, i) => 10_000_000 + i);
    for (const id of chats) tg.addUser({ id, first_name: 'C' });
    const due = Date.now() + 3000 + n / 2;
    await queue.addBulk(
      chats.map((chatId) => ({
        name: 'reminder',
        data: { chatId, text: 'Reminder: your appointment is tomorrow at 10:00.' },
        opts: { delay: due - Date.now(), attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: false },
      })),
    );
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    let peak = rssMiB();
    const deadline = Date.now() + (n / 30) * 3000 + 120_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      peak = Math.max(peak, rssMiB());
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'wait');
      if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) + (c.wait ?? 0) === 0) break;
      if (Date.now() > deadline) break;
    }
    const cpu = process.cpuUsage(cpu0);
    const tl = tg.sendTimeline;
    return {
      n,
      limiterMax,
      sent: tl.length,
      rateLimited429: tg.stats.rateLimited,
      ...perChat(tl, chats, due),
      wallSec: r2((performance.now() - wall0) / 1000),
      nodeCpuMsPerSend: r2((cpu.user + cpu.system) / 1000 / Math.max(1, tl.length)),
      rssMiB: peak,
      retried,
      load,
    };
  } finally {
    await worker.close();
    await queue.close();
    connection.disconnect();
    await deleteRedisPrefix(prefix);
    await tg.stop();
  }
}
