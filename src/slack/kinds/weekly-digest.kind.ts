import type { FourElements } from '../../cases/case.domain.js';
import { deliveryKind } from '../../delivery/kinds/kind.js';
import { weeklyDigest } from '../../escalations/weekly-digest.js';
import { section } from '../ui/blocks.js';

/**
 * Each supervisor's Monday 09:00 digest (their zone), planned by
 * planWeeklyDigests: overdue follow-ups by worker, quiet cases, cases missing
 * one of the four elements, open escalations. References only.
 */
const LIST_MAX = 15;
const SHORT_ELEMENT: Record<keyof FourElements, string> = { goal: 'goal', plan: 'plan', assessment: 'assessment', selfHelp: 'self-help focus' };
const list = (refs: string[]) => (refs.length > LIST_MAX ? `${refs.slice(0, LIST_MAX).join(', ')} and ${refs.length - LIST_MAX} more` : refs.join(', '));

export const weeklyDigestKind = deliveryKind({
  kind: 'weekly_digest',
  async render(deps, row) {
    const d = await weeklyDigest(deps, row);
    if ('skip' in d) return d;
    const lines: string[] = [`*Weekly digest* — week ${d.week}, ${d.openCount} open case${d.openCount === 1 ? '' : 's'}.`];
    lines.push(
      d.overdue.length
        ? `*Overdue follow-ups*\n${d.overdue.map((o) => `• ${o.workerSlackId ? `<@${o.workerSlackId}>` : 'unassigned'}: ${o.references.length} — ${list(o.references)}`).join('\n')}`
        : '*Overdue follow-ups*: none.',
    );
    lines.push(`*Quiet cases* (no note for too long): ${d.quiet.length ? list(d.quiet) : 'none'}.`);
    const missing = d.missing.map((m) => `${m.reference} (${m.gaps.map((k) => SHORT_ELEMENT[k]).join(', ')})`);
    lines.push(`*Missing one of the four elements*: ${missing.length ? list(missing) : 'none'}.`);
    lines.push(
      `*Open escalations*: ${d.escalations.length ? list(d.escalations.map((e) => `${e.reference} ${e.reason.replace(/_/g, ' ')}${e.acknowledged ? ' (acknowledged)' : ''}`)) : 'none'}.`,
    );
    const text = lines.join('\n');
    return { channel: 'slack', to: d.supervisor.slackUserId, text, blocks: lines.map((l) => section(l)) };
  },
});
