import { canonicalZone, resolveTimeZone } from './intake.timezones.js';
import { advance, askFor, invalid, iso } from './intake.steps.js';
import {
  AGREEMENT_VERSION,
  AVAILABILITY_SLOTS,
  CATEGORIES,
  LANGUAGES,
  QUESTION_STEPS,
  URGENCIES,
  type Agreement,
  type AvailabilitySlot,
  type Category,
  type Field,
  type IntakeAnswers,
  type IntakeContext,
  type IntakeEffect,
  type IntakeResult,
  type IntakeState,
  type Language,
  type LimitField,
  type Priority,
  type Safety,
  type Step,
  type Urgency,
} from './intake.types.js';

/** An answer to the current step: typed text or a button's value; the review's submit. */

export function priorityFrom(urgency: Urgency | undefined, safety: Safety | undefined, crisis: boolean): Priority {
  if (crisis || safety === 'unsafe') return 'crisis';
  if (urgency === 'today' || safety === 'unsure') return 'high';
  if (urgency === 'no_rush') return 'low';
  return 'normal';
}

export function answerText(s: IntakeState, field: LimitField, text: string, pre: IntakeEffect[]): IntakeResult {
  const a = s.answers;
  switch (field) {
    case 'name':
      a.name = text;
      break;
    case 'story':
      a.story = text;
      break;
    case 'change':
      a.change = text;
      break;
    case 'support':
      a.support = { kind: 'text', text };
      break;
    case 'strengths':
      a.strengths = { kind: 'text', text };
      break;
    case 'availability':
      a.availability = { kind: 'text', text };
      break;
    case 'timezone': {
      const zone = resolveTimeZone(text);
      if (!zone) return invalid(s, pre, { type: 'invalid', reason: 'unknown_timezone' });
      a.timezone = zone;
      break;
    }
  }
  return advance(s, pre);
}

export function answerChoice(s: IntakeState, value: string, pre: IntakeEffect[], ctx: IntakeContext): IntakeResult {
  const [head, arg = ''] = splitValue(value);
  const stale = (): IntakeResult => invalid(s, pre, { type: 'invalid', reason: 'unknown_choice' });
  const a = s.answers;
  switch (s.step) {
    case 'language': {
      if (head !== 'lang' || !(LANGUAGES as readonly string[]).includes(arg)) return stale();
      const language = arg as Language;
      const { resume, ...rest } = s;
      const step: Step = resume ?? 'agreement';
      const effects: IntakeEffect[] = [...pre, { type: 'language_changed', language }];
      effects.push(askFor(step));
      return { state: { ...rest, language, step }, effects };
    }
    case 'agreement': {
      const at = iso(ctx.now);
      if (value === 'agree') {
        const agreement: Agreement = { version: AGREEMENT_VERSION, language: s.language, at };
        return advance({ ...s, agreement }, [...pre, { type: 'agreement_given', ...agreement }]);
      }
      if (value === 'decline') {
        // Keep nothing but the refusal itself (and the language to say goodbye in).
        const declined: IntakeState = {
          v: 1,
          step: 'declined',
          language: s.language,
          answers: {},
          crisis: false,
          startedAt: s.startedAt,
          updatedAt: s.updatedAt,
        };
        return { state: declined, effects: [...pre, { type: 'agreement_declined', language: s.language, at }] };
      }
      return stale();
    }
    case 'safety': {
      if (value === 'safety:yes') return advance({ ...s, safety: 'safe' }, pre);
      if (value === 'safety:no') {
        // Emergency contacts, then a pause: the next question waits until the client chooses to go on.
        const next = advance({ ...s, safety: 'unsafe', crisis: true }, []);
        return { state: { ...next.state, paused: true }, effects: [...pre, { type: 'crisis', source: 'safety_check' }, { type: 'paused' }] };
      }
      if (value === 'safety:unsure') return advance({ ...s, safety: 'unsure' }, [...pre, { type: 'emergency_contacts' }]);
      return stale();
    }
    case 'category':
      if (head !== 'cat' || !(CATEGORIES as readonly string[]).includes(arg)) return stale();
      a.category = arg as Category;
      return advance(s, pre);
    case 'support':
      if (value !== 'support:none') return stale();
      a.support = { kind: 'none' };
      return advance(s, pre);
    case 'strengths':
      if (value !== 'skip') return stale();
      a.strengths = { kind: 'skipped' };
      return advance(s, pre);
    case 'urgency':
      if (head !== 'urgency' || !(URGENCIES as readonly string[]).includes(arg)) return stale();
      a.urgency = arg as Urgency;
      return advance(s, pre);
    case 'availability':
      if (head !== 'avail' || !(AVAILABILITY_SLOTS as readonly string[]).includes(arg)) return stale();
      a.availability = { kind: 'slot', slot: arg as AvailabilitySlot };
      return advance(s, pre);
    case 'timezone': {
      if (head !== 'tz') return stale();
      const zone = canonicalZone(arg);
      if (!zone) return invalid(s, pre, { type: 'invalid', reason: 'unknown_timezone' });
      a.timezone = zone;
      return advance(s, pre);
    }
    case 'review': {
      if (head === 'edit' && (QUESTION_STEPS as readonly string[]).includes(arg)) {
        const f = arg as Field;
        return { state: { ...s, step: f, editing: f }, effects: [...pre, { type: 'ask', step: f }] };
      }
      if (value !== 'submit') return stale();
      return submit(s, pre);
    }
    default:
      return stale();
  }
}

function splitValue(value: string): [string, string?] {
  const i = value.indexOf(':');
  return i < 0 ? [value] : [value.slice(0, i), value.slice(i + 1)];
}

/** The first question still unanswered, if any. */
function firstMissing(a: IntakeAnswers): Field | undefined {
  return QUESTION_STEPS.find((f) => a[f] === undefined);
}

function submit(s: IntakeState, pre: IntakeEffect[]): IntakeResult {
  const missing = firstMissing(s.answers);
  if (missing || !s.agreement || !s.safety) {
    // Should not happen through the machine; send the client to what is missing rather than lose anything.
    const step: Step = !s.agreement ? 'agreement' : !s.safety ? 'safety' : (missing as Field);
    return { state: { ...s, step, editing: s.agreement && s.safety ? (missing as Field) : undefined }, effects: [...pre, { type: 'ask', step }] };
  }
  const answers = s.answers as Required<IntakeAnswers>;
  const priority = priorityFrom(answers.urgency, s.safety, s.crisis);
  return {
    state: { ...s, step: 'submitted' },
    effects: [...pre, { type: 'submit', priority, language: s.language, answers, agreement: s.agreement, safety: s.safety, crisis: s.crisis }],
  };
}
