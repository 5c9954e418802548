import type { DeliveryKind } from './delivery/kinds/kind.js';
import type { DeliveryKindName } from './delivery/kinds/names.js';
import { scheduled, type JobEntry } from '../workers/processor.js';
// Jobs: one processor per job type (workers/processors/*.processor.ts, each naming its src/jobs/*.job.ts).
import { deliverySendProcessor } from '../workers/processors/delivery-send.processor.js';
import { deliveryTickProcessor } from '../workers/processors/delivery-tick.processor.js';
import { reconcileProcessor } from '../workers/processors/reconcile.processor.js';
import { escalationTickProcessor } from '../workers/processors/escalation-tick.processor.js';
import { intakeSweepProcessor } from '../workers/processors/intake-sweep.processor.js';
import { handoverTickProcessor } from '../workers/processors/handover-tick.processor.js';
import { erasureRunProcessor } from '../workers/processors/erasure-run.processor.js';
import { erasureTickProcessor } from '../workers/processors/erasure-tick.processor.js';
import { retentionProcessor } from '../workers/processors/retention.processor.js';
import { erasureSlackCleanupProcessor } from '../workers/processors/erasure-slack-cleanup.processor.js';
import { redactionSlackCleanupProcessor } from '../workers/processors/redaction-slack-cleanup.processor.js';
// Delivery kinds: one renderer per kind (`*.kind.ts`, in the feature or platform folder that owns its words).
import { appointmentReminderKind } from './slack/kinds/appointment-reminder.kind.js';
import { appointmentResponseKind } from './slack/kinds/appointment-response.kind.js';
import { appointmentNoticeKind } from './appointments/appointment-notice.kind.js';
import { outcomeQuestionKind } from './slack/kinds/outcome-question.kind.js';
import { deliveryFailedNoticeKind } from './slack/kinds/failure-notice.kind.js';
import { followUpNudgeKind } from './slack/kinds/follow-up-nudge.kind.js';
import { escalationKind } from './slack/kinds/escalation.kind.js';
import { crisisPageKind } from './slack/kinds/crisis-page.kind.js';
import { weeklyDigestKind } from './slack/kinds/weekly-digest.kind.js';
import { weeklyDigestChartsKind } from './slack/kinds/digest-charts.kind.js';
import { crisisCheckinKind } from './escalations/crisis-checkin.kind.js';
import { oncallGapKind } from './slack/kinds/oncall-gap.kind.js';
import { withdrawalNoticeKind } from './slack/kinds/withdrawal-notice.kind.js';
import { crisisReplyKind } from './clients/crisis-reply.kind.js';
import { erasureRequestKind } from './slack/kinds/erasure-request.kind.js';
import { erasureDoneKind } from './clients/erasure-done.kind.js';
import { messageToClientKind } from './cases/message-to-client.kind.js';
import { handoverNoticeKind } from './handover/handover-notice.kind.js';
import { referralConsentKind } from './referrals/referral-consent.kind.js';
import { referralFollowupKind } from './slack/kinds/referral-followup.kind.js';
import { intakeExpiredKind, intakeNudgeKind } from './intake/intake-notice.kind.js';
import { intakeCardKind } from './slack/kinds/intake-card.kind.js';
import { assignmentDmKind } from './slack/kinds/assignment-dm.kind.js';
import { clientReplyKind } from './slack/kinds/client-reply.kind.js';
import { caseCardUpdateKind } from './slack/kinds/case-card-update.kind.js';
import { appHomeKind } from './slack/kinds/app-home.kind.js';
import { handoverPacketKind } from './slack/kinds/handover-packet.kind.js';

/**
 * THE CATALOGUE: every job type with its processor, its schedule (if it
 * recurs) and the delivery kinds it sends. Everything else derives from it:
 * the workers dispatch on it (workers/start.ts), the schedulers started at boot
 * and rebuilt by the watchdog after Redis loses its keys are its `schedule`s
 * (workers/schedules.ts), and the sender's kind lookup is delivery.send's
 * `sends` (handed to delivery/ as deps.deliveryKinds by src/compose.ts).
 * Adding a job or a kind is one import and one entry here.
 */

/** Every delivery kind by name: a missing, extra or misnamed renderer is a compile error (names in delivery/kinds/names.ts). */
const KINDS = {
  appointment_reminder: appointmentReminderKind,
  appointment_response: appointmentResponseKind,
  appointment_notice: appointmentNoticeKind,
  outcome_question: outcomeQuestionKind,
  delivery_failed_notice: deliveryFailedNoticeKind,
  follow_up_nudge: followUpNudgeKind,
  escalation: escalationKind,
  crisis_page: crisisPageKind,
  weekly_digest: weeklyDigestKind,
  weekly_digest_charts: weeklyDigestChartsKind,
  crisis_checkin: crisisCheckinKind,
  oncall_gap: oncallGapKind,
  withdrawal_notice: withdrawalNoticeKind,
  crisis_reply: crisisReplyKind,
  erasure_request: erasureRequestKind,
  erasure_done: erasureDoneKind,
  message_to_client: messageToClientKind,
  handover_notice: handoverNoticeKind,
  referral_consent: referralConsentKind,
  referral_followup: referralFollowupKind,
  intake_nudge: intakeNudgeKind,
  intake_expired: intakeExpiredKind,
  intake_card: intakeCardKind,
  assignment_dm: assignmentDmKind,
  client_reply: clientReplyKind,
  case_card_update: caseCardUpdateKind,
  app_home: appHomeKind,
  handover_packet: handoverPacketKind,
} satisfies { [K in DeliveryKindName]: DeliveryKind<K> };

export const DELIVERY_KINDS: ReadonlyMap<DeliveryKindName, DeliveryKind> = new Map(Object.entries(KINDS) as Array<[DeliveryKindName, DeliveryKind]>);

export const JOBS: readonly JobEntry[] = [
  { ...deliverySendProcessor, sends: DELIVERY_KINDS },
  // Due-row scan (the repair path and what makes a moved clock send); the reconciler re-adds the delayed jobs of rows due later.
  scheduled(deliveryTickProcessor, 'delivery-tick', (d) => d.config.DELIVERY_TICK_SECONDS * 1000),
  scheduled(reconcileProcessor, 'reconcile', (d) => d.config.RECONCILE_EVERY_SECONDS * 1000),
  // Escalations: overdue follow-ups, quiet cases, unassigned intakes, crisis pages, weekly digests.
  scheduled(escalationTickProcessor, 'escalations-tick', (d) => d.config.ESCALATION_TICK_SECONDS * 1000),
  // Idle intake drafts: one nudge, deletion after INTAKE_DRAFT_TTL_DAYS, expired button tokens.
  scheduled(intakeSweepProcessor, 'intake-sweep', (d) => d.config.INTAKE_SWEEP_EVERY_MINUTES * 60_000),
  // Leave cover: cases go back to their worker on the until date.
  scheduled(handoverTickProcessor, 'handover-tick', (d) => d.config.HANDOVER_TICK_MINUTES * 60_000),
  // Data lifecycle: erasure holds, deadlines and resumption hourly; retention daily; Slack copies rewritten.
  erasureRunProcessor,
  scheduled(erasureTickProcessor, 'erasure-tick', () => 3600_000),
  scheduled(retentionProcessor, 'retention', () => 24 * 3600_000),
  erasureSlackCleanupProcessor,
  redactionSlackCleanupProcessor,
];
