import type { Deps } from '../deps.js';
import { crisisPhrases } from '../clients/crisis.service.js';
import { DEFAULT_LIMITS, type IntakeContext, type Limits } from './intake.domain.js';

/** Per config (it never changes in a process): phrases and limits are not rebuilt for every answer. */
const contextCache = new WeakMap<Deps['config'], Omit<IntakeContext, 'now'>>();

export function intakeContext(deps: Deps): IntakeContext {
  let fixed = contextCache.get(deps.config);
  if (!fixed) {
    const max = deps.config.INTAKE_FIELD_MAX_CHARS;
    // One configured ceiling for the long answers; the short fields keep their own smaller limits.
    const limits: Partial<Limits> = { story: max, change: max, support: max, strengths: max };
    for (const k of Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>) limits[k] = Math.min(limits[k] ?? DEFAULT_LIMITS[k], max);
    fixed = {
      crisisPhrases: crisisPhrases(deps.config),
      defaultTimeZone: deps.config.DEFAULT_TIMEZONE,
      limits,
      gatherSeconds: deps.config.INTAKE_GATHER_SECONDS,
    };
    contextCache.set(deps.config, fixed);
  }
  return { ...fixed, now: deps.clock.now() };
}
