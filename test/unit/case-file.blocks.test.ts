import { describe, expect, it } from 'vitest';
import { fitView, fullIntakeModal, labelledSections, splitText } from '../../src/slack/ui/case-file.blocks.js';
import { section } from '../../src/slack/ui/blocks.js';
import { intakeEntries } from '../../src/cases/case-file.js';

/** Block Kit's limits: 3,000 characters per section, 100 blocks per view. Long answers are split, never cut. */
describe('fitting the case file into Block Kit', () => {
  it('splits a long answer at word breaks into sections of at most 3,000 characters, losing nothing', () => {
    const words = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');
    const blocks = labelledSections('What is happening (their words)', words) as Array<{ text: { text: string } }>;
    expect(blocks.length).toBeGreaterThan(3);
    for (const b of blocks) expect([...b.text.text].length).toBeLessThanOrEqual(3000);
    const joined = blocks
      .map((b) => b.text.text)
      .join(' ')
      .replace('*What is happening (their words)*\n', '');
    expect(joined).toBe(words);
  });

  it('splits text with no spaces (Chinese) by characters, counting code points', () => {
    const zh = '我'.repeat(7000);
    const parts = splitText(zh, 3000);
    expect(parts.map((p) => [...p].length)).toEqual([3000, 3000, 1000]);
    expect(parts.join('')).toBe(zh);
  });

  it('a view over 100 blocks ends with a note instead of failing', () => {
    const many = Array.from({ length: 130 }, (_, i) => section(`b${i}`));
    const fitted = fitView(many, 'more');
    expect(fitted).toHaveLength(100);
    expect(JSON.stringify(fitted.at(-1))).toContain('more');
  });

  it('the intake modal names every answer in words, not codes', () => {
    const view = fullIntakeModal(
      'C-2026-0001',
      intakeEntries({
        v: 1,
        language: 'zh',
        safety: 'unsure',
        complete: false,
        answers: {
          name: '林',
          category: 'work_money',
          story: 's',
          change: 'c',
          support: { kind: 'none' },
          strengths: { kind: 'text', text: 'cooking' },
          urgency: 'no_rush',
          availability: { kind: 'text', text: 'after 6pm' },
          timezone: 'Asia/Shanghai',
        },
      }),
      'id',
    );
    const t = JSON.stringify(view);
    for (const s of [
      'Work & money',
      'No rush',
      'after 6pm',
      'Chinese',
      'Not sure they are safe',
      '_No one, they said_',
      'cooking',
      'had not finished the questions',
    ])
      expect(t).toContain(s);
    expect(t).not.toContain('work_money');
  });
});
