import { CATEGORIES } from '../../lib/categories.js';
import type { ResourceRow } from '../../referrals/resources.service.js';
import type { CaseReferral } from '../../referrals/referrals.service.js';
import { CONSENT_LABELS, OUTCOME_LABELS, SHARE_CHOICES, type ReferralOutcome } from '../../referrals/referrals.domain.js';
import { categoryLabel } from './case-file.blocks.js';
import type { ModalView } from '@slack/types';
import { clip, context, esc, header, modal, multiSelectInput, section, selectInput, textInput, type Block } from './blocks.js';
import { FIELDS, VIEWS } from './ids.js';

/**
 * The resource directory and referrals in Slack: the directory list, the
 * admin's add/edit modal, the worker's referral modal, a case's referrals.
 */
const MAX_SELECT = 100;

function resourceLine(r: ResourceRow): string {
  const contact = [r.phone, r.email, r.website, r.address]
    .filter(Boolean)
    .map((x) => esc(x!))
    .join(' · ');
  return `*${esc(r.name)}* — ${r.categories.map(categoryLabel).join(', ')} · languages: ${r.languages.join(', ')}\n${contact}${r.description ? `\n_${esc(clip(r.description, 300))}_` : ''}\n\`${r.id}\``;
}

export function resourceListBlocks(list: ResourceRow[], category?: string): Block[] {
  if (list.length === 0)
    return [
      section(
        category ? `No resources for ${categoryLabel(category)} yet.` : 'The resource directory is empty. Admins add entries with `/case resources add`.',
      ),
    ];
  return [
    header(`Resources${category ? `: ${categoryLabel(category)}` : ''}`),
    ...list.slice(0, 45).map((r) => section(resourceLine(r))),
    context('`/case C-… refer` records a referral on a case. Admins: `/case resources add|edit <id>|remove <id>`.'),
  ];
}

export function resourceModal(meta: object, r?: ResourceRow): ModalView {
  return modal({
    callbackId: VIEWS.resource,
    title: r ? 'Edit resource' : 'Add resource',
    submit: 'Save',
    metadata: meta,
    blocks: [
      textInput(FIELDS.name, 'Organisation or service', { max: 120, initial: r?.name ?? null }),
      multiSelectInput(
        FIELDS.categories,
        'Needs it serves',
        CATEGORIES.map((c) => [c, categoryLabel(c)]),
        { initial: r?.categories ?? [] },
      ),
      textInput(FIELDS.languages, 'Languages (codes, comma-separated)', { max: 100, initial: r?.languages.join(', ') ?? null, placeholder: 'en, zh' }),
      textInput(FIELDS.phone, 'Phone', { optional: true, max: 40, initial: r?.phone ?? null }),
      textInput(FIELDS.email, 'Email', { optional: true, max: 200, initial: r?.email ?? null }),
      textInput(FIELDS.website, 'Website', { optional: true, max: 300, initial: r?.website ?? null }),
      textInput(FIELDS.address, 'Address', { optional: true, max: 300, initial: r?.address ?? null }),
      textInput(FIELDS.description, 'What they offer, how to refer', { optional: true, multiline: true, max: 1000, initial: r?.description ?? null }),
      context('At least one of phone, email, website or address. The directory holds organisations, never clients.'),
    ],
  });
}

const SHARE_LABELS: Record<(typeof SHARE_CHOICES)[number], string> = {
  none: 'No: do not share the client’s details',
  ask_client: 'Ask the client in Telegram (they answer with a button)',
  verbal: 'The client agreed verbally (say when and how below)',
};

export function referralModal(meta: object, reference: string, list: ResourceRow[]): ModalView {
  return modal({
    callbackId: VIEWS.referral,
    title: `Refer ${reference}`.slice(0, 24),
    submit: 'Record referral',
    metadata: meta,
    blocks: [
      selectInput(
        FIELDS.resource,
        'Refer to',
        list.slice(0, MAX_SELECT).map((r) => [r.id, `${r.name} (${r.languages.join(', ')})`]),
      ),
      textInput(FIELDS.reason, 'Why (what the client needs from them)', {
        multiline: true,
        max: 1000,
        hint: 'Stored encrypted on the case; blanked if the client is erased.',
      }),
      selectInput(
        FIELDS.share,
        'Share the client’s details with them?',
        SHARE_CHOICES.map((c) => [c, SHARE_LABELS[c]]),
      ),
      textInput(FIELDS.verbalReason, 'If verbal: when and how the client agreed', { optional: true, multiline: true, max: 500 }),
      context(
        'Sharing needs the client’s own agreement, kept as a receipt with the version of the text they saw. The worker is asked what came of the referral later.',
      ),
    ],
  });
}

export function referralLine(r: CaseReferral, opts: { reason?: boolean } = {}): string {
  const outcome = r.outcome ? `*${OUTCOME_LABELS[r.outcome as ReferralOutcome] ?? r.outcome}*` : '_outcome not known yet_';
  return `• ${esc(r.resource)} · ${r.createdAt.toISOString().slice(0, 10)} · ${CONSENT_LABELS[r.consentState] ?? r.consentState} · ${outcome}${opts.reason && r.reason ? `\n   _Why:_ ${esc(clip(r.reason, 500))}` : ''}`;
}

/** `/case C-… referrals`: the case's referrals, with why. */
export function caseReferralsBlocks(reference: string, list: CaseReferral[]): Block[] {
  return [header(`Referrals on ${reference}`), section(list.map((r) => referralLine(r, { reason: true })).join('\n'))];
}
