import { sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { deliverySendJob } from '../jobs/delivery-send.job.js';

/**
 * Send-ahead sized from the ledger (on unless SEND_AHEAD_WINDOW is set, which
 * then applies to every reminder as planned). When more Telegram messages are
 * due around the same time than the bot may send in a few seconds, the later
 * part of the burst would go out late: at the bot's rate, message k of a
 * burst due at T cannot go before T + k/rate. So, looking ahead, each pending
 * Telegram row gets the latest time that still lets every row go by its own
 * due time at the bot's rate — counting every row due around it — and may go
 * from a little before that (`not_before`, with 15 % + 2 s of slack for the
 * pacing's own losses). Rows that would be sent under 5 s early are left as
 * they are; a time inside the client's quiet hours is never chosen (that row
 * waits for its due time); nothing goes before now. One statement; the
 * moved jobs get their new delay.
 *
 * Ideal time of row k (by due time, j ≥ k the rows after it, r the rate):
 *   s_k = k/r + min_{j ≥ k} (due_j − j/r)   (as late as possible, none late)
 */
const LOOKAHEAD_HOURS = 2;
const MIN_AHEAD_SECONDS = 5;
const SLACK_FACTOR = 0.15;
const SLACK_SECONDS = 2;

export async function spreadDueBursts(deps: Pick<Deps, 'db' | 'queues' | 'clock' | 'config'>): Promise<number> {
  if (deps.config.SEND_AHEAD_WINDOW) return 0;
  const now = deps.clock.now();
  const rate = deps.config.TELEGRAM_MESSAGES_PER_SECOND;
  const nowS = now.toMillis() / 1000;
  const res = (await deps.db.execute(sql`
    with c as (
      select d.id, extract(epoch from coalesce(d.not_before, d.due_at))::float8 as due,
        row_number() over (order by coalesce(d.not_before, d.due_at), d.id)::float8 as j
      from deliveries d
      where d.status = 'pending' and d.channel = 'telegram'
        and d.due_at > ${now.toJSDate()} and d.due_at <= ${now.plus({ hours: LOOKAHEAD_HOURS }).toJSDate()}
    ), s as (
      select id, due, j / ${rate}::float8 + min(due - j / ${rate}::float8) over (order by j rows between current row and unbounded following) as ideal
      from c
    ), plan as (
      select s.id, to_timestamp(greatest(${nowS}::float8, s.ideal - (s.due - s.ideal) * ${SLACK_FACTOR}::float8 - ${SLACK_SECONDS}::float8)) as nb
      from s where s.due - s.ideal >= ${MIN_AHEAD_SECONDS}
    )
    update deliveries d set not_before = plan.nb, updated_at = ${now.toJSDate()}
    from plan
    where d.id = plan.id and d.not_before is null and d.status = 'pending'
      and not exists (
        select 1 from clients cl
        where d.recipient = 'client:' || cl.id::text
          and (case when cl.quiet_hours_start < cl.quiet_hours_end
                 then to_char(plan.nb at time zone cl.time_zone, 'HH24:MI') >= cl.quiet_hours_start and to_char(plan.nb at time zone cl.time_zone, 'HH24:MI') < cl.quiet_hours_end
                 else to_char(plan.nb at time zone cl.time_zone, 'HH24:MI') >= cl.quiet_hours_start or to_char(plan.nb at time zone cl.time_zone, 'HH24:MI') < cl.quiet_hours_end end))
    returning d.id, d.not_before`)) as unknown as { rows: Array<{ id: string; not_before: Date | string }> };
  const queue = deps.queues.queue(deliverySendJob.queue);
  for (const r of res.rows) {
    const job = await queue.getJob(deliverySendJob.jobId({ deliveryId: r.id }));
    if (!job || !(await job.isDelayed()) || (job.data as { slotAt?: number }).slotAt) continue;
    await job.changeDelay(Math.max(0, new Date(r.not_before).getTime() - now.toMillis())).catch(() => undefined);
  }
  return res.rows.length;
}
