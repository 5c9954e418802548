import type { DeliveryKind } from './kind.js';
import { appointmentReminderKind } from '../../appointments/appointment-reminder.kind.js';
import { appointmentResponseKind } from '../../slack/kinds/appointment-response.kind.js';
import { outcomeQuestionKind } from '../../slack/kinds/outcome-question.kind.js';
import { deliveryFailedNoticeKind } from '../failure-notice.kind.js';
import { followUpNudgeKind } from '../../slack/kinds/follow-up-nudge.kind.js';
import { escalationKind } from '../../slack/kinds/escalation.kind.js';
import { crisisPageKind } from '../../slack/kinds/crisis-page.kind.js';
import { weeklyDigestKind } from '../../slack/kinds/weekly-digest.kind.js';
import { weeklyDigestChartsKind } from '../../reports/digest-charts.kind.js';
import { withdrawalNoticeKind } from '../../clients/withdrawal-notice.kind.js';
import { crisisReplyKind } from '../../clients/crisis-reply.kind.js';
import { crisisCheckinKind } from '../../escalations/crisis-checkin.kind.js';
import { oncallGapKind } from '../../escalations/oncall-gap.kind.js';
import { intakeCardKind } from '../../slack/kinds/intake-card.kind.js';
import { assignmentDmKind } from '../../slack/kinds/assignment-dm.kind.js';
import { clientReplyKind } from '../../slack/kinds/client-reply.kind.js';
import { messageToClientKind } from '../../cases/message-to-client.kind.js';
import { appointmentNoticeKind } from '../../appointments/appointment-notice.kind.js';
import { caseCardUpdateKind } from '../../slack/kinds/case-card-update.kind.js';
import { appHomeKind } from '../../slack/kinds/app-home.kind.js';
import { erasureRequestKind } from '../../slack/kinds/erasure-request.kind.js';
import { erasureDoneKind } from '../../clients/erasure-done.kind.js';
import { handoverNoticeKind } from '../../handover/handover-notice.kind.js';
import { handoverPacketKind } from '../../slack/kinds/handover-packet.kind.js';
import { referralConsentKind } from '../../referrals/referral-consent.kind.js';
import { referralFollowupKind } from '../../slack/kinds/referral-followup.kind.js';
import { intakeExpiredKind, intakeNudgeKind } from '../../intake/intake-notice.kind.js';

/**
 * Every delivery kind the sender knows, one file each (`*.kind.ts`, in the
 * feature that owns it). Add one import and one entry per kind.
 */
const KINDS: DeliveryKind[] = [
  appointmentReminderKind,
  appointmentResponseKind,
  outcomeQuestionKind,
  deliveryFailedNoticeKind,
  followUpNudgeKind,
  escalationKind,
  crisisPageKind,
  weeklyDigestKind,
  weeklyDigestChartsKind,
  withdrawalNoticeKind,
  crisisReplyKind,
  crisisCheckinKind,
  oncallGapKind,
  intakeCardKind,
  assignmentDmKind,
  clientReplyKind,
  messageToClientKind,
  appointmentNoticeKind,
  caseCardUpdateKind,
  appHomeKind,
  erasureRequestKind,
  erasureDoneKind,
  handoverNoticeKind,
  handoverPacketKind,
  referralConsentKind,
  referralFollowupKind,
  intakeNudgeKind,
  intakeExpiredKind,
];

export const DELIVERY_KINDS: ReadonlyMap<string, DeliveryKind> = new Map(KINDS.map((k) => [k.kind, k]));
