import type { Button as ButtonElement } from '@slack/types';
import type { DateTime } from 'luxon';
import type { CaseCard } from '../../cases/case-card.js';
import { ELEMENT_LABELS, PHASE_LABELS, type FourElements } from '../../cases/case.domain.js';
import { NOTE_KIND_LABELS } from '../../cases/case-notes.service.js';
import { staffTime } from '../../appointments/appointment.format.js';
import { actions, button, clip, context, esc, fields, header, section, type Block } from './blocks.js';
import { caseFileButtons, categoryLabel } from './case-file.blocks.js';
import { referralLine } from './referrals.blocks.js';
import { ACTIONS, BLOCKS } from './ids.js';

/**
 * The case card: who, where in the process, the four elements (present or
 * missing), the last record and its age, the next follow-up and appointment,
 * and the buttons to act. Times are shown in the reader's zone.
 */
export const PRIORITY_LABEL: Record<string, string> = { crisis: '🚨 CRISIS', high: 'High', normal: 'Normal', low: 'Low' };
const TYPE_LABEL: Record<string, string> = { therapeutic: 'Therapeutic', developmental: 'Developmental' };
const MODE: Record<string, string> = { in_person: 'in person', phone: 'phone', video: 'video' };
const RESPONSE: Record<string, string> = { confirmed: 'client confirmed', needs_other_time: 'client needs another time', cant_come: "client can't come" };

export function elementsLine(e: FourElements): string {
  return (Object.keys(ELEMENT_LABELS) as Array<keyof FourElements>)
    .map((k) => `${e[k] ? '✅' : '⚠️'} ${ELEMENT_LABELS[k]}${e[k] ? '' : ' — *missing*'}`)
    .join('\n');
}

export function caseButtons(caseId: string, opts: { withOpen?: boolean } = {}): ButtonElement[] {
  return [
    ...(opts.withOpen ? [button({ text: 'Open case', actionId: ACTIONS.show, value: caseId })] : []),
    button({ text: 'Log note', actionId: ACTIONS.logNote, value: caseId, style: 'primary' }),
    button({ text: 'Schedule appointment', actionId: ACTIONS.schedule, value: caseId }),
    button({ text: 'Goals & plan', actionId: ACTIONS.goals, value: caseId }),
    button({ text: 'Move phase', actionId: ACTIONS.phase, value: caseId }),
    button({ text: 'Message client', actionId: ACTIONS.message, value: caseId }),
    button({ text: 'Close case', actionId: ACTIONS.close, value: caseId, style: 'danger' }),
  ];
}

export function caseCardText(card: CaseCard): string {
  return `${card.crisis ? '🚨 CRISIS — ' : ''}Case ${card.reference}${card.clientFirstName ? ` (${esc(card.clientFirstName)})` : ''}: ${PHASE_LABELS[card.phase] ?? card.phase}`;
}

/** What the client said at intake, clipped: the card stays short; [Full intake] shows every answer. */
const INTAKE_EXCERPT_CHARS = 280;
function intakeExcerpt(card: CaseCard): string {
  const i = card.intake;
  if (!i || (!i.story && !i.change)) return '*At intake:* _no answers recorded_ — see [Full intake].';
  const lines = ['*At intake the client said:*'];
  if (i.story) lines.push(`“${esc(clip(i.story, INTAKE_EXCERPT_CHARS))}”`);
  if (i.change) lines.push(`_Would like to be different:_ “${esc(clip(i.change, INTAKE_EXCERPT_CHARS))}”`);
  if (!i.complete) lines.push('⚠️ _The intake was not finished (crisis during the questions)._');
  return lines.join('\n');
}

export function caseCardBlocks(card: CaseCard, zone: string, now: DateTime): Block[] {
  const blocks: Block[] = [header(`${card.crisis ? '🚨 ' : ''}Case ${card.reference}`)];
  if (card.crisis) blocks.push(section('*🚨 CRISIS reported on this case.* Check the client is safe and follow the crisis procedure.'));
  blocks.push(
    fields([
      `*Client:* ${card.clientErased ? '_erased_' : card.clientFirstName ? esc(card.clientFirstName) : '_no name given_'}`,
      `*Worker:* ${card.worker ? `<@${card.worker.slackUserId}>` : '_unassigned_'}`,
      `*Phase:* ${PHASE_LABELS[card.phase] ?? card.phase}${card.status !== 'open' ? ` (${card.status})` : ''}`,
      `*Type:* ${card.type ? TYPE_LABEL[card.type] : '_not set_'}`,
      `*Priority:* ${PRIORITY_LABEL[card.priority] ?? card.priority}`,
      `*Category:* ${categoryLabel(card.category)}`,
    ]),
  );
  blocks.push(section(`*The four elements*\n${elementsLine(card.elements)}`));
  blocks.push(section(intakeExcerpt(card)));
  if (card.goals.length) {
    blocks.push(
      section(
        card.goals
          .map(
            (g, i) =>
              `*Goal ${i + 1}:* ${esc(g.description)}${g.assessment ? `\n   _Assessed by:_ ${esc(g.assessment)}` : ''}${g.targetDate ? `\n   _Target:_ ${g.targetDate}` : ''}${g.status !== 'active' ? ` (${g.status.replace('_', ' ')})` : ''}`,
          )
          .join('\n'),
      ),
    );
  }
  const last = card.lastNote
    ? `*Last note:* ${NOTE_KIND_LABELS[card.lastNote.kind] ?? card.lastNote.kind}, ${card.lastNote.age}${card.lastNote.excerpt ? ` — “${esc(card.lastNote.excerpt)}”` : ''}`
    : '*Last note:* _none yet_';
  const follow = card.nextFollowUpAt
    ? `*Next follow-up:* ${staffTime(card.nextFollowUpAt.toJSDate(), zone)}${card.followUpOverdue ? ' — ⏰ *overdue*' : ''}`
    : '*Next follow-up:* _not set_';
  const appt = card.nextAppointment
    ? `*Next appointment:* ${staffTime(card.nextAppointment.startsAt.toJSDate(), zone)}, ${MODE[card.nextAppointment.mode] ?? card.nextAppointment.mode}, ${card.nextAppointment.durationMin} min${card.nextAppointment.clientResponse ? ` (${RESPONSE[card.nextAppointment.clientResponse]})` : ''}`
    : '*Next appointment:* _none booked_';
  blocks.push(section([last, follow, appt].join('\n')));
  if (card.referrals.length)
    blocks.push(
      section(
        `*Referrals*\n${card.referrals
          .slice(-5)
          .map((r) => referralLine({ ...r, reason: '', consent: null }))
          .join('\n')}`,
      ),
    );
  if (card.status === 'open') {
    blocks.push(actions(BLOCKS.case(card.id), caseButtons(card.id)));
    if (card.nextAppointment) {
      blocks.push(
        actions(BLOCKS.appointment(card.nextAppointment.id), [
          button({ text: 'Reschedule appointment', actionId: ACTIONS.reschedule, value: card.nextAppointment.id }),
          button({ text: 'Cancel appointment', actionId: ACTIONS.cancel, value: card.nextAppointment.id }),
        ]),
      );
    }
  }
  blocks.push(caseFileButtons(card.id));
  blocks.push(context(`Times in ${zone}. Shown ${now.setZone(zone).toFormat('d LLL HH:mm')}.`));
  return blocks;
}
