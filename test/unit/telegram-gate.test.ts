import { describe, expect, it } from 'vitest';
import { ChatGate } from '../../src/telegram/telegram.gate.js';
import { splitForTelegram } from '../../src/telegram/telegram.render.js';

describe('ChatGate (per-chat order and flood control)', () => {
  it("runs one chat's updates one at a time, in arrival order, while other chats go on", async () => {
    const gate = new ChatGate<string>({ max: 100, windowMs: 1000, flush: async () => {} });
    const log: string[] = [];
    let release!: () => void;
    const blocker = new Promise<void>((r) => (release = r));
    const a1 = gate.run(1, async () => {
      await blocker;
      log.push('a1');
    });
    const a2 = gate.run(1, async () => {
      log.push('a2');
    });
    const b1 = gate.run(2, async () => {
      log.push('b1');
    });
    await b1;
    expect(log).toEqual(['b1']);
    release();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['b1', 'a1', 'a2']);
    gate.close();
  });

  it('a failing update does not block the next one of the same chat', async () => {
    const gate = new ChatGate<string>({ max: 100, windowMs: 1000, flush: async () => {} });
    await expect(
      gate.run(1, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(gate.run(1, async () => 'next')).resolves.toBe('next');
    gate.close();
  });

  it('over the limit: notify once, then hold; release sends only the latest held replies', async () => {
    const flushed: Array<[number, string[]]> = [];
    const gate = new ChatGate<string>({
      max: 2,
      windowMs: 60_000,
      now: () => 0,
      flush: async (chatId, r) => {
        flushed.push([chatId, r]);
      },
    });
    expect([gate.admit(7), gate.admit(7), gate.admit(7), gate.admit(7), gate.admit(8)]).toEqual(['normal', 'normal', 'notify', 'hold', 'normal']);
    gate.hold(7, ['question 3']);
    gate.hold(7, ['question 4']);
    await gate.releaseAll();
    expect(flushed).toEqual([[7, ['question 4']]]);
    // a new window after the release
    expect(gate.admit(7)).toBe('normal');
    gate.close();
  });

  it('drop() forgets held replies (quick exit sends nothing afterwards)', async () => {
    const flushed: string[][] = [];
    const gate = new ChatGate<string>({
      max: 1,
      windowMs: 60_000,
      now: () => 0,
      flush: async (_c, r) => {
        flushed.push(r);
      },
    });
    gate.admit(1);
    gate.admit(1);
    gate.hold(1, ['held']);
    gate.drop(1);
    await gate.releaseAll();
    expect(flushed).toEqual([]);
    gate.close();
  });
});

describe('splitForTelegram', () => {
  it('keeps every character, each part within 4,096, and never splits a surrogate pair', () => {
    const paragraphs = ['intro', 'a'.repeat(5000), '😀'.repeat(3000), 'end'];
    const parts = splitForTelegram(paragraphs);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    const joined = parts.join('');
    expect(joined.replace(/\n/g, '')).toBe(paragraphs.join(''));
    for (const p of parts) expect(p).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });
});
