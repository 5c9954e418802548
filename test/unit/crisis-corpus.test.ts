/**
 * The detector over the labelled corpus (bench/crisis-corpus): a change that
 * loses recall or starts paging for ordinary messages fails here, before the
 * benchmark is ever run. Not timed (the benchmark reports speed).
 */
import { describe, expect, it } from 'vitest';
import { FRESH_SETS, loadCorpus, loadFreshCorpus, score } from '../../bench/crisis-corpus.js';
import { detectCrisis } from '../../src/intake/crisis.domain.js';

const RECALL_MIN = 0.97;
const FPR_MAX = 0.03;
const detect = (t: string) => detectCrisis(t) !== null;

describe.each(['en', 'zh'] as const)('crisis corpus (%s)', (language) => {
  const corpus = loadCorpus(language);

  it('has at least 300 crisis and 300 ordinary messages', () => {
    expect(corpus.filter((c) => c.crisis).length).toBeGreaterThanOrEqual(300);
    expect(corpus.filter((c) => !c.crisis).length).toBeGreaterThanOrEqual(300);
  });

  it.each([
    ['the whole corpus', () => corpus],
    ['the held-out quarter', () => corpus.filter((c) => c.heldOut)],
    ['the fresh sets written after tuning', () => FRESH_SETS.flatMap((set) => loadFreshCorpus(language, set))],
  ])(`recall ≥ ${RECALL_MIN} and false positives ≤ ${FPR_MAX} on %s`, (_, part) => {
    const s = score(part(), detect);
    const detail = `missed: ${JSON.stringify(s.missed.map((m) => m.text))}\nfalse alarms: ${JSON.stringify(s.flagged.map((m) => m.text))}`;
    expect(s.recall, detail).toBeGreaterThanOrEqual(RECALL_MIN);
    expect(s.falsePositiveRate, detail).toBeLessThanOrEqual(FPR_MAX);
  });
});
