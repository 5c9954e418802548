import { Duration } from 'luxon';
import { z } from 'zod';

/**
 * The escalation policy's table as data (zod-validated, with defaults), so an agency can
 * tune it from env/JSON without a code change; the rules that read it: policy.domain.ts.
 */

const isoDuration = z.string().refine((s) => {
  const d = Duration.fromISO(s);
  return d.isValid && d.months === 0 && d.years === 0 && d.quarters === 0 && d.as('milliseconds') >= 0;
}, 'expected a non-negative ISO-8601 duration without months/years, e.g. "PT24H"');
/** An ISO-8601 duration in milliseconds. */
export const ms = (iso: string): number => Duration.fromISO(iso).as('milliseconds');

// Every field has its default so a config can override one value and keep the rest.
const quietThresholdsSchema = z.object({
  crisis: z.number().positive().default(2),
  high: z.number().positive().default(7),
  normal: z.number().positive().default(14),
  low: z.number().positive().default(30),
});
/** Days (real 24 h periods) without a note before a case counts as quiet. */
export type QuietThresholds = z.output<typeof quietThresholdsSchema>;
export const DEFAULT_QUIET_THRESHOLDS: QuietThresholds = quietThresholdsSchema.parse({});

/** Who a crisis page goes to: `oncall` is the rota (if nobody is on call: the team's supervisors and the supervision channel). */
const CRISIS_AUDIENCES = ['oncall', 'team_supervisors', 'supervision_channel', 'admins'] as const;
export type CrisisAudience = (typeof CRISIS_AUDIENCES)[number];
const crisisTierSchema = z.object({ after: isoDuration, notify: z.array(z.enum(CRISIS_AUDIENCES)).min(1) });
export type CrisisTier = z.infer<typeof crisisTierSchema>;
const DEFAULT_CRISIS_TIERS: CrisisTier[] = [
  { after: 'PT0M', notify: ['oncall'] },
  { after: 'PT15M', notify: ['oncall', 'team_supervisors', 'supervision_channel'] },
  { after: 'PT30M', notify: ['oncall', 'team_supervisors', 'supervision_channel', 'admins'] },
];

const levelSchema = z.object({
  level: z.number().int().min(0),
  target: z.enum(['worker', 'supervisor', 'supervision_channel']),
  /** Measured from the escalation's openedAt. */
  after: isoDuration,
});

export const escalationPolicySchema = z.object({
  levels: z
    .array(levelSchema)
    .min(1)
    .refine((ls) => ls.every((l, i) => l.level === i), 'levels must be numbered 0, 1, 2 … in order')
    .refine((ls) => ls.every((l, i) => i === 0 || ms(l.after) >= ms(ls[i - 1]!.after)), 'each level\'s "after" must be >= the previous one'),
  /** Repeat interval once the top level has been notified. */
  repeatEvery: isoDuration.refine((s) => ms(s) > 0, 'repeatEvery must be > 0'),
  crisis: z.object({
    target: z.literal('oncall_supervisors').default('oncall_supervisors'),
    repeatEvery: isoDuration.refine((s) => ms(s) > 0, 'crisis.repeatEvery must be > 0'),
    ignoresWorkingHours: z.boolean().default(true),
    /**
     * Who is paged, by time since the crisis opened (or since a missed safety-plan deadline):
     * each tier's list replaces the one before. Pages repeat every repeatEvery at every tier.
     */
    tiers: z
      .array(crisisTierSchema)
      .min(1)
      .refine((ts) => ms(ts[0]!.after) === 0, 'the first crisis tier starts at once ("PT0M")')
      .refine((ts) => ts.every((t, i) => i === 0 || ms(t.after) > ms(ts[i - 1]!.after)), 'crisis tiers must start later and later')
      .default(DEFAULT_CRISIS_TIERS),
  }),
  /**
   * First level per reason when nothing was sent yet. An unassigned intake has
   * no worker to nudge, so it starts with the supervisor.
   */
  startLevel: z.partialRecord(z.enum(['follow_up_overdue', 'quiet_case', 'unassigned_intake', 'no_show_repeat']), z.number().int().min(0)),
});
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  levels: [
    { level: 0, target: 'worker', after: 'PT0H' },
    { level: 1, target: 'supervisor', after: 'PT24H' },
    { level: 2, target: 'supervision_channel', after: 'PT48H' },
  ],
  repeatEvery: 'PT24H',
  crisis: { target: 'oncall_supervisors', repeatEvery: 'PT15M', ignoresWorkingHours: true, tiers: DEFAULT_CRISIS_TIERS },
  startLevel: { unassigned_intake: 1 },
};

export const policyConfigSchema = z.object({
  quietThresholdsDays: quietThresholdsSchema.prefault({}),
  escalation: escalationPolicySchema.default(DEFAULT_ESCALATION_POLICY),
  /** Working hours an intake may stay unassigned before it escalates. */
  unassignedIntakeAfterWorkingHours: z.number().nonnegative().default(4),
});
export type PolicyConfig = z.infer<typeof policyConfigSchema>;
export const DEFAULT_POLICY_CONFIG: PolicyConfig = policyConfigSchema.parse({});

/** Parse a JSON string (e.g. from an env variable); empty/undefined → defaults. */
export function loadPolicyConfig(json: string | undefined): PolicyConfig {
  if (json === undefined || json.trim() === '') return DEFAULT_POLICY_CONFIG;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('escalation policy config is not valid JSON');
  }
  return policyConfigSchema.parse(raw);
}
