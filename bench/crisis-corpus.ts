/**
 * The labelled crisis corpus (bench/crisis-corpus/en.tsv, zh.tsv): one message a
 * line, `crisis` or `ordinary`, a TAB, the text. Lines starting with # are
 * comments; `\uXXXX` is decoded so zero-width and control characters can be
 * written visibly. A quarter of the lines, chosen by a hash of the text (so a
 * line's split never depends on its position), is held out: the detector was
 * tuned on the rest only, and the benchmark reports both parts. Further
 * fresh sets (en-fresh*.tsv, zh-fresh*.tsv) were written after tuning, as
 * blind checks of how the detector generalises: loadFreshCorpus.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type CorpusLanguage = 'en' | 'zh';
export interface CorpusItem {
  language: CorpusLanguage;
  crisis: boolean;
  text: string;
  heldOut: boolean;
  line: number;
}

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crisis-corpus');

/** FNV-1a over the UTF-16 code units: stable, dependency-free, good enough to split a corpus. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export const isHeldOut = (text: string): boolean => fnv1a(text) % 4 === 3;

export function loadCorpus(language: CorpusLanguage): CorpusItem[] {
  return parse(language, `${language}.tsv`, isHeldOut);
}

/**
 * The sets written after tuning, every line held out: `fresh` after the first
 * round and `fresh2` after the second (each tuned on once its blind figures
 * were recorded), `fresh3` after the last round and never tuned on.
 */
export type FreshSet = 'fresh' | 'fresh2' | 'fresh3';
export const FRESH_SETS: readonly FreshSet[] = ['fresh', 'fresh2', 'fresh3'];
export function loadFreshCorpus(language: CorpusLanguage, set: FreshSet = 'fresh'): CorpusItem[] {
  return parse(language, `${language}-${set}.tsv`, () => true);
}

function parse(language: CorpusLanguage, file: string, heldOut: (text: string) => boolean): CorpusItem[] {
  const raw = readFileSync(path.join(DIR, file), 'utf8');
  const out: CorpusItem[] = [];
  raw.split('\n').forEach((l, i) => {
    if (l.trim() === '' || l.startsWith('#')) return;
    const tab = l.indexOf('\t');
    const label = l.slice(0, tab);
    if (tab < 0 || (label !== 'crisis' && label !== 'ordinary')) throw new Error(`${file}:${i + 1}: expected "crisis|ordinary<TAB>text"`);
    const text = l.slice(tab + 1).replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    out.push({ language, crisis: label === 'crisis', text, heldOut: heldOut(text), line: i + 1 });
  });
  return out;
}

export interface Score {
  crisis: number;
  ordinary: number;
  caught: number;
  falseAlarms: number;
  recall: number;
  falsePositiveRate: number;
}

export function score(items: readonly CorpusItem[], detect: (text: string) => boolean): Score & { missed: CorpusItem[]; flagged: CorpusItem[] } {
  const missed: CorpusItem[] = [];
  const flagged: CorpusItem[] = [];
  let crisis = 0;
  let ordinary = 0;
  for (const it of items) {
    const hit = detect(it.text);
    if (it.crisis) {
      crisis++;
      if (!hit) missed.push(it);
    } else {
      ordinary++;
      if (hit) flagged.push(it);
    }
  }
  const caught = crisis - missed.length;
  return {
    crisis,
    ordinary,
    caught,
    falseAlarms: flagged.length,
    recall: crisis ? caught / crisis : NaN,
    falsePositiveRate: ordinary ? flagged.length / ordinary : NaN,
    missed,
    flagged,
  };
}

/**
 * The sets for both nets together (detectCrisis, then detectConcern): fresh4 (en, zh and
 * other languages) written before the concern net, fresh5 written by someone who never saw
 * either; each measured blind first (bench/README.md, B8). `xx` holds languages other than
 * English and Chinese.
 */
export const NET_SETS = ['en-fresh4', 'zh-fresh4', 'xx-fresh4', 'en-fresh5', 'zh-fresh5', 'xx-fresh5'] as const;
export function loadNetSet(name: (typeof NET_SETS)[number]): CorpusItem[] {
  return parse(name.startsWith('zh') ? 'zh' : 'en', `${name}.tsv`, () => true);
}
