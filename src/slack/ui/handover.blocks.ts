import type { ModalView } from '@slack/types';
import type { DateTime } from 'luxon';
import type { HandoverPacket } from '../../handover/handover-packet.js';
import { NOTE_KIND_LABELS } from '../../cases/case-notes.service.js';
import { staffTime } from '../../appointments/appointment.format.js';
import { elementsLine } from './case-card.blocks.js';
import { actions, button, clip, context, esc, header, modal, multiSelectInput, section, type Block } from './blocks.js';
import { ACTIONS, BLOCKS, FIELDS, VIEWS } from './ids.js';

/**
 * The handover packet (one per moved case, in the covering worker's DM) and
 * the supervisor's confirmation with [Undo handover]. The packet carries the
 * client's words from the last notes: it goes only to the worker who now
 * holds the case, and its `text` (the notification preview) names only the reference.
 */
const MODE: Record<string, string> = { in_person: 'in person', phone: 'phone', video: 'video' };
const REASON: Record<string, string> = {
  follow_up_overdue: 'Follow-up overdue',
  quiet_case: 'No note for too long',
  unassigned_intake: 'Unassigned intake',
  crisis: '🚨 Crisis',
  no_show_repeat: 'Repeated no-shows',
};
const NOT_TOLD: Record<string, string> = {
  crisis_open: 'a crisis is open on this case',
  intake_paused: 'the client paused their request after a crisis',
};

export function handoverPacketText(p: HandoverPacket): string {
  return `Handover: case ${p.card.reference} is now yours${p.untilOn ? ` until ${p.untilOn}` : ''}`;
}

export function handoverPacketBlocks(p: HandoverPacket, fromSlackId: string | null, zone: string, now: DateTime): Block[] {
  const c = p.card;
  const who = fromSlackId ? `<@${fromSlackId}>` : 'a colleague';
  const notes = p.notes.length
    ? p.notes
        .map(
          (n) =>
            `• ${staffTime(n.at.toJSDate(), zone)} · ${n.kind === 'message' ? `message ${n.direction === 'from_client' ? 'from' : 'to'} the client` : (NOTE_KIND_LABELS[n.kind] ?? n.kind)}\n   ${n.text ? `“${esc(clip(n.text, 600))}”` : '_(blank: redacted)_'}`,
        )
        .join('\n')
    : '_No notes yet._';
  const appt = c.nextAppointment
    ? `${staffTime(c.nextAppointment.startsAt.toJSDate(), zone)}, ${MODE[c.nextAppointment.mode] ?? c.nextAppointment.mode}, ${c.nextAppointment.durationMin} min — its reminders now come to you`
    : '_none booked_';
  const escs = p.escalations.length
    ? p.escalations
        .map(
          (e) =>
            `• ${REASON[e.reason] ?? e.reason} (level ${e.level}, opened ${staffTime(e.openedAt.toJSDate(), zone)}${e.acknowledged ? ', acknowledged' : ''}) — now comes to you`,
        )
        .join('\n')
    : '_none_';
  const goals = c.goals.length
    ? c.goals.map((g, i) => `*Goal ${i + 1}:* ${esc(g.description)}${g.assessment ? ` — _assessed by:_ ${esc(g.assessment)}` : ''}`).join('\n')
    : '';
  return [
    header(`Handover: ${c.reference}`),
    section(
      `${who}'s case ${c.reference} is now yours${p.untilOn ? `, until *${p.untilOn}* (it goes back to them that morning)` : ''}. Client: ${c.clientErased ? '_erased_' : c.clientFirstName ? esc(c.clientFirstName) : '_no name given_'}.`,
    ),
    section(
      `*The four elements*\n${elementsLine(c.elements)}${goals ? `\n${goals}` : ''}${c.plan ? `\n*Plan:* ${esc(clip(c.plan, 500))}` : ''}${c.selfHelp ? `\n*Self-help focus:* ${esc(clip(c.selfHelp, 300))}` : ''}`,
    ),
    section(`*Last notes* (newest first)\n${notes}`),
    section(`*Next appointment:* ${appt}`),
    section(`*Open escalations*\n${escs}`),
    p.clientNotTold
      ? section(`:warning: *The client has not been told about the change*, because ${NOT_TOLD[p.clientNotTold]}. Please tell them yourself when it is safe.`)
      : context('The client is told in their language who their contact is now (outside their quiet hours).'),
    actions(BLOCKS.handoverPacket(c.id), [button({ text: 'Open case', actionId: ACTIONS.show, value: c.id })]),
    context(`Times in ${zone}. Shown ${now.setZone(zone).toFormat('d LLL HH:mm')}.`),
  ];
}

export function handoverDoneBlocks(text: string, handoverId: string): Block[] {
  return [
    section(text),
    actions(BLOCKS.handover(handoverId), [button({ text: 'Undo handover', actionId: ACTIONS.handoverUndo, value: handoverId, style: 'danger' })]),
  ];
}

/** Slack allows 100 options in a multi-select. */
const MAX_OFFERED = 100;
const PRIORITY: Record<string, string> = { crisis: '🚨 crisis', high: 'high', normal: 'normal', low: 'low' };

/** `/case handover @from @to`: @from's open cases, all chosen to start with (the first MAX_OFFERED of `total`). */
export function handoverModal(o: {
  fromSlackId: string;
  toSlackId: string;
  untilOn: string | null;
  cases: Array<{ id: string; reference: string; phase: string; priority: string }>;
  total: number;
  meta: object;
}): ModalView {
  const offered = o.cases.slice(0, MAX_OFFERED);
  return modal({
    callbackId: VIEWS.handover,
    title: 'Hand over cases',
    submit: 'Hand over',
    metadata: o.meta,
    blocks: [
      section(
        `Move cases from <@${o.fromSlackId}> to <@${o.toSlackId}>${o.untilOn ? `, until *${o.untilOn}* (they go back that morning)` : ' (no end date: they stay until moved again)'}.`,
      ),
      multiSelectInput(
        FIELDS.cases,
        'Cases to hand over',
        offered.map((c) => [c.id, `${c.reference} · ${c.phase} · ${PRIORITY[c.priority] ?? c.priority}`]),
        { initial: offered.map((c) => c.id), max: MAX_OFFERED, hint: 'All open cases are chosen; remove the ones that stay.' },
      ),
      context(
        `<@${o.toSlackId}> gets a handover packet per case; each client is told in their language who their new contact is.${o.total > MAX_OFFERED ? ` Only the first ${MAX_OFFERED} of ${o.total} cases are listed; run the command again for the rest.` : ''}`,
      ),
    ],
  });
}

/** `/case handover list`: one line per recent handover. */
export function handoverListBlocks(lines: string[], usage: string): Block[] {
  return [header('Handovers'), section(lines.join('\n')), context(usage)];
}
