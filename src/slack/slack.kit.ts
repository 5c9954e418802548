import { randomUUID } from 'node:crypto';
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { StaffRow } from '../staff/staff.repo.js';
import type { SlackUserLookup } from '../staff/staff.service.js';
import { REFUSE, staffFor } from './access.js';
import type { Block } from './ui/blocks.js';
import type { ModalMeta } from './ui/modals.blocks.js';
import { INPUT } from './ui/ids.js';
import { zUuid } from '../lib/uuid.js';

/**
 * What every listener needs: who is asking (from the staff directory, or a
 * polite refusal), a way to answer only them, and failure handling that shows
 * the person a short reference while the details go to the log.
 */
export interface Asker {
  client: WebClient;
  userId: string;
  channelId?: string | undefined;
  respond?: RespondFn | undefined;
}

/** Answer only this person: via response_url when there is one, else an ephemeral message, else their DM. */
export async function tell(a: Asker, text: string, blocks?: Block[]): Promise<void> {
  if (a.respond) {
    await a.respond({ response_type: 'ephemeral', replace_original: false, text, ...(blocks ? { blocks } : {}) });
    return;
  }
  if (a.channelId) {
    try {
      await a.client.chat.postEphemeral({ channel: a.channelId, user: a.userId, text, ...(blocks ? { blocks } : {}) });
      return;
    } catch {
      /* not in that channel: fall back to the DM */
    }
  }
  await a.client.chat.postMessage({ channel: a.userId, text, ...(blocks ? { blocks } : {}) });
}

/** The asker's directory entry, or undefined after telling them politely why not. */
export async function staffOrRefuse(deps: Deps, a: Asker): Promise<StaffRow | undefined> {
  const me = await staffFor(deps.db, a.userId);
  if (!me) {
    deps.logger.info({ slackUser: a.userId }, 'slack request from someone not in the staff directory refused');
    await tell(a, REFUSE.notStaff);
  }
  return me;
}

export function failureRef(): string {
  return randomUUID().slice(0, 8).toUpperCase();
}

/** Run the work; on failure log the details with a reference and show the person only the reference. */
export async function guarded(deps: Deps, a: Asker, where: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const ref = failureRef();
    deps.logger.error({ ref, where, slackUser: a.userId, err: (err as Error)?.message, stack: (err as Error)?.stack }, 'slack handler failed');
    await tell(
      a,
      `Sorry, something went wrong on our side and nothing was changed. Please try again in a moment; if it keeps happening, give this reference to your admin: *${ref}*.`,
    ).catch((e: unknown) => deps.logger.warn({ ref, err: (e as Error)?.message }, 'could not tell the user about a failure'));
  }
}

export function lookupVia(client: WebClient): SlackUserLookup {
  return async (id) => {
    try {
      const r = await client.users.info({ user: id });
      if (!r.user || r.user.deleted || r.user.is_bot) return null;
      return { name: r.user.real_name || r.user.profile?.display_name || r.user.name || id, tz: r.user.tz };
    } catch {
      return null;
    }
  };
}

// ---- modal state --------------------------------------------------------------------------

const metaSchema = z
  .object({
    caseId: zUuid().optional(),
    nonce: z.string().min(8).max(64),
    appointmentId: zUuid().optional(),
    version: z.number().int().positive().optional(),
    goalIds: z.array(zUuid().nullable()).max(10).optional(),
    staffId: zUuid().optional(),
  })
  .strict();

export function newMeta(caseId: string | undefined, extra: Partial<ModalMeta> = {}): ModalMeta {
  return { ...(caseId ? { caseId } : {}), nonce: randomUUID(), ...extra };
}

export function readMeta(raw: string): ModalMeta | null {
  try {
    const r = metaSchema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

type StateValues = Record<
  string,
  Record<
    string,
    {
      type?: string;
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_date?: string | null;
      selected_time?: string | null;
      selected_user?: string | null;
    }
  >
>;

/** Typed reads of view.state.values, by field (block id). Missing or unexpected shapes read as empty. */
export function fieldsOf(values: unknown) {
  const v = (values ?? {}) as StateValues;
  const el = (f: string) => v[f]?.[INPUT];
  const str = (x: unknown) => (typeof x === 'string' ? x : '');
  return {
    text: (f: string) => str(el(f)?.value),
    select: (f: string) => str(el(f)?.selected_option?.value),
    date: (f: string) => str(el(f)?.selected_date),
    time: (f: string) => str(el(f)?.selected_time),
    has: (f: string) => f in v,
  };
}

/** `response_action: errors` for one field (Slack shows it under that input). */
export function fieldError(field: string | undefined, message: string, fallbackField: string) {
  return { response_action: 'errors' as const, errors: { [field && field !== 'case' ? field : fallbackField]: message.slice(0, 300) } };
}
