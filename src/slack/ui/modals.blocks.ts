import type { ModalView } from '@slack/types';
import type { DateTime } from 'luxon';
import type { CaseCard } from '../../cases/case-card.js';
import { CLOSURE_REASONS, CLOSURE_REASON_LABELS, MAX_GOALS, PHASE_FLOW, PHASE_LABELS, TEXT_LIMITS } from '../../cases/case.domain.js';
import { NOTE_KIND_LABELS, RECORD_NOTE_KINDS } from '../../cases/case-notes.service.js';
import { context, dateInput, esc, modal, section, selectInput, textInput, timeInput, type Block } from './blocks.js';
import { FIELDS, VIEWS } from './ids.js';
import { languageName } from '../../lib/languages.js';

/**
 * The modals. private_metadata holds ids and a one-time nonce (the
 * submission's idempotency key) — never trusted for access, only to find
 * rows that are then re-checked.
 */
export interface ModalMeta {
  /** Absent for a note opened without a case (`/case note`): the reference field says which. */
  caseId?: string;
  nonce: string;
  appointmentId?: string;
  version?: number;
  goalIds?: Array<string | null>;
  /** The person a case is being assigned to (the over-limit reason modal). */
  staffId?: string;
}

const title = (card: CaseCard) => `${card.reference}`;

/** Log note. The case reference is a field (prefilled from a card), so `/case note` works without one; access is checked on submit. */
export function noteModal(card: CaseCard | null, meta: ModalMeta, zone: string, now: DateTime): ModalView {
  const local = now.setZone(zone);
  return modal({
    callbackId: VIEWS.note,
    title: 'Log note',
    submit: 'Save note',
    metadata: meta,
    blocks: [
      textInput(FIELDS.caseRef, 'Case reference', { initial: card?.reference ?? null, max: 20, placeholder: 'C-2026-0042' }),
      selectInput(
        FIELDS.kind,
        'Kind of contact',
        RECORD_NOTE_KINDS.map((k) => [k, NOTE_KIND_LABELS[k]!]),
      ),
      dateInput(FIELDS.contactDate, 'Date of contact', { initial: local.toISODate() }),
      timeInput(FIELDS.contactTime, 'Time of contact', { initial: local.toFormat('HH:mm'), optional: true }),
      textInput(FIELDS.text, 'What happened', { multiline: true, max: TEXT_LIMITS.note, hint: 'Written soon after the contact. Encrypted at rest.' }),
      dateInput(FIELDS.followUp, 'Next follow-up', {
        optional: true,
        initial: card?.nextFollowUpAt && card.nextFollowUpAt > now ? card.nextFollowUpAt.setZone(zone).toISODate() : null,
        hint: 'Leave empty if no follow-up is planned.',
      }),
      context(`Times are in your time zone (${zone}).`),
    ],
  });
}

export function appointmentModal(
  card: CaseCard,
  meta: ModalMeta,
  zone: string,
  current?: { startsAt: DateTime; durationMin: number; mode: string; location?: string | null },
): ModalView {
  const local = current?.startsAt.setZone(zone);
  return modal({
    callbackId: VIEWS.appointment,
    title: current ? 'Reschedule' : 'Schedule appointment',
    submit: current ? 'Reschedule' : 'Book',
    metadata: meta,
    blocks: [
      section(`*${title(card)}*${card.clientFirstName ? ` — ${esc(card.clientFirstName)}` : ''}`),
      dateInput(FIELDS.date, 'Date', { initial: local?.toISODate() ?? null }),
      timeInput(FIELDS.time, 'Start time', { initial: local?.toFormat('HH:mm') ?? null }),
      selectInput(
        FIELDS.duration,
        'Duration',
        [
          ['30', '30 min'],
          ['45', '45 min'],
          ['60', '1 hour'],
          ['90', '1½ hours'],
          ['120', '2 hours'],
          ['180', '3 hours'],
          ['240', '4 hours'],
        ],
        { initial: String(current?.durationMin ?? 60) },
      ),
      selectInput(
        FIELDS.mode,
        'How',
        [
          ['in_person', 'In person'],
          ['phone', 'Phone'],
          ['video', 'Video'],
        ],
        { initial: current?.mode ?? 'in_person' },
      ),
      textInput(FIELDS.location, 'Where (in person)', {
        optional: true,
        max: 300,
        initial: current?.location ?? null,
        placeholder: 'Office, room 2 — 12 High Street',
        hint: 'Needed for an in-person appointment: the client is told where to come.',
      }),
      context(`Times are in your time zone (${zone}). The client is told on Telegram in their own time zone.`),
    ],
  });
}

export function cancelModal(card: CaseCard, meta: ModalMeta, when: string): ModalView {
  return modal({
    callbackId: VIEWS.cancel,
    title: 'Cancel appointment',
    submit: 'Cancel it',
    metadata: meta,
    blocks: [section(`Cancel the appointment for *${card.reference}* on *${when}*? The client is told on Telegram.`)],
  });
}

export function goalsModal(card: CaseCard, meta: ModalMeta): ModalView {
  const blocks: Block[] = [section(`*${title(card)}* — goals are agreed with the client; each needs a way to assess it.`)];
  for (let i = 0; i < MAX_GOALS; i++) {
    const g = card.goals[i];
    blocks.push(
      textInput(FIELDS.goal(i), `Goal ${i + 1}`, {
        optional: true,
        initial: g?.description ?? null,
        max: TEXT_LIMITS.goal,
        ...(g ? { hint: 'Clear this to drop the goal.' } : {}),
      }),
      textInput(FIELDS.assess(i), `How goal ${i + 1} will be assessed`, {
        optional: true,
        initial: g?.assessment ?? null,
        max: TEXT_LIMITS.assessment,
        hint: 'Needed for every goal you write above.',
      }),
      dateInput(FIELDS.target(i), `Target date for goal ${i + 1}`, { optional: true, initial: g?.targetDate ?? null }),
    );
  }
  blocks.push(
    textInput(FIELDS.plan, 'Plan (interventions, sessions, by when)', { optional: true, multiline: true, initial: card.plan, max: TEXT_LIMITS.plan }),
    textInput(FIELDS.selfHelp, 'Self-help focus: what the client will learn to do alone', {
      optional: true,
      multiline: true,
      initial: card.selfHelp,
      max: TEXT_LIMITS.selfHelp,
    }),
    selectInput(
      FIELDS.caseType,
      'Case type',
      [
        ['therapeutic', 'Therapeutic (a problem needing intervention)'],
        ['developmental', 'Developmental (growth, higher needs)'],
      ],
      { optional: true, initial: card.type },
    ),
  );
  return modal({
    callbackId: VIEWS.goals,
    title: 'Goals & plan',
    submit: 'Save',
    metadata: { ...meta, goalIds: Array.from({ length: MAX_GOALS }, (_, i) => card.goals[i]?.id ?? null) },
    blocks,
  });
}

export function phaseModal(card: CaseCard, meta: ModalMeta): ModalView {
  return modal({
    callbackId: VIEWS.phase,
    title: 'Move phase',
    submit: 'Move',
    metadata: meta,
    blocks: [
      section(`*${title(card)}* is in *${PHASE_LABELS[card.phase]}*. Cases can move forward, or back with a reason.`),
      selectInput(
        FIELDS.phase,
        'Move to',
        PHASE_FLOW.filter((p) => p !== card.phase).map((p) => [p, PHASE_LABELS[p]!]),
      ),
      // Optional for Slack (forward moves need none); the hint says when it is required, the server checks it.
      textInput(FIELDS.reason, 'Reason', {
        optional: true,
        multiline: true,
        max: TEXT_LIMITS.reason,
        hint: 'Required when moving back to an earlier phase, so the record shows why.',
      }),
    ],
  });
}

export function closeModal(card: CaseCard, meta: ModalMeta): ModalView {
  const live = card.goals;
  const blocks: Block[] = [section(`Close *${title(card)}*. Summarise and evaluate: was each goal met, what changed, what can the client now do alone?`)];
  live.forEach((g, i) =>
    blocks.push(
      selectInput(FIELDS.outcome(i), `Outcome: ${g.description}`.slice(0, 2000), [
        ['achieved', 'Achieved'],
        ['partly_achieved', 'Partly achieved'],
        ['not_achieved', 'Not achieved'],
        ['dropped', 'Dropped'],
      ]),
    ),
  );
  blocks.push(
    textInput(FIELDS.evaluation, 'Evaluation summary', {
      multiline: true,
      max: TEXT_LIMITS.evaluation,
      hint: 'Was each goal met, what changed, what can the client now do alone? Encrypted at rest.',
    }),
    selectInput(
      FIELDS.reason,
      'Why is the case closing?',
      CLOSURE_REASONS.map((r) => [r, CLOSURE_REASON_LABELS[r]]),
    ),
    textInput(FIELDS.reasonDetail, 'Other reason (if Other)', { optional: true, max: TEXT_LIMITS.reason }),
  );
  return modal({ callbackId: VIEWS.close, title: 'Close case', submit: 'Close case', metadata: { ...meta, goalIds: live.map((g) => g.id) }, blocks });
}

export function messageModal(card: CaseCard, meta: ModalMeta): ModalView {
  return modal({
    callbackId: VIEWS.message,
    title: 'Message client',
    submit: 'Send',
    metadata: meta,
    blocks: [
      section(
        `To the client of *${title(card)}*${card.clientFirstName ? ` (${esc(card.clientFirstName)})` : ''} on Telegram, in ${languageName(card.clientLanguage)} wording around your text. Their replies appear in the thread under the case card in your DM.`,
      ),
      textInput(FIELDS.text, 'Message', { multiline: true, max: TEXT_LIMITS.message }),
    ],
  });
}
