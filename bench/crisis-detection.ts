/**
 * B8 — crisis detection. The real detectCrisis (built-in patterns + default
 * phrases, as the bot runs it with no agency phrases) over the labelled corpus
 * in bench/crisis-corpus: recall and false-positive rate per language, on the
 * whole corpus, the part it was tuned on, the held-out quarter and the fresh
 * sets written after tuning (their blind figures are in bench/README.md); then speed,
 * since it runs on every client message: µs per message over the corpus
 * (B8_RUNS passes after warm-up), per-message p50/p99, and the slowest inputs
 * of the maximum Telegram length (4,096 characters), ordinary and adversarial.
 * Pure CPU: no database, Redis or emulator.
 */
import { detectCrisis } from '../src/intake/crisis.domain.js';
import { FRESH_SETS, loadCorpus, loadFreshCorpus, loadNetSet, NET_SETS, score, type CorpusItem, type CorpusLanguage } from './crisis-corpus.js';
import { detectConcern } from '../src/intake/crisis.concern.js';
import { envInt, quantile, r2, report, spread, type Row } from './lib.js';

const RECALL_GOAL = 0.97;
const FPR_GOAL = 0.03;
const detect = (t: string) => detectCrisis(t) !== null;
const pct = (x: number) => `${r2(x * 100)}%`;

function quality(language: CorpusLanguage, items: CorpusItem[]) {
  const parts: Record<string, CorpusItem[]> = {
    all: items,
    tuned: items.filter((i) => !i.heldOut),
    heldOut: items.filter((i) => i.heldOut),
  };
  for (const set of FRESH_SETS) parts[set] = loadFreshCorpus(language, set);
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  for (const [name, part] of Object.entries(parts)) {
    const s = score(part, detect);
    rows.push({
      metric: `${language} ${name}: recall (${s.caught}/${s.crisis})`,
      value: pct(s.recall),
      goal: `≥ ${pct(RECALL_GOAL)}`,
      met: s.recall >= RECALL_GOAL,
    });
    rows.push({
      metric: `${language} ${name}: false positives (${s.falseAlarms}/${s.ordinary})`,
      value: pct(s.falsePositiveRate),
      goal: `≤ ${pct(FPR_GOAL)}`,
      met: s.falsePositiveRate <= FPR_GOAL,
    });
    data[name] = {
      crisis: s.crisis,
      ordinary: s.ordinary,
      caught: s.caught,
      falseAlarms: s.falseAlarms,
      recall: s.recall,
      falsePositiveRate: s.falsePositiveRate,
      missed: s.missed.map((m) => ({ line: m.line, text: m.text })),
      falseAlarmTexts: s.flagged.map((m) => ({ line: m.line, text: m.text, matched: detectCrisis(m.text)?.phrase })),
    };
  }
  return { rows, data };
}

function speed(language: CorpusLanguage, texts: string[], runs: number) {
  for (let w = 0; w < 3; w++) for (const t of texts) detectCrisis(t);
  const perRun: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const t of texts) detectCrisis(t);
    perRun.push(((performance.now() - t0) * 1000) / texts.length);
  }
  // Per message: the best of 5 rounds of 10 calls, so a busy shared machine's pauses do not read as slow messages.
  const each = texts.map((t) => {
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      for (let i = 0; i < 10; i++) detectCrisis(t);
      best = Math.min(best, ((performance.now() - t0) * 1000) / 10);
    }
    return best;
  });
  const s = spread(perRun);
  return {
    rows: [
      { metric: `${language}: µs per message, corpus mean`, value: `${r2(s.median)} (${r2(s.min)}–${r2(s.max)})` },
      {
        metric: `${language}: µs per message p50 / p99 / max (best of 5)`,
        value: `${r2(quantile(each, 0.5))} / ${r2(quantile(each, 0.99))} / ${r2(Math.max(...each))}`,
      },
    ] as Row[],
    data: { usPerMessage: s, p50: quantile(each, 0.5), p99: quantile(each, 0.99), max: Math.max(...each) },
  };
}

/** Messages of Telegram's maximum length: ordinary prose, and inputs shaped to make the patterns backtrack. */
function worstCases(): { rows: Row[]; data: Record<string, number> } {
  const max = 4096;
  const fill = (s: string) => s.repeat(Math.ceil(max / s.length)).slice(0, max);
  const inputs: Record<string, string> = {
    'English prose': fill('I need help with my rent and the council letter, my landlord wants us out. '),
    'Chinese prose': fill('我需要帮忙交房租，房东要我月底搬走，孩子也病了。'),
    'he he he …': fill('he '),
    'my husband is …': fill('my husband is '),
    '打打打 …': fill('打'),
    '我被我被 …': fill('我被'),
    '!!!! / 1111': fill('!1'),
    'k i l l …': fill('k i l l '),
  };
  const data: Record<string, number> = {};
  for (const [name, text] of Object.entries(inputs)) {
    detectCrisis(text);
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      detectCrisis(text);
      best = Math.min(best, (performance.now() - t0) * 1000);
    }
    data[name] = r2(best);
  }
  const slowest = Object.entries(data).sort((a, b) => b[1] - a[1])[0]!;
  return {
    rows: [
      { metric: '4,096-char ordinary message, en / zh: µs (best of 5)', value: `${data['English prose']} / ${data['Chinese prose']}` },
      { metric: `4,096-char adversarial, slowest ("${slowest[0]}"): µs`, value: String(slowest[1]) },
    ],
    data,
  };
}

/**
 * Both nets on the sets written last: how many crisis messages are paged (detectCrisis), asked
 * "are you safe right now?" with the contacts (detectConcern), or missed; how many ordinary
 * messages are paged or asked. Goal: ≥ 95% reached, ≤ 15% of ordinary ones asked or paged.
 */
function nets(): { rows: Row[]; data: Record<string, unknown> } {
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  const tier = (t: string) => (detectCrisis(t) ? 'page' : detectConcern(t) ? 'ask' : 'none');
  for (const name of NET_SETS) {
    const items = loadNetSet(name);
    const c = items.filter((i) => i.crisis).map((i) => tier(i.text));
    const o = items.filter((i) => !i.crisis).map((i) => tier(i.text));
    const n = (xs: string[], k: string) => xs.filter((x) => x === k).length;
    const reached = (c.length - n(c, 'none')) / c.length;
    const bothered = (o.length - n(o, 'none')) / o.length;
    rows.push({
      metric: `${name}: crisis reached (paged ${n(c, 'page')} + asked ${n(c, 'ask')} of ${c.length})`,
      value: pct(reached),
      goal: '≥ 95%',
      met: reached >= 0.95,
    });
    rows.push({
      metric: `${name}: ordinary paged ${n(o, 'page')} + asked ${n(o, 'ask')} of ${o.length}`,
      value: pct(bothered),
      goal: '≤ 15%',
      met: bothered <= 0.15,
    });
    data[name] = {
      crisis: c.length,
      paged: n(c, 'page'),
      asked: n(c, 'ask'),
      missed: items.filter((i) => i.crisis && tier(i.text) === 'none').map((i) => i.text),
      ordinary: o.length,
      ordinaryPaged: n(o, 'page'),
      ordinaryAsked: n(o, 'ask'),
    };
  }
  return { rows, data };
}

export async function b8(): Promise<void> {
  const runs = envInt('B8_RUNS', 5);
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  for (const language of ['en', 'zh'] as const) {
    const items = loadCorpus(language);
    const q = quality(language, items);
    const sp = speed(
      language,
      items.map((i) => i.text),
      runs,
    );
    rows.push(...q.rows, ...sp.rows);
    data[language] = { ...q.data, speed: sp.data };
  }
  const nt = nets();
  rows.push(...nt.rows);
  data.nets = nt.data;
  const w = worstCases();
  rows.push(...w.rows);
  data.worstCaseMicroseconds = w.data;
  report({
    name: 'B8',
    title: 'crisis detection: recall / false positives on the labelled corpus, µs per message',
    params: { runs, corpus: 'bench/crisis-corpus/{en,zh}.tsv', heldOut: 'FNV-1a(text) % 4 === 3' },
    rows,
    data,
  });
}
