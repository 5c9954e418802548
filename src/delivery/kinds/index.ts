import type { DeliveryKind } from './kind.js';
import { appointmentReminderKind } from '../../appointments/appointment-reminder.kind.js';
import { appointmentResponseKind } from '../../appointments/appointment-response.kind.js';
import { outcomeQuestionKind } from '../../appointments/outcome-question.kind.js';
import { deliveryFailedNoticeKind } from '../failure-notice.kind.js';
import { withdrawalNoticeKind } from '../../clients/withdrawal-notice.kind.js';

/**
 * Every delivery kind the sender knows, one file each (`*.kind.ts`, in the
 * feature that owns it). Add one import and one entry per kind.
 */
const KINDS: DeliveryKind[] = [
  appointmentReminderKind,
  appointmentResponseKind,
  outcomeQuestionKind,
  deliveryFailedNoticeKind,
  withdrawalNoticeKind,
];

export const DELIVERY_KINDS: ReadonlyMap<string, DeliveryKind> = new Map(KINDS.map((k) => [k.kind, k]));
