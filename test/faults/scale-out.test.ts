import { afterEach, describe, expect, it, vi } from 'vitest';
import { FAULT_WAIT } from '../helpers/waits.js';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { cases, clients, inboundDedupe, notes } from '../../src/db/schema.js';
import { chatKey } from '../../src/lib/redis.js';
import { FieldCipher, parseKeyList } from '../../src/lib/crypto.js';
import { NOTE_BODY_AAD } from '../../src/clients/clients.repo.js';
import type { SimUser } from '../../src/sandbox/telegram-emulator.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { freePort, startApiWatch, startRoundRobin, type ApiWatch, type Relay } from '../helpers/http-relay.js';
import { FaultWorld, type Proc } from './fault-world.js';

/**
 * Issue 14, item 5: two app processes and two worker processes, as operators
 * run them (`node dist/…`), behind one webhook (a round-robin relay in front of
 * the apps, as an HTTPS load balancer would be). Clients with open cases write
 * to their worker; every update of a chat alternates between the two apps.
 * Between the bots and the Telegram emulator a relay holds each sendMessage
 * 150 ms and records how many of one chat's were in flight at once.
 * Counted: what the Telegram and Slack emulators received, what PostgreSQL stored.
 */
let world: FaultWorld | undefined;
const relays: Relay[] = [];
afterEach(async () => {
  for (const r of relays.splice(0)) await r.close();
  await world?.close();
  world = undefined;
});

const FLOOD_MAX = 8;
const ACK = "Thanks — I've passed this";

async function startTwoAppsTwoWorkers(w: FaultWorld): Promise<{ watch: ApiWatch; apps: Proc[] }> {
  const ports = [await freePort(), await freePort()];
  const rr = await startRoundRobin(() => ports.map((p) => `http://127.0.0.1:${p}`));
  const watch = await startApiWatch(w.tg.url, { holdMs: 150 });
  relays.push(rr, watch);
  const env = { PUBLIC_URL: rr.url, TELEGRAM_API_ROOT: watch.url };
  const apps = ports.map((p) => w.start({ via: 'node', entry: 'app', built: true }, { env: { ...env, PORT: String(p) } }));
  const workers = [0, 1].map(() => w.start({ via: 'node', entry: 'workers', built: true }, { env }));
  for (const a of apps) await a.waitFor(/telegram bot receiving updates by webhook/, 120_000);
  for (const k of workers) await k.waitFor(/workers started/, 120_000);
  return { watch, apps };
}

describe('two app processes and two worker processes behind one webhook', () => {
  it("one chat's updates are handled one at a time and in update_id order, none twice, none lost; a flood is seen whole", async () => {
    const w = (world = await FaultWorld.create({
      INTAKE_GATHER_SECONDS: '0',
      TELEGRAM_FLOOD_MAX_MESSAGES: String(FLOOD_MAX),
      TELEGRAM_FLOOD_WINDOW_SECONDS: '60',
    }));
    // Nine clients with open, assigned cases (their reminders are an hour away: not part of this test).
    const seeded = await w.seed(9, { firstDueInMs: 3_600_000 });
    const chats = [...seeded.chats.keys()];
    const user = (chatId: number): SimUser => ({ id: chatId, first_name: 'C', language_code: 'en' });
    const { watch } = await startTwoAppsTwoWorkers(w);
    // The updates the emulator posted, per chat.
    const posted = new Map<number, number[]>();
    w.tg.on('update', (u: { update_id: number; message?: { chat: { id: number } } }) => {
      if (u.message) posted.set(u.message.chat.id, [...(posted.get(u.message.chat.id) ?? []), u.update_id]);
    });
    const db = w.tdb.db;
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
    const cipher = new FieldCipher(parseKeyList(w.env.ENCRYPTION_KEYS!));
    try {
      // 1. Four chats, six messages each, all sent at once, interleaved: every update of a chat alternates apps.
      const burst = chats.slice(0, 4);
      const sends: Array<Promise<unknown>> = [];
      for (let k = 1; k <= 6; k++) for (const c of burst) sends.push(w.tg.sendText(user(c), `burst ${c} #${k}`));
      await Promise.all(sends);

      // 2. Four chats, five messages each, in turn across chats; each sent once the one before it in its
      //    chat has arrived (waiting in its chat's turn, or done), so update_id order is arrival order.
      const ordered = chats.slice(4, 8);
      const inFlight: Array<Promise<unknown>> = [];
      for (let k = 1; k <= 5; k++) {
        for (const c of ordered) {
          if (k > 1) {
            await expect.poll(() => (posted.get(c)?.length ?? 0) === k - 1, FAULT_WAIT).toBeTruthy();
            const prev = Math.max(...posted.get(c)!);
            await vi
              .waitUntil(async () => arrived(redis, w, c, prev), { ...FAULT_WAIT, timeout: 90_000 })
              .catch((e: Error) => {
                throw new Error(`${e.message}: update ${prev} of chat ${c}\n${w.procs.map((p) => p.out().slice(-1500)).join('\n---\n')}`);
              });
          }
          inFlight.push(w.tg.sendText(user(c), `order ${c} #${k}`));
        }
      }
      await Promise.all(inFlight);

      // 3. A flood from one chat spread over both apps: counted whole, the client told once.
      const flooder = chats[8]!;
      await Promise.all(Array.from({ length: FLOOD_MAX + 4 }, (_, i) => w.tg.sendText(user(flooder), `flood #${i + 1}`)));

      // Never two updates of one chat at once (each update's reply is held 150 ms on its way out).
      for (const c of [...burst, ...ordered, flooder]) expect(watch.maxInFlight.get(c), `chat ${c}`).toBe(1);

      // PostgreSQL: every message kept once, each update handled once; in update_id order where they arrived in order.
      const texts = await messagesByChat(w, cipher, chats);
      for (const c of burst) expect([...texts.get(c)!].sort()).toEqual([1, 2, 3, 4, 5, 6].map((k) => `burst ${c} #${k}`).sort());
      for (const c of ordered) expect(texts.get(c)).toEqual([1, 2, 3, 4, 5].map((k) => `order ${c} #${k}`));
      expect(texts.get(flooder)).toHaveLength(FLOOD_MAX + 4);
      const handled = await db.select().from(inboundDedupe).where(eq(inboundDedupe.source, 'telegram'));
      expect(handled).toHaveLength(6 * 4 + 5 * 4 + FLOOD_MAX + 4);

      // Telegram: one acknowledgement per message (outside the flood), the flood notice once.
      const fromBot = (c: number) => w.tg.messages(c);
      for (const c of [...burst, ...ordered]) {
        const acks = fromBot(c).filter((m) => (m.text ?? '').startsWith(ACK));
        expect(acks, `chat ${c}`).toHaveLength(burst.includes(c) ? 6 : 5);
      }
      expect(fromBot(flooder).filter((m) => /sending messages very quickly/.test(m.text ?? ''))).toHaveLength(1);
      expect(fromBot(flooder).filter((m) => (m.text ?? '').startsWith(ACK))).toHaveLength(FLOOD_MAX);

      // Slack: the workers relayed every message once.
      const relayed = (marker: string) =>
        w.slack.calls.filter((c) => c.ok && c.method === 'chat.postMessage' && JSON.stringify(c.params).includes(marker)).length;
      await expect
        .poll(() => [...burst, ...ordered].every((c) => relayed(`burst ${c} #`) + relayed(`order ${c} #`) >= (burst.includes(c) ? 6 : 5)), {
          ...FAULT_WAIT,
          timeout: 60_000,
        })
        .toBeTruthy();
      for (const c of burst) for (let k = 1; k <= 6; k++) expect(relayed(`burst ${c} #${k}`), `burst ${c} #${k}`).toBe(1);
      for (const c of ordered) for (let k = 1; k <= 5; k++) expect(relayed(`order ${c} #${k}`), `order ${c} #${k}`).toBe(1);
    } finally {
      redis.disconnect();
    }
  }, 420_000);
});

/** The update is waiting for (or holds) its chat's turn, or has been handled. */
async function arrived(redis: Redis, w: FaultWorld, chatId: number, updateId: number): Promise<boolean> {
  if ((await redis.zscore(chatKey(w.prefix, chatId, 'turns'), String(updateId))) !== null) return true;
  const [row] = await w.tdb.db
    .select()
    .from(inboundDedupe)
    .where(and(eq(inboundDedupe.source, 'telegram'), eq(inboundDedupe.externalId, String(updateId))));
  return !!row;
}

/** Each chat's client messages on its case, decrypted, in the order they were stored. */
async function messagesByChat(w: FaultWorld, cipher: FieldCipher, chats: number[]): Promise<Map<number, string[]>> {
  const rows = await w.tdb.db
    .select({ chatId: clients.telegramChatId, body: notes.bodyEnc })
    .from(notes)
    .innerJoin(cases, eq(cases.id, notes.caseId))
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .where(and(eq(notes.kind, 'message'), eq(notes.direction, 'from_client'), inArray(clients.telegramChatId, chats)))
    .orderBy(asc(notes.createdAt), asc(notes.id));
  const out = new Map<number, string[]>(chats.map((c) => [c, []]));
  for (const r of rows) out.get(Number(r.chatId))!.push(cipher.decrypt(r.body!, NOTE_BODY_AAD));
  return out;
}
