import { sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { executePrepared } from '../db/prepared.js';
import { callbackTokens, clients, intakeSessions } from '../db/schema.js';
import { claimInboundSql, type InboundSource } from '../db/inbound-dedupe.js';
import { readSessionRow, sessionRowFromJson } from '../intake/intake.repo.js';
import type { Language } from '../intake/intake.domain.js';
import { callbackRowFromJson, tokenOf } from './callback-tokens.js';
import type { Prefetched } from './telegram.env.js';

/**
 * The first statement of every update: the update_id de-duplication insert,
 * and in the same round trip what nearly every update reads next — whether the
 * client had blocked the bot, their language, their intake draft and, for a
 * button press, the button's token row. One statement instead of four to six;
 * the reads see the database as it was when the update arrived, which is what
 * the separate reads saw too (updates of one chat run one at a time).
 */
export interface UpdatePrefetch {
  /** false: this update_id was handled before; drop it. */
  fresh: boolean;
  /** The client row has bot_blocked_at set (they wrote again, so they unblocked us). */
  blocked: boolean;
  pre: Prefetched;
}

const json = (v: unknown): Record<string, unknown> | null => (v == null ? null : ((typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>));

export async function prefetchUpdate(
  deps: Deps,
  source: InboundSource,
  updateId: string,
  telegramUserId: number,
  callbackData: string | undefined,
  now: DateTime,
): Promise<UpdatePrefetch> {
  const token = tokenOf(callbackData);
  // Named prepared statements (two texts: with and without a button): parsed and planned once per connection.
  const [row] = await executePrepared(
    deps.db,
    token ? 'tg_prefetch_button' : 'tg_prefetch',
    sql`
    with d as (
      ${claimInboundSql(source, updateId, now)})
    select exists (select 1 from d) as fresh,
      (select to_json(c) from (select bot_blocked_at is not null as blocked, language from ${clients}
        where telegram_user_id = ${telegramUserId} limit 1) c) as client,
      (select to_json(s) from ${intakeSessions} s where s.telegram_user_id = ${telegramUserId}) as session,
      ${token ? sql`(select to_json(t) from ${callbackTokens} t where t.token = ${token})` : sql`null::json`} as token`,
  );
  if (!row) throw new Error('prefetch returned no row');
  const client = json(row.client);
  const session = json(row.session);
  const tokenRow = json(row.token);
  const pre: Prefetched = {
    session: session ? readSessionRow(deps.cipher, sessionRowFromJson(session)) : null,
    clientLanguage: client ? (client.language as Language) : null,
    ...(token && callbackData !== undefined ? { token: { data: callbackData, row: tokenRow ? callbackRowFromJson(tokenRow) : null } } : {}),
  };
  return { fresh: row.fresh === true || row.fresh === 't', blocked: !!client?.blocked, pre };
}
