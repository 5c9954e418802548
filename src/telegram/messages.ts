import { CATEGORIES } from '../lib/categories.js';
import {
  AGREEMENT_VERSION,
  AVAILABILITY_SLOTS,
  QUESTION_STEPS,
  PAUSE_CONTINUE,
  PAUSE_LATER,
  URGENCIES,
  timezoneChoices,
  type Field,
  type IntakeEffect,
  type IntakeState,
  type Language,
  type Step,
} from '../intake/intake.domain.js';
import type { I18n, I18nKey, T } from '../i18n/i18n.js';

/**
 * Pure renderers: state/effects → plain text + keyboard. No parse_mode, so no
 * escaping is needed. Buttons carry a logical `value` ('agree', 'cat:housing',
 * 'edit:story', ...); the Telegram layer swaps it for a server-side token, so
 * nothing here goes into callback_data directly.
 */

export const TELEGRAM_TEXT_LIMIT = 4096;
/** Per-answer cap on the review screen; the full answer is kept. */
const REVIEW_ANSWER_LIMIT = 500;

export interface Button {
  label: string;
  value: string;
}
export interface Rendered {
  text: string;
  buttons: Button[][];
}
export interface StepContext {
  defaultTimeZone: string;
}

/** Cuts `text` to `max` UTF-16 units (Telegram's measure), ending with an ellipsis, never splitting a surrogate pair. */
export function clampText(text: string, max = TELEGRAM_TEXT_LIMIT): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** A message of `text` (clamped to Telegram's limit) with these buttons. */
export const msg = (text: string, buttons: Button[][] = []): Rendered => ({ text: clampText(text), buttons });

function rows(buttons: Button[], perRow: number): Button[][] {
  const out: Button[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) out.push(buttons.slice(i, i + perRow));
  return out;
}

function zoneLabel(zone: string, i18n: Pick<I18n, 'has'>, lang: Language, t: T): string {
  return i18n.has(lang, `zones.${zone}`) ? t(`zones.${zone}` as I18nKey) : zone.replace(/_/g, ' ');
}

/** The question for `step` (default: the state's current step) with its buttons. */
export function renderStep(state: IntakeState, t: T, ctx: StepContext & { i18n?: Pick<I18n, 'has'> }, step: Step = state.step): Rendered {
  switch (step) {
    case 'language': {
      const both: Button[] = [
        { label: t('language.en'), value: 'lang:en' },
        { label: t('language.zh'), value: 'lang:zh' },
      ];
      // The language Telegram suggested comes first.
      return msg(t('language.prompt'), [state.language === 'zh' ? both.reverse() : both]);
    }
    case 'agreement':
      return msg(t('agreement.text', { version: AGREEMENT_VERSION }), [
        [
          { label: t('agreement.agree'), value: 'agree' },
          { label: t('agreement.decline'), value: 'decline' },
        ],
      ]);
    case 'safety':
      return msg(t('safety.prompt'), [
        [{ label: t('safety.yes'), value: 'safety:yes' }],
        [{ label: t('safety.no'), value: 'safety:no' }],
        [{ label: t('safety.unsure'), value: 'safety:unsure' }],
      ]);
    case 'name':
    case 'story':
    case 'change':
      return msg(t(`steps.${step}`));
    case 'category':
      return msg(
        t('steps.category', { name: state.answers.name ?? '' }),
        rows(
          CATEGORIES.map((c) => ({ label: t(`categories.${c}`), value: `cat:${c}` })),
          2,
        ),
      );
    case 'support':
      return msg(t('steps.support'), [[{ label: t('steps.support_none'), value: 'support:none' }]]);
    case 'strengths':
      return msg(t('steps.strengths'), [[{ label: t('steps.skip'), value: 'skip' }]]);
    case 'urgency':
      return msg(
        t('steps.urgency'),
        rows(
          URGENCIES.map((u) => ({ label: t(`urgency.${u}`), value: `urgency:${u}` })),
          2,
        ),
      );
    case 'availability':
      return msg(
        t('steps.availability'),
        rows(
          AVAILABILITY_SLOTS.map((a) => ({ label: t(`availability.${a}`), value: `avail:${a}` })),
          2,
        ),
      );
    case 'timezone': {
      const has = ctx.i18n ?? { has: () => false };
      const zones = timezoneChoices(state.language, ctx.defaultTimeZone);
      return msg(
        t('steps.timezone'),
        rows(
          zones.map((z) => ({ label: zoneLabel(z, has, state.language, t), value: `tz:${z}` })),
          1,
        ),
      );
    }
    case 'review':
      return renderReview(state, t, ctx.i18n);
    case 'submitted':
      return msg(t('invalid.finished_submitted'));
    case 'declined':
      return msg(t('agreement.declined'));
  }
}

function short(text: string): string {
  return clampText(text, REVIEW_ANSWER_LIMIT);
}

/** One answer as the client should see it on the review (labels, not codes). */
export function answerText(state: IntakeState, field: Field, t: T, i18n?: Pick<I18n, 'has'>): string {
  const a = state.answers;
  const none = '—';
  switch (field) {
    case 'name':
      return a.name ? short(a.name) : none;
    case 'category':
      return a.category ? t(`categories.${a.category}`) : none;
    case 'story':
      return a.story ? short(a.story) : none;
    case 'change':
      return a.change ? short(a.change) : none;
    case 'support':
      if (!a.support) return none;
      return a.support.kind === 'none' ? t('steps.support_none') : short(a.support.text);
    case 'strengths':
      if (!a.strengths) return none;
      return a.strengths.kind === 'skipped' ? t('review.skipped') : short(a.strengths.text);
    case 'urgency':
      return a.urgency ? t(`urgency.${a.urgency}`) : none;
    case 'availability':
      if (!a.availability) return none;
      return a.availability.kind === 'slot' ? t(`availability.${a.availability.slot}`) : short(a.availability.text);
    case 'timezone': {
      if (!a.timezone) return none;
      const label = zoneLabel(a.timezone, i18n ?? { has: () => false }, state.language, t);
      return label === a.timezone.replace(/_/g, ' ') ? a.timezone : t('review.zone', { label, zone: a.timezone });
    }
  }
}

export function renderReview(state: IntakeState, t: T, i18n?: Pick<I18n, 'has'>): Rendered {
  const lines = QUESTION_STEPS.map((f) => t('review.line', { label: t(`review.${f}`), value: answerText(state, f, t, i18n) }));
  const text = [t('review.title'), ...lines, t('review.footer')].join('\n\n');
  const edits = QUESTION_STEPS.map((f) => ({ label: t(`review.edit.${f}`), value: `edit:${f}` }));
  return msg(text, [...rows(edits, 2), [{ label: t('review.submit'), value: 'submit' }]]);
}

type InvalidEffect = Extract<IntakeEffect, { type: 'invalid' }>;

/** The explanation for an invalid input; the machine follows it with an 'ask' for the same step. */
export function renderInvalid(effect: InvalidEffect, t: T, step?: Step): Rendered {
  switch (effect.reason) {
    case 'too_long':
      return msg(t('invalid.too_long', { limit: effect.limit }));
    case 'finished':
      return msg(t(step === 'declined' ? 'invalid.finished_declined' : 'invalid.finished_submitted'));
    default:
      return msg(t(`invalid.${effect.reason}`));
  }
}

export function renderCrisis(contacts: string, t: T): Rendered {
  return msg(t('crisis.reply', { contacts }));
}

/** After a crisis reply: the intake waits for the client's choice. */
export function renderPaused(t: T): Rendered {
  return msg(t('crisis.pause'), [
    [
      { label: t('crisis.continue'), value: PAUSE_CONTINUE },
      { label: t('crisis.not_now'), value: PAUSE_LATER },
    ],
  ]);
}

export function renderSubmitted(t: T, v: { name: string; reference: string }): Rendered {
  return msg(t('submitted.next', { name: v.name, reference: v.reference }));
}

export type Phase = 'intake' | 'assessment' | 'planning' | 'implementation' | 'evaluation' | 'closed' | 'withdrawn';

export function renderStatus(t: T, s: { reference: string; phase: Phase; nextAppointment?: string }): Rendered {
  const text = t('status.case', { reference: s.reference, phase: t(`status.phases.${s.phase}`), detail: t(`status.details.${s.phase}`) });
  return msg(s.nextAppointment ? `${text}\n${t('status.next_appointment', { when: s.nextAppointment })}` : text);
}

/** `contacts`: the configured emergency contacts in the client's language (EMERGENCY_CONTACTS_EN / _ZH), never just "the emergency number". */
export function renderHelp(t: T, contacts: string): Rendered {
  return msg(t('help.text', { contacts }));
}

export function renderUnknownCommand(t: T, contacts: string): Rendered {
  return msg(`${t('help.unknown_command')}\n\n${t('help.text', { contacts })}`);
}

/** A notification that reveals nothing (for shared or watched phones). */
export function renderDiscreet(t: T): Rendered {
  return msg(t('discreet.new_message'));
}

export const BOT_COMMANDS = ['start', 'help', 'status', 'language', 'cancel', 'stop', 'withdraw', 'mydata', 'forget', 'exit'] as const;

/** For Bot API setMyCommands (call once per language_code). */
export function botCommands(t: T): Array<{ command: string; description: string }> {
  return BOT_COMMANDS.map((command) => ({ command, description: t(`commands.${command}`) }));
}
