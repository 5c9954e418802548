import { describe, expect, it } from 'vitest';
import { ACTIONS, FIELDS, INPUT, VIEWS } from '../../src/slack/ui/ids.js';

/** One owner for every Slack id: each action and view id is written once, and no two names share one. */
describe('Slack ids', () => {
  it('every action id and every view callback id is distinct', () => {
    for (const ids of [Object.values(ACTIONS), Object.values(VIEWS)]) expect(new Set(ids).size).toBe(ids.length);
  });

  it('modal fields are distinct and never the input action id', () => {
    const fixed = Object.values(FIELDS).filter((v) => typeof v === 'string');
    expect(new Set(fixed).size).toBe(fixed.length);
    expect(fixed).not.toContain(INPUT);
    expect([FIELDS.goal(0), FIELDS.assess(1), FIELDS.target(2), FIELDS.outcome(3)]).toEqual(['goal_0', 'assess_1', 'target_2', 'outcome_3']);
  });
});
