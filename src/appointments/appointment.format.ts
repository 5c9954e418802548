import { DateTime } from 'luxon';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { appointments } from '../db/schema.js';
import type { DeliveryRow } from '../delivery/ledger.js';
import { AAD } from '../cases/case-aad.js';
import { isAmbiguousLocal } from '../lib/working-time.js';
import { DATE_LOCALE, type Language } from '../lib/languages.js';

/** Shared by the appointment delivery kinds: load the appointment a row names and check it is still the one planned for. */
export type AppointmentRow = typeof appointments.$inferSelect;

export async function loadAppointment(db: Db, id: string): Promise<AppointmentRow | undefined> {
  const [row] = await db.select().from(appointments).where(eq(appointments.id, id)).limit(1);
  return row;
}

/**
 * Why a message planned for this appointment version must not go out any
 * more, or null. A reschedule bumps the version, so the old version's rows
 * are 'superseded'; a cancelled appointment's rows are 'cancelled'.
 */
export function staleReason(appt: AppointmentRow | undefined, row: Pick<DeliveryRow, 'version'>): string | null {
  if (!appt) return 'appointment_not_found';
  if (appt.status === 'cancelled') return 'cancelled';
  if (appt.version !== row.version) return 'superseded';
  return null;
}

const MODE_EN: Record<string, string> = { in_person: 'in person', phone: 'by phone', video: 'by video' };

/** Staff-facing (Slack, English): "Tue 24 Nov 10:00 GMT, in person, 60 min" in the reader's zone. */
export function describeForStaff(appt: AppointmentRow, zone: string): string {
  return `${staffTime(appt.startsAt, zone)}, ${MODE_EN[appt.mode] ?? appt.mode}, ${appt.durationMin} min`;
}

export const RESPONSE_EN: Record<string, string> = {
  confirmed: 'confirmed',
  needs_other_time: 'needs another time',
  cant_come: "can't come",
};

/** 'Wed 25 Nov 05:00 EST' in the reader's zone (US-style zone names are the ones people recognise: GMT, BST, EST, PST). */
export function staffTime(at: Date, zone: string): string {
  const local = DateTime.fromJSDate(at).setZone(zone);
  return `${local.setLocale('en-GB').toFormat('ccc d LLL HH:mm')} ${local.setLocale('en-US').offsetNameShort ?? zone}`;
}

/** The decrypted place of an in-person appointment, or null (none given, or not decryptable with the configured keys). */
export function openLocation(deps: { cipher: { decrypt(enc: string, aad: string): string } }, appt: Pick<AppointmentRow, 'locationEnc'>): string | null {
  if (!appt.locationEnc) return null;
  try {
    return deps.cipher.decrypt(appt.locationEnc, AAD.appointmentLocation);
  } catch {
    return null;
  }
}

/** The client-facing "(in person, at 12 High Street)" detail: the mode in their words, and the place when there is one. */
export function clientDetail(
  t: (key: never, vars?: Record<string, string>) => string,
  appt: Pick<AppointmentRow, 'mode' | 'locationEnc'>,
  deps: Parameters<typeof openLocation>[0],
): string {
  const mode = t(`appt.mode.${appt.mode}` as never);
  const place = appt.mode === 'in_person' ? openLocation(deps, appt) : null;
  return place ? t('appt.at_place' as never, { mode, place }) : mode;
}

/**
 * Client-facing (Telegram): the time in the client's zone and language, in the
 * language's format. A wall time that happens twice there (the autumn change)
 * carries its zone abbreviation or offset ("02:30 CEST"), so the client knows
 * which 02:30 is meant.
 */
export function clientTime(at: Date, zone: string, lang: Language, format: string): string {
  const local = DateTime.fromJSDate(at).setZone(zone).setLocale(DATE_LOCALE[lang]);
  const text = local.toFormat(format);
  return isAmbiguousLocal(local, zone) ? `${text} ${local.toFormat('ZZZZ')}` : text;
}
