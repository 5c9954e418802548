/**
 * The name of every delivery kind: what a ledger row's `kind` starts with
 * (optionally followed by `.slot`, e.g. 'appointment_reminder.PT24H').
 *
 * A type only, and a leaf: planning code in every feature checks its kind names
 * against it (PlannedDelivery.kind), and the catalogue at the composition root
 * (src/catalogue.ts) must map each name to exactly one renderer whose `kind` is
 * that name. A name typed wrong, missing from the catalogue or renderer-less is
 * a compile error, not an `unknown_kind` at send time.
 */
export type DeliveryKindName =
  | 'appointment_reminder'
  | 'appointment_response'
  | 'appointment_notice'
  | 'outcome_question'
  | 'delivery_failed_notice'
  | 'follow_up_nudge'
  | 'escalation'
  | 'crisis_page'
  | 'weekly_digest'
  | 'weekly_digest_charts'
  | 'withdrawal_notice'
  | 'crisis_reply'
  | 'crisis_checkin'
  | 'oncall_gap'
  | 'intake_card'
  | 'assignment_dm'
  | 'client_reply'
  | 'message_to_client'
  | 'case_card_update'
  | 'app_home'
  | 'erasure_request'
  | 'erasure_done'
  | 'handover_notice'
  | 'handover_packet'
  | 'referral_consent'
  | 'referral_followup'
  | 'intake_nudge'
  | 'intake_expired';

/** A ledger row's kind: the renderer's name, or the name and a slot after a dot. */
export type LedgerKind = DeliveryKindName | `${DeliveryKindName}.${string}`;
