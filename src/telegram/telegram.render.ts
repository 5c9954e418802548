import { DateTime } from 'luxon';
import type { MyData, StatusResult } from '../clients/client-commands.service.js';
import { QUESTION_STEPS, type Field, type IntakeState, type Language } from '../intake/intake.domain.js';
import type { I18n, T } from '../i18n/i18n.js';
import { DATE_LOCALE } from '../lib/languages.js';
import { answerText, renderStatus, TELEGRAM_TEXT_LIMIT } from './messages.js';
import type { Reply } from './telegram.env.js';

/** Renderers for the client commands (status, mydata, confirmations); pure. */

/** A moment as the client reads it: their zone, their language. */
function formatWhen(at: DateTime | Date, zone: string, lang: Language): string {
  const dt = at instanceof Date ? DateTime.fromJSDate(at) : at;
  return dt.setZone(zone).setLocale(DATE_LOCALE[lang]).toLocaleString(DateTime.DATETIME_FULL);
}

function formatDate(at: Date, zone: string, lang: Language): string {
  return DateTime.fromJSDate(at).setZone(zone).setLocale(DATE_LOCALE[lang]).toLocaleString(DateTime.DATE_FULL);
}

export function renderStatusReply(t: T, s: StatusResult, lang: Language): Reply {
  if (s.kind === 'none') return { text: t('status.none') };
  if (s.kind === 'draft') return { text: t('status.draft') };
  const base = renderStatus(t, {
    reference: s.reference,
    phase: s.phase,
    ...(s.nextAppointment ? { nextAppointment: formatWhen(s.nextAppointment, s.timeZone, lang) } : {}),
  }).text;
  const open = s.phase !== 'closed' && s.phase !== 'withdrawn';
  const worker = s.workerFirstName ? t('tg.status.worker', { name: s.workerFirstName }) : open ? t('tg.status.no_worker') : '';
  return { text: worker ? `${base}\n${worker}` : base };
}

/** The whole answer (the review screen shortens long ones; a copy of one's data must not). */
function fullAnswer(state: IntakeState, f: Field, t: T, i18n: I18n): string {
  const a = state.answers;
  if ((f === 'name' || f === 'story' || f === 'change') && a[f]) return a[f];
  if (f === 'support' && a.support?.kind === 'text') return a.support.text;
  if (f === 'strengths' && a.strengths?.kind === 'text') return a.strengths.text;
  if (f === 'availability' && a.availability?.kind === 'text') return a.availability.text;
  return answerText(state, f, t, i18n);
}

function draftLines(state: IntakeState, t: T, i18n: I18n): string[] {
  return QUESTION_STEPS.filter((f) => state.answers[f] !== undefined).map((f) =>
    t('review.line', { label: t(`review.${f}`), value: fullAnswer(state, f, t, i18n) }),
  );
}

/** Everything stored about the client, readable, split into messages that fit Telegram's limit. */
export function renderMyData(t: T, i18n: I18n, d: MyData, lang: Language, defaultZone: string): Reply[] {
  const zone = d.client?.timeZone ?? defaultZone;
  const date = (x: Date) => formatDate(x, zone, lang);
  if (!d.client && !d.draft) return [{ text: t('mydata.none') }];
  const parts: string[] = [t('mydata.intro')];
  if (d.client) {
    const c = d.client;
    parts.push(
      [
        ...(c.name ? [t('tg.mydata.name', { value: c.name })] : []),
        t('tg.mydata.language', { value: t(`language.${c.language}`) }),
        t('tg.mydata.timezone', { value: c.timeZone }),
        t(c.remindersOff ? 'tg.mydata.reminders_off' : 'tg.mydata.reminders_on'),
        ...(c.erasureRequestedAt ? [t('tg.mydata.erasure_requested', { when: date(c.erasureRequestedAt) })] : []),
      ].join('\n'),
    );
    const consents = d.consents.map((k) =>
      k.revokedAt
        ? t('tg.mydata.agreement_revoked', { version: k.agreementVersion, when: date(k.revokedAt) })
        : k.givenAt
          ? t('tg.mydata.agreement_given', { version: k.agreementVersion, when: date(k.givenAt) })
          : t('tg.mydata.agreement_declined', { version: k.agreementVersion, when: date(k.declinedAt ?? k.createdAt) }),
    );
    consents.push(
      ...d.sharing.map((k) =>
        t(k.givenAt ? 'referral_consent.mydata_given' : 'referral_consent.mydata_declined', {
          resource: k.resource,
          version: k.version,
          when: date(k.givenAt ?? k.declinedAt!),
        }),
      ),
    );
    if (consents.length) parts.push(consents.join('\n'));
    for (const c of d.cases) {
      const status = c.status === 'open' ? t(`status.phases.${c.phase}`) : t(`status.phases.${c.status === 'withdrawn' ? 'withdrawn' : 'closed'}`);
      const lines = [t('tg.mydata.case', { reference: c.reference, phase: status, when: date(c.openedAt) })];
      if (c.intake) {
        const asState = { v: 1, step: 'review', language: lang, answers: c.intake.answers, crisis: false, startedAt: '', updatedAt: '' } as IntakeState;
        lines.push('', t('tg.mydata.answers_title', { reference: c.reference }), ...draftLines(asState, t, i18n));
      }
      parts.push(lines.join('\n'));
    }
    if (d.messages.length) {
      parts.push(
        [
          t('tg.mydata.messages_title', { value: d.messages.length }),
          ...d.messages.map((m) => t('tg.mydata.message_line', { when: formatWhen(m.at, zone, lang), value: m.text })),
        ].join('\n'),
      );
    }
  }
  if (d.draft) {
    // What the draft keeps for the worker is stored too: shown with it.
    const notes = d.draft.notes?.length ? ['', t('tg.mydata.draft_notes'), ...d.draft.notes.map((n) => `• ${n}`)] : [];
    parts.push([t('tg.mydata.draft_title'), ...draftLines({ ...d.draft, language: lang }, t, i18n), ...notes].join('\n'));
  }
  return splitForTelegram(parts).map((text) => ({ text }));
}

/** Join paragraphs into as few messages as fit; a paragraph longer than a message is cut at line or character boundaries, never lost. */
export function splitForTelegram(paragraphs: string[], max = TELEGRAM_TEXT_LIMIT): string[] {
  const out: string[] = [];
  let cur = '';
  const push = (piece: string) => {
    const joined = cur ? `${cur}\n\n${piece}` : piece;
    if (joined.length <= max) {
      cur = joined;
      return;
    }
    if (cur) out.push(cur);
    cur = '';
    let rest = piece;
    while (rest.length > max) {
      let cut = rest.lastIndexOf('\n', max);
      if (cut < max / 2) cut = max;
      // Never split a surrogate pair.
      if (/[\ud800-\udbff]/.test(rest.charAt(cut - 1))) cut -= 1;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut).replace(/^\n/, '');
    }
    cur = rest;
  };
  for (const p of paragraphs) push(p);
  if (cur) out.push(cur);
  return out;
}
