import { z } from 'zod';
import type { REFERRAL_OUTCOMES } from '../db/schema.js';
import { CATEGORIES } from '../lib/categories.js';
import { zUuid } from '../lib/uuid.js';

/**
 * The resource directory and referrals (pure): what a resource entry must
 * hold, what a referral needs, and the words staff see for their states.
 * Errors are keyed by the modal's field (block id) so Slack shows each one
 * under its input and keeps everything typed.
 */
export const REFERRAL_CONSENT_VERSION = '2026-11-r1';
const REFERRAL_REASON_MAX = 1000;
const VERBAL_REASON_MAX = 500;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const opt = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());
const list = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(/[,\s]+/)
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean)
    : v;

const resourceInput = z
  .object({
    name: z.string().trim().min(2, 'Give the organisation or service a name (at least 2 characters).').max(120, 'Keep the name under 120 characters.'),
    categories: z
      .array(z.enum(CATEGORIES, { message: 'Choose categories from the list.' }))
      .min(1, 'Choose at least one category of need it serves.')
      .max(CATEGORIES.length),
    languages: z.preprocess(
      list,
      z
        .array(z.string().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/, 'Write languages as codes separated by commas, for example: en, zh, yue.'))
        .min(1, 'Name at least one language it serves in (for example: en, zh).')
        .max(12, 'At most 12 languages.'),
    ),
    phone: opt(z.string().regex(/^\+?[0-9 ()-]{5,40}$/, 'A phone number: digits, spaces, +, ( ) and - only.')),
    email: opt(z.email('That is not an email address.').max(200)),
    website: opt(z.url({ protocol: /^https?$/, message: 'A website must start with https:// or http://.' }).max(300)),
    address: opt(z.string().max(300, 'Keep the address under 300 characters.')),
    description: opt(z.string().max(1000, 'Keep the description under 1000 characters.')),
  })
  .refine((r) => !!(r.phone || r.email || r.website || r.address), {
    message: 'Give at least one way to reach them: phone, email, website or address.',
    path: ['phone'],
  });
export type ResourceInput = z.infer<typeof resourceInput>;

export type FieldErrors = Record<string, string>;

export function validateResource(raw: unknown): { ok: true; value: ResourceInput } | { ok: false; errors: FieldErrors } {
  const r = resourceInput.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const errors: FieldErrors = {};
  for (const i of r.error.issues) {
    const f = String(i.path[0] ?? 'name');
    errors[f] ??= i.message;
  }
  return { ok: false, errors };
}

/** How the client's agreement to share their details is obtained. */
export const SHARE_CHOICES = ['none', 'ask_client', 'verbal'] as const;

export const referralInput = z
  .object({
    resourceId: zUuid('Choose the organisation or service.'),
    reason: z
      .string()
      .trim()
      .min(1, 'Say briefly why (what the client needs from them).')
      .max(REFERRAL_REASON_MAX, `Keep the reason under ${REFERRAL_REASON_MAX} characters.`),
    share: z.enum(SHARE_CHOICES, { message: 'Say whether the client agreed to share their details.' }),
    verbalReason: opt(z.string().max(VERBAL_REASON_MAX, `Keep this under ${VERBAL_REASON_MAX} characters.`)),
  })
  .refine((r) => r.share !== 'verbal' || !!r.verbalReason, {
    message: 'Say when and how the client agreed (for example: "agreed on the phone on 2 Dec; has no Telegram access that week").',
    path: ['verbalReason'],
  });

export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];
export const OUTCOME_LABELS: Record<ReferralOutcome, string> = {
  reached: 'Reached them',
  waiting: 'Still waiting',
  declined: 'Client declined',
  not_suitable: 'Not suitable',
};
export const CONSENT_LABELS: Record<string, string> = {
  not_asked: 'details not shared',
  asked: 'asked the client to agree to sharing',
  given: 'client agreed to sharing',
  declined: 'client said no to sharing',
};
/** Final answers end the follow-up; "waiting" asks again later. */
export const isFinalOutcome = (o: string | null): boolean => !!o && o !== 'waiting';
