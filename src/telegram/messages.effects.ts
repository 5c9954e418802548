import type { IntakeEffect, IntakeState, Language } from '../intake/intake.domain.js';
import type { I18n } from '../i18n/i18n.js';
import { msg, renderCrisis, renderInvalid, renderPaused, renderReview, renderStep, type Rendered, type StepContext } from './messages.js';

export interface EffectsContext extends StepContext {
  /** Emergency contacts per language (from config), shown on crisis. */
  contacts: Record<Language, string>;
}

/**
 * Everything the client should see after applyInput, in order. Short
 * acknowledgements and error notes are joined to the question that follows;
 * crisis and emergency-contact replies stay separate messages so they stand out.
 * 'submit' renders nothing: the service replies with renderSubmitted once the case exists.
 */
export function renderEffects(state: IntakeState, effects: readonly IntakeEffect[], i18n: I18n, ctx: EffectsContext): Rendered[] {
  const t = i18n.fixed(state.language);
  const out: Rendered[] = [];
  let prefix: string[] = [];
  const push = (r: Rendered) => {
    out.push(prefix.length ? msg([...prefix, r.text].join('\n\n'), r.buttons) : r);
    prefix = [];
  };
  for (const e of effects) {
    switch (e.type) {
      case 'ask':
        push(renderStep(state, t, { ...ctx, i18n }, e.step));
        break;
      case 'show_review':
        push(renderReview(state, t, i18n));
        break;
      case 'invalid':
        prefix.push(renderInvalid(e, t, state.step).text);
        break;
      case 'language_changed':
        prefix.push(i18n.t(e.language, 'language.changed'));
        break;
      case 'agreement_given':
        prefix.push(t('agreement.given'));
        break;
      case 'agreement_declined':
        push(msg(t('agreement.declined')));
        break;
      case 'crisis':
        push(renderCrisis(ctx.contacts[state.language], t));
        break;
      case 'emergency_contacts':
        push(msg(t('safety.unsure_reply', { contacts: ctx.contacts[state.language] })));
        break;
      case 'paused':
        push(renderPaused(t));
        break;
      case 'pause_later':
        push(msg(t('crisis.later', { contacts: ctx.contacts[state.language] })));
        break;
      case 'held_for_worker':
        prefix.push(t('crisis.held'));
        break;
      case 'gathered':
        prefix.push(t('throttle.gathered', { label: t(`review.${e.field}`) }));
        break;
      case 'kept_note':
        prefix.push(t('throttle.kept_note'));
        break;
      case 'notes_full':
        prefix.push(t('throttle.notes_full'));
        break;
      case 'submit':
        break;
    }
  }
  if (prefix.length) out.push(msg(prefix.join('\n\n')));
  return out;
}
