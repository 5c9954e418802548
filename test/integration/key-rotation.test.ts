import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../src/lib/crypto.js';
import { countByKey, rotateKeys } from '../../src/keys/key-rotation.js';
import { loadCaseCard } from '../../src/cases/case-card.js';
import { buildCaseExport } from '../../src/cases/case-export.service.js';
import { CLIENT_CHAT, createWorld, type World } from './delivery-fixtures.js';
import { scanDatabase } from '../helpers/personal-data-scan.js';
import { seedClient, type Seeded } from './lifecycle-fixtures.js';

/**
 * Rotation to completion: after `keys:rotate` no value is left under the old
 * key, in any column (including sealed columns without the `_enc` suffix), and
 * the service reads everything with only the new key configured.
 */
const OLD = { id: 'test1', key: Buffer.alloc(32, 9) };
const NEW = { id: 'k2', key: Buffer.alloc(32, 7) };
let w: World;
let s: Seeded;
beforeAll(async () => {
  w = await createWorld();
  s = await seedClient(w, CLIENT_CHAT, 'R', { clientId: w.clientId });
});
afterAll(async () => w?.close());

describe('npm run keys:rotate', () => {
  it('re-encrypts every value in batches, resumes after a crash, and leaves zero under the old key', async () => {
    const rotating = new FieldCipher([NEW, OLD]);
    const before = await countByKey(w.deps.db, rotating);
    const stale = Object.fromEntries(before.filter((c) => c.stale > 0).map((c) => [c.column, c.stale]));
    expect(Object.keys(stale)).toEqual(
      expect.arrayContaining([
        'cases.intake_enc',
        'cases.plan_enc',
        'clients.preferred_name_enc',
        'goals.description_enc',
        'notes.body_enc',
        'escalations.snooze_reason',
        'escalations.resolution',
        'intake_sessions.state_enc',
      ]),
    );
    expect(stale['notes.body_enc']).toBe(3);

    // A worker that dies after the first batch: part is done, the rest still old.
    let calls = 0;
    await expect(
      rotateKeys(w.deps.db, rotating, {
        batchSize: 2,
        onProgress: (p) => {
          if (p.done > 0 && ++calls === 2) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const mid = await countByKey(w.deps.db, rotating);
    const midStale = mid.reduce((n, c) => n + c.stale, 0);
    expect(midStale).toBeGreaterThan(0);
    expect(midStale).toBeLessThan(before.reduce((n, c) => n + c.stale, 0));

    const progress: string[] = [];
    const res = await rotateKeys(w.deps.db, rotating, { batchSize: 2, onProgress: (p) => progress.push(`${p.column} ${p.done}/${p.total}`) });
    expect(res.failed).toEqual([]);
    expect(res.remaining.filter((c) => c.stale > 0)).toEqual([]);
    expect(res.rewritten).toBe(midStale);
    expect(progress).toContain('notes.body_enc 2/3');
    // Running again finds nothing to do.
    expect((await rotateKeys(w.deps.db, rotating, { batchSize: 2 })).rewritten).toBe(0);
  });

  it('the service then reads everything with only the new key', async () => {
    const onlyNew = new FieldCipher([NEW]);
    const { hits } = await scanDatabase(w.deps.db, onlyNew, { strings: [], numbers: [] });
    expect(hits).toEqual([]);
    const deps = { ...w.deps, cipher: onlyNew };
    const card = await loadCaseCard(deps, s.caseId);
    expect(card).toMatchObject({ clientFirstName: 'Meilin', plan: s.strings[4] });
    const x = await buildCaseExport(deps, s.caseId, { id: w.workerId, displayName: 'Worker' });
    expect(x!.intake!.answers.story).toBe(s.strings[1]);
    expect(x!.notes.map((n) => n.text)).toEqual(expect.arrayContaining([s.strings[8], s.strings[9]]));
    // And the old key alone opens nothing any more.
    const onlyOld = new FieldCipher([OLD]);
    expect((await scanDatabase(w.deps.db, onlyOld, { strings: [], numbers: [] })).hits.length).toBeGreaterThan(5);
  });
});
