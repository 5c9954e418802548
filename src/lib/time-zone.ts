/**
 * The one check that a name is an IANA time zone this runtime knows (what
 * Luxon's IANAZone.isValidZone does: Intl accepts it). Used for the config,
 * staff zones from Slack, clients' chosen zones and every working-time and
 * quiet-hours computation.
 *
 * Building an Intl.DateTimeFormat on every call costs about a tenth of a
 * booking's CPU (every quiet-hours check validates its zone). The answer for a
 * name never changes within a process, so valid names are remembered; invalid
 * ones are not, so junk input cannot grow the set.
 */
const knownZones = new Set<string>();

export function isValidZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }).format();
  } catch {
    return false;
  }
  knownZones.add(zone);
  return true;
}
