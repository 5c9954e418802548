/**
 * npm run bench            every benchmark, in order
 * npm run bench -- B2 B4   only those
 * npm run bench -- --full  the full sizes (10k reminders, 1M cases, …)
 * Sizes: see bench/README.md (env B1_CLIENTS, B2_N, B3_CASES, B4_N, …).
 * Figures are reported, never asserted: a slow machine does not fail the run.
 */
import { b1 } from './b1-intake.js';
import { b2 } from './b2-burst.js';
import { b3 } from './b3-sweeps.js';
import { b4 } from './b4-booking.js';
import { b5 } from './b5-footprint.js';
import { b8 } from './crisis-detection.js';
import { b6 } from './b6-faults.js';
import { b7 } from './b7-crisis.js';
import { b9 } from './b9-reports.js';

const all: Record<string, () => Promise<void>> = {
  B1: b1,
  B2: b2,
  B3: b3,
  B4: b4,
  B5: b5,
  B8: b8,
  B6: b6,
  B7: b7,
  B9: b9,
};

const wanted = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'))
  .map((a) => a.toUpperCase());
const unknown = wanted.filter((w) => !all[w]);
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Choose from ${Object.keys(all).join(', ')}.`);
  process.exit(2);
}
const chosen = wanted.length ? wanted : Object.keys(all);
let failed = 0;
for (const name of chosen) {
  const t0 = Date.now();
  try {
    await all[name]!();
  } catch (err) {
    failed++;
    console.error(`${name} could not run:`, err);
  }
  console.log(`(${name} took ${Math.round((Date.now() - t0) / 1000)} s)`);
}
process.exit(failed ? 1 : 0);
