import type { Config } from '../config.js';

/**
 * The job horizon. Booking plans a reminder weeks ahead, but a BullMQ delayed
 * job for it would only sit in Redis until then (and cost the booking a Redis
 * write per row): send jobs are added only for rows due within the horizon.
 * The reconciler (reconcile.ts), every RECONCILE_EVERY_SECONDS, adds the jobs
 * of pending rows that have come within it, from PostgreSQL. The horizon is
 * at least RECONCILE_PERIODS reconcile periods, so a row is always scheduled
 * several runs before it is due, even if a run is missed; and the due-row tick
 * (tick.ts) adds a job for any due row that has none, whatever the horizon.
 */
const RECONCILE_PERIODS = 4;

export type HorizonConfig = Pick<Config, 'DELIVERY_JOB_HORIZON_SECONDS' | 'RECONCILE_EVERY_SECONDS'>;

export function jobHorizonMs(config: HorizonConfig): number {
  return Math.max(config.DELIVERY_JOB_HORIZON_SECONDS, RECONCILE_PERIODS * config.RECONCILE_EVERY_SECONDS) * 1000;
}
