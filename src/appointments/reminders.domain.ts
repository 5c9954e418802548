import { type DateTime, Duration } from 'luxon';
import {
  type QuietHours,
  type WorkingHours,
  earliestAllowedAtOrAfter,
  isInQuietHours,
  latestAllowedAtOrBefore,
  nextWorkingDayAt,
} from '../lib/working-time.js';

/**
 * Reminder planning for appointments. Pure: `now` is a parameter and the result
 * is a list of rows for the deliveries ledger (planned AND skipped, so the
 * ledger can say why a reminder did not go out).
 *
 * Offsets are REAL durations: 'PT24H' is 24 elapsed hours before the start, not
 * "the day before at the same wall-clock time". The two differ by an hour when
 * the 24 h span contains a DST change: for 09:00 BST on Sunday 29 March 2026
 * (clocks went forward that night in London) the reminder goes at 08:00 GMT on
 * Saturday, not 09:00. We chose real time because it is what the offset says,
 * it is what "30 minutes before" must mean anyway, and one rule for every
 * offset is easier to explain; 'P1D' is likewise 24 h. Calendar units (months,
 * years) are rejected as ambiguous.
 */

export type DeliveryKind = 'appointment_reminder' | 'outcome_question';
export type Recipient = 'client' | 'worker';
type SkipReason = 'due_time_passed' | 'reminders_off' | 'no_channel' | 'quiet_hours_no_slot' | 'merged';

export interface PlannedDelivery {
  kind: DeliveryKind;
  recipient: Recipient;
  /** The ISO offset this reminder was planned for; absent for non-offset kinds. */
  offset?: string;
  subjectId: string;
  version: number;
  /** UTC. For skipped rows: the nominal due time (start − offset). */
  dueAt: DateTime;
  /** Earliest allowed send (send-ahead window), UTC; only when earlier than dueAt. */
  notBefore?: DateTime;
  status: 'planned' | 'skipped';
  skipReason?: SkipReason;
  /** deliveryKey(kind, subjectId, version, recipient, offset): the ledger/job id. */
  key: string;
}

export interface AppointmentForPlanning {
  id: string;
  version: number;
  startsAt: DateTime;
  durationMin: number;
}

export interface PlanRemindersInput {
  appointment: AppointmentForPlanning;
  /** quietHours null = the client has none. */
  client: { zone: string; quietHours: QuietHours | null; remindersOff?: boolean; hasTelegram: boolean };
  /** Kept for rendering by the caller; worker reminders are not moved (work chat, no quiet hours). */
  worker: { zone: string };
  offsets: { client: string[]; worker: string[] };
  /** One ISO duration for every offset, or one per offset string (e.g. { PT24H: 'PT15M' }). */
  sendAheadWindow?: string | Record<string, string>;
  now: DateTime;
}

/**
 * A reminder moved earlier by quiet hours that lands at, before, or within this
 * long after a larger-offset reminder to the same person says nothing new: it
 * is skipped as 'merged'. Unmoved reminders are never merged (the configured
 * offsets are a deliberate choice).
 */
const MERGE_WINDOW = Duration.fromObject({ hours: 1 });

export class ReminderConfigError extends Error {
  readonly code = 'INVALID_REMINDER_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ReminderConfigError';
  }
}

/** Valid durations already parsed (the configured offsets, parsed for every booking otherwise). */
const parsedDurations = new Map<string, number>();

/** ISO duration → real milliseconds; rejects invalid, negative and calendar-unit durations. */
export function durationMs(iso: string, field = 'duration'): number {
  const known = parsedDurations.get(iso);
  if (known !== undefined) return known;
  const ms = parseDurationMs(iso, field);
  if (parsedDurations.size < 1_000) parsedDurations.set(iso, ms);
  return ms;
}

function parseDurationMs(iso: string, field: string): number {
  const d = Duration.fromISO(iso);
  if (!d.isValid) throw new ReminderConfigError(`${field}: "${iso}" is not an ISO-8601 duration (e.g. "PT24H")`);
  if (d.years !== 0 || d.quarters !== 0 || d.months !== 0) {
    throw new ReminderConfigError(`${field}: "${iso}" uses months/years, whose length is ambiguous; use days or hours`);
  }
  // Days and weeks are taken as 24 h / 168 h of real time (Luxon's casual matrix).
  const ms = d.as('milliseconds');
  if (ms < 0) throw new ReminderConfigError(`${field}: "${iso}" must not be negative`);
  return ms;
}

const KEY_SEP = '.';

/**
 * The deliveries table is unique on (kind, subject, version, recipient), which
 * has no room for the offset: store reminders under `kind.offset` (e.g.
 * 'appointment_reminder.PT24H') so the 24 h and 2 h rows do not collide.
 */
export function ledgerKind(d: Pick<PlannedDelivery, 'kind' | 'offset'>): DeliveryKind | `${DeliveryKind}.${string}` {
  return d.offset === undefined ? d.kind : `${d.kind}${KEY_SEP}${d.offset}`;
}

/**
 * Deterministic ledger key / job id: `kind.subjectId.vN.recipient[.slot]`.
 * Reminders pass their offset as `slot`: without it the 24 h and 2 h reminders
 * to the same client would share one key. No ':' (BullMQ job ids forbid it).
 */
export function deliveryKey(kind: DeliveryKind, subjectId: string, version: number, recipient: Recipient, slot?: string): string {
  const parts = [kind, subjectId, `v${version}`, recipient, ...(slot === undefined ? [] : [slot])];
  for (const p of parts) {
    if (p.length === 0 || p.includes(':') || p.includes(KEY_SEP)) {
      throw new ReminderConfigError(`deliveryKey: part "${p}" must be non-empty and contain neither ':' nor '${KEY_SEP}'`);
    }
  }
  return parts.join(KEY_SEP);
}

function windowFor(sendAhead: PlanRemindersInput['sendAheadWindow'], offset: string): number {
  if (sendAhead === undefined) return 0;
  const iso = typeof sendAhead === 'string' ? sendAhead : sendAhead[offset];
  return iso === undefined ? 0 : durationMs(iso, `sendAheadWindow[${offset}]`);
}

/** Larger offsets first (they are due first); duplicates collapse. */
function sortedOffsets(list: string[], who: Recipient): { iso: string; ms: number }[] {
  const seen = new Map<number, string>();
  for (const iso of list) {
    const ms = durationMs(iso, `offsets.${who}`);
    if (!seen.has(ms)) seen.set(ms, iso);
  }
  return [...seen].map(([ms, iso]) => ({ iso, ms })).sort((a, b) => b.ms - a.ms);
}

/**
 * Plan every reminder for one appointment version. Rules, in order, per reminder:
 * 1. client opted out → skipped 'reminders_off'; client has no Telegram chat →
 *    skipped 'no_channel' (worker reminders are unaffected by either);
 * 2. nominal due = start − offset; if that is before `now` → 'due_time_passed'
 *    (booked 20 h ahead: the 24 h one is skipped, the 2 h one planned);
 * 3. client only: a due time in quiet hours moves EARLIER to the minute before
 *    the quiet period began. If that is before `now`, it goes at `now` when now
 *    is outside quiet hours, else 'quiet_hours_no_slot' (we never wake a client);
 * 4. client only: a moved reminder at/before/within MERGE_WINDOW of a planned
 *    larger-offset one → 'merged' (the earlier message already covers it);
 * 5. send-ahead: notBefore = dueAt − window, never before `now`, never inside
 *    the client's quiet hours (pushed to the end of that quiet period).
 */
export function planReminders(input: PlanRemindersInput): PlannedDelivery[] {
  const { appointment, client, now } = input;
  const start = appointment.startsAt.toUTC();
  const nowUtc = now.toUTC();
  const out: PlannedDelivery[] = [];

  for (const recipient of ['client', 'worker'] as const) {
    let lastPlanned: DateTime | null = null;
    for (const { iso, ms } of sortedOffsets(input.offsets[recipient], recipient)) {
      const nominal = start.minus({ milliseconds: ms });
      const base = {
        kind: 'appointment_reminder' as const,
        recipient,
        offset: iso,
        subjectId: appointment.id,
        version: appointment.version,
        key: deliveryKey('appointment_reminder', appointment.id, appointment.version, recipient, iso),
      };
      const skip = (skipReason: SkipReason, dueAt: DateTime = nominal): void => {
        out.push({ ...base, dueAt, status: 'skipped', skipReason });
      };

      if (recipient === 'client' && client.remindersOff) {
        skip('reminders_off');
        continue;
      }
      if (recipient === 'client' && !client.hasTelegram) {
        skip('no_channel');
        continue;
      }
      if (nominal < nowUtc) {
        skip('due_time_passed');
        continue;
      }

      let dueAt = nominal;
      const quiet = recipient === 'client' ? client.quietHours : null;
      if (quiet && isInQuietHours(quiet, nominal)) {
        dueAt = latestAllowedAtOrBefore(quiet, nominal);
        if (dueAt < nowUtc) {
          if (isInQuietHours(quiet, nowUtc)) {
            skip('quiet_hours_no_slot');
            continue;
          }
          dueAt = nowUtc;
        }
        if (lastPlanned && dueAt <= lastPlanned.plus(MERGE_WINDOW)) {
          skip('merged', dueAt);
          continue;
        }
      }

      let notBefore: DateTime | undefined;
      const ahead = windowFor(input.sendAheadWindow, iso);
      if (ahead > 0) {
        let nb = dueAt.minus({ milliseconds: ahead });
        if (nb < nowUtc) nb = nowUtc;
        if (quiet) nb = earliestAllowedAtOrAfter(quiet, nb);
        if (nb < dueAt) notBefore = nb;
      }
      out.push({ ...base, dueAt, ...(notBefore ? { notBefore } : {}), status: 'planned' });
      lastPlanned = dueAt;
    }
  }
  return out;
}

/**
 * Ask the worker for the outcome and a note after the appointment ends. Not
 * moved into working hours here: the delivery layer decides that for Slack.
 */
export function planOutcomeQuestion(appointment: AppointmentForPlanning, opts: { afterEnd: string } = { afterEnd: 'PT1H' }): PlannedDelivery {
  const end = appointment.startsAt.toUTC().plus({ minutes: appointment.durationMin });
  return {
    kind: 'outcome_question',
    recipient: 'worker',
    subjectId: appointment.id,
    version: appointment.version,
    dueAt: end.plus({ milliseconds: durationMs(opts.afterEnd, 'afterEnd') }),
    status: 'planned',
    key: deliveryKey('outcome_question', appointment.id, appointment.version, 'worker'),
  };
}

export interface NoShowDecision {
  followUpAt: DateTime;
  informSupervisor: boolean;
}

/**
 * After a no-show the worker follows up at the start of their next working day
 * (tomorrow or later, in the worker's zone); a second consecutive no-show is a
 * pattern the supervisor should know about.
 */
export function decideAfterNoShow(input: { consecutiveNoShows: number; workerWorkingHours: WorkingHours; now: DateTime }): NoShowDecision {
  const { consecutiveNoShows, workerWorkingHours: wh, now } = input;
  return {
    followUpAt: nextWorkingDayAt(wh, now, wh.start),
    informSupervisor: consecutiveNoShows >= 2,
  };
}
