import type { Config } from '../config.js';
import type { WorkingHours } from '../lib/working-time.js';
import { loadPolicyConfig, policyConfigSchema, type PolicyConfig } from './policy.domain.js';

/**
 * The escalation policy in force: ESCALATION_POLICY (JSON, optional) with the
 * single-value variables on top (QUIET_CASE_DAYS_*, UNASSIGNED_INTAKE_WORKING_HOURS,
 * ONCALL_REPEAT_MINUTES). Two no-shows in a row go to the supervisor first
 * (the worker already knows), like an unassigned intake.
 * Throws a readable error naming the problem when the JSON does not fit.
 */
const cache = new WeakMap<object, PolicyConfig>();

export function policyFromConfig(config: Readonly<Config>): PolicyConfig {
  const hit = cache.get(config);
  if (hit) return hit;
  let base: PolicyConfig;
  try {
    base = loadPolicyConfig(config.ESCALATION_POLICY);
  } catch (err) {
    throw new Error(`ESCALATION_POLICY is not a valid policy: ${(err as Error).message}`);
  }
  const q = base.quietThresholdsDays;
  const merged = policyConfigSchema.parse({
    ...base,
    quietThresholdsDays: {
      crisis: config.QUIET_CASE_DAYS_CRISIS ?? q.crisis,
      high: config.QUIET_CASE_DAYS_HIGH ?? q.high,
      normal: config.QUIET_CASE_DAYS_NORMAL ?? q.normal,
      low: config.QUIET_CASE_DAYS_LOW ?? q.low,
    },
    unassignedIntakeAfterWorkingHours: config.UNASSIGNED_INTAKE_WORKING_HOURS ?? base.unassignedIntakeAfterWorkingHours,
    escalation: {
      ...base.escalation,
      startLevel: { no_show_repeat: 1, ...base.escalation.startLevel },
      crisis: { ...base.escalation.crisis, ...(config.ONCALL_REPEAT_MINUTES ? { repeatEvery: `PT${config.ONCALL_REPEAT_MINUTES}M` } : {}) },
    },
  });
  cache.set(config, merged);
  return merged;
}

/** The intake team's hours (for "unassigned within N working hours"): weekdays 09:00–17:00 in the agency's zone. */
export function intakeTeamHours(config: Pick<Config, 'DEFAULT_TIMEZONE'>): WorkingHours {
  return { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', zone: config.DEFAULT_TIMEZONE };
}

export function staffHours(s: { timeZone: string; workingHours: { days: number[]; start: string; end: string } }): WorkingHours {
  return { ...s.workingHours, zone: s.timeZone };
}
