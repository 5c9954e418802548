import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { cases, clients } from '../../src/db/schema.js';
import type { TestDatabase } from '../helpers/db.js';
import { useHarness } from './telegram-harness.js';

const h = useHarness();

/**
 * Case references come from one counter row per year. A transaction that allocated one held that row locked
 * until it committed, so a crisis opening a case (a person in danger who had not finished an intake) waited
 * behind every intake submission in flight: 3.1 s in B7's trace. Both now allocate the reference in a
 * statement of its own before their transaction (NewCase.reference). Here an intake submission is held inside
 * its transaction, at its case insert (a test trigger waits on an advisory lock the test holds), and a crisis
 * from someone else must still be recorded with a case of its own meanwhile.
 */
describe('a crisis does not wait for an intake submission in flight', () => {
  it('a crisis opens its case while another client’s submission is held mid-transaction', async () => {
    const db = h.deps.db;
    const submitter = { id: 7101, first_name: 'Ana', language_code: 'en' };
    const inDanger = { id: 7102, first_name: 'Bo', language_code: 'en' };
    // The submitter reaches the review.
    await h.command(submitter, '/start');
    for (const [how, what] of [
      ['click', 'English'],
      ['click', 'I agree'],
      ['click', "Yes, I'm safe"],
      ['text', 'Ana'],
      ['click', 'Housing'],
      ['text', 'My landlord wants me out by the end of the month.'],
      ['text', 'A safe place to live.'],
      ['text', 'My sister, sometimes.'],
      ['click', 'Skip'],
      ['click', 'This week'],
      ['click', 'Evenings'],
      ['click', 'London'],
    ] as const) {
      if (how === 'click') await h.click(submitter, what);
      else await h.text(submitter, what);
    }

    // A housing case's insert waits while the test holds advisory lock 771001 (a crisis case is 'other').
    await db.execute(
      sql.raw(`create or replace function test_hold_case_insert() returns trigger language plpgsql as $$
      begin perform pg_advisory_lock_shared(771001); perform pg_advisory_unlock_shared(771001); return new; end $$`),
    );
    await db.execute(
      sql.raw(
        `create trigger test_hold_case_insert before insert on cases for each row when (new.category = 'housing') execute function test_hold_case_insert()`,
      ),
    );
    const holder = new pg.Client({ connectionString: (h.deps.database as TestDatabase).url });
    await holder.connect();
    await holder.query('select pg_advisory_lock(771001)');
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await holder.query('select pg_advisory_unlock(771001)');
    };
    try {
      let submitted = false;
      const submitting = h.click(submitter, 'Send my request').then((r) => {
        submitted = true;
        return r;
      });
      // The submission is inside its transaction, waiting at its case insert.
      await expect
        .poll(async () => (await holder.query(`select count(*)::int n from pg_locks where locktype = 'advisory' and objid = 771001 and not granted`)).rows[0].n)
        .toBe(1);

      void h.text(inDanger, 'I want to kill myself tonight');
      const crisisCase = async () => {
        const [c] = await db.select({ id: clients.id }).from(clients).where(eq(clients.telegramUserId, inDanger.id));
        return c ? (await db.select().from(cases).where(eq(cases.clientId, c.id)))[0] : undefined;
      };
      // Recorded, with a case and a reference of its own, while the submission still waits.
      await expect.poll(async () => (await crisisCase())?.crisis, { timeout: 10_000, message: 'the crisis case, with the submission held' }).toBe(true);
      expect(submitted).toBe(false);

      await release();
      const done = await submitting;
      const reference = /C-\d{4}-\d{4}/.exec(done.at(-1)!.text!)?.[0];
      expect(reference).toBeDefined();
      expect(reference).not.toBe((await crisisCase())!.reference);
    } finally {
      await release();
      await holder.end();
      await db.execute(sql.raw('drop trigger if exists test_hold_case_insert on cases'));
      await db.execute(sql.raw('drop function if exists test_hold_case_insert()'));
    }
  });
});
